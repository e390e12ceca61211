// Node (engine). A whole training run (model.md sec. 3): dataset, G pretraining with a growing sequence
// length, optional D pretraining, adversarial epochs. After every epoch the tones' thresholds are calibrated
// (calibration.ts), G's closeness to the training pieces is measured (epochRealism.ts), and a
// checkpoint, sample pieces and their statistics are written; the generator of the closest epoch is kept
// apart in `best/`. Pausing holds the run between steps, and its speed, time left and epoch durations leave
// the time paused out. Cancelling keeps the last complete checkpoint, and training again into the same
// folder resumes from it, optimizer state included.
import * as tf from '@tensorflow/tfjs'
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { APP_VERSION } from '../../shared/appVersion'
import { bestEpoch } from '../../shared/bestEpoch'
import { CHECKPOINT_FORMAT_VERSION, type CheckpointMeta, type EpochRecord } from '../../shared/checkpointMeta'
import { sameModel, type Settings } from '../../shared/modelSettings'
import { pieceToMidi } from '../../shared/music/pieceToMidi'
import { medianStatistics, SAMPLE_STEPS } from '../../shared/music/corpusStatistics'
import { computeStatistics, tonesOf } from '../../shared/music/statistics'
import { DEFAULT_DECODE_OPTIONS } from '../../shared/music/decoding'
import { backendFault, BackendFaultError, type BackendInfo } from '../process/backend'
import {
  disposeCheckpointContent,
  loadCheckpoint,
  readCheckpointMeta,
  saveCheckpoint,
} from '../checkpointStore'
import { CrnnGan, type StepInput } from '../model/crnnGan'
import { DatasetError, loadDataset, sampleBatch, type Dataset } from '../data/dataset'
import { stepsToPiece } from '../model/encoding'
import { readValues } from '../model/readValues'
import { measureEpoch, type EpochOutput } from './epochRealism'
import { findCollapse, outputFigures, PinnedAccuracy, type CollapseFigures } from './collapse'
import { writeFileList } from '../data/midiFiles'
import { optimizerState, restoreOptimizers } from './optimizerState'
import type { PauseGate } from './pauseGate'
import { createRandom } from '../random'
import { stepCodec, type StepCodec } from '../model/stepCodec'
import { runTempered } from '../model/temperature'
import { DrawRules } from '../model/drawRules'
import type { TrainingEvent } from '../../shared/trainingEvent'
import { tokensPerSecond, tokensPerTrainingStep } from '../../shared/trainingSpeed'

export type Phase = EpochRecord['phase']

export type { TrainingEvent }

export interface TrainOptions {
  dataDir: string
  /**
   * The run's folder: `checkpoint/` (the latest complete checkpoint), `best/` (the generator of the epoch
   * closest to the training pieces), `samples/`, and the split of the data as lists of files for
   * `cadenza eval` (TRAINING_LIST and HELD_OUT_LIST) go here.
   */
  outDir: string
  settings: Settings
  /** Whether resuming takes the pretraining epochs of `settings` where there are more (resumedSettings). */
  morePretraining?: boolean
  backend: BackendInfo
  signal?: AbortSignal
  /** Holds the training between steps while it is paused; aborting `signal` lets it go. */
  pause?: PauseGate
  onEvent?: (event: TrainingEvent) => void
  /** The clock for speed, time left and durations, in milliseconds; tests give one they control. */
  now?: () => number
}

export interface TrainResult {
  checkpoint: string
  completedEpochs: number
  cancelled: boolean
  /** What was seen when an adversarial epoch collapsed, in one line; the run kept the epoch before it. */
  collapse?: string
}

export const TRAINING_LIST = 'training-files.txt'
export const HELD_OUT_LIST = 'heldout-files.txt'

/** The files trained on and those held out, written once the data is known to fit the run. */
async function writeSplit(outDir: string, dataset: Dataset): Promise<void> {
  await mkdir(outDir, { recursive: true })
  const [trained, heldOut] = [join(outDir, TRAINING_LIST), join(outDir, HELD_OUT_LIST)]
  const note = 'one a line, relative to this list'
  await writeFileList(trained, dataset.trainingFiles, `The files this run trained on, ${note}.`)
  await writeFileList(heldOut, dataset.report.heldOut, `The files held out of this run, ${note}.`)
}

/** Where training writes the `index`-th (from 0) sample piece of `epoch` (from 1). */
function samplePath(outDir: string, epoch: number, index: number): string {
  return join(outDir, 'samples', `epoch-${String(epoch).padStart(4, '0')}-${index + 1}.mid`)
}

/** The sample pieces of each epoch a resumed run had completed, as far as they are still there. */
function earlierSamples(outDir: string, history: readonly EpochRecord[], perEpoch: number): string[][] {
  return history.map(({ epoch }) =>
    Array.from({ length: perEpoch }, (_, i) => samplePath(outDir, epoch, i)).filter((path) =>
      existsSync(path),
    ),
  )
}

export function checkpointDir(outDir: string): string {
  return join(outDir, 'checkpoint')
}

/** The generator of the run's epoch closest to the training pieces (see epochRealism.ts). */
export function bestDir(outDir: string): string {
  return join(outDir, 'best')
}

/** A checkpoint folder as given, or the checkpoint inside a training run's folder. */
export function resolveCheckpointDir(dir: string): string {
  return !existsSync(join(dir, 'checkpoint.json')) && existsSync(checkpointDir(dir))
    ? checkpointDir(dir)
    : dir
}

/** The phase of every epoch of the run, in order. */
function schedule({ training }: Settings): Phase[] {
  return [
    ...Array<Phase>(training.pretrainEpochs).fill('pretrain'),
    ...Array<Phase>(training.pretrainDiscriminatorEpochs).fill('pretrain-discriminator'),
    ...Array<Phase>(training.epochs).fill('adversarial'),
  ]
}

/** The curriculum: pretraining sequences grow evenly from the start length to the full length. */
function sequenceLengthFor(settings: Settings, phase: Phase, epochIndex: number): number {
  const { pretrainEpochs, curriculumStartLength, sequenceLength } = settings.training
  if (phase !== 'pretrain' || pretrainEpochs <= 1) return sequenceLength
  const start = Math.min(curriculumStartLength, sequenceLength)
  return Math.round(start + ((sequenceLength - start) * epochIndex) / (pretrainEpochs - 1))
}

function stepsPerEpoch(settings: Settings, dataset: Dataset): number {
  const { stepsPerEpoch, batchSize } = settings.training
  return stepsPerEpoch > 0 ? stepsPerEpoch : Math.max(1, Math.ceil(dataset.report.sequences / batchSize))
}

/** Samples of the epoch: generated from a fixed noise, so that epochs compare like for like. */
async function generateSamples(
  gan: CrnnGan,
  codec: StepCodec,
  count: number,
  intensityThresholds: number[],
  { temperature, scales, repetition }: { temperature: number; scales: number[] | null; repetition: number },
): Promise<ReturnType<typeof stepsToPiece>[]> {
  const noise = createRandom(gan.settings.training.seed, 'samples').fill(
    new Float32Array(count * SAMPLE_STEPS * gan.noiseWidth),
  )
  const output = await readValues(
    tf.tidy(
      () =>
        runTempered(gan.generator, noise, [count, SAMPLE_STEPS], temperature, {
          scales: scales ?? undefined,
          rules: new DrawRules({ repetition }),
        }).emitted,
    ),
  )
  const perPiece = SAMPLE_STEPS * gan.width
  return Array.from({ length: count }, (_, i) =>
    stepsToPiece(codec.decode(output.subarray(i * perPiece, (i + 1) * perPiece)), {
      ...DEFAULT_DECODE_OPTIONS,
      intensityThresholds,
    }),
  )
}

/** Resumes from `outDir/checkpoint` if there is one; refuses one trained on other data or another model. */
async function resume(
  gan: CrnnGan,
  dir: string,
  dataset: Dataset,
  settings: Settings,
): Promise<CheckpointMeta | null> {
  if (!existsSync(join(dir, 'checkpoint.json'))) return null
  const content = await loadCheckpoint(dir)
  try {
    const { meta } = content
    if (meta.kind !== 'training')
      throw new DatasetError(`${dir}: a generator-only checkpoint cannot resume training`)
    if (meta.dataset.fingerprint !== dataset.fingerprint) {
      throw new DatasetError(`${dir}: this checkpoint was trained on other data; choose a new output folder`)
    }
    if (!sameModel(meta.settings.model, settings.model)) {
      throw new DatasetError(`${dir}: this checkpoint has another model shape; choose a new output folder`)
    }
    gan.generator.loadWeights(content.generator)
    gan.discriminator.loadWeights(content.discriminator ?? {})
    if (content.optimizer) await restoreOptimizers(gan, content.optimizer)
    gan.lastLosses = meta.lastAdversarialLosses ?? null
    return meta
  } finally {
    disposeCheckpointContent(content)
  }
}

/**
 * Stops the run when its backend can no longer be trusted (a lost GPU, one out of memory: [Note: GPU
 * faults]), with one line that says what is kept: the checkpoint of the last complete epoch, which resumes
 * on any backend.
 */
function throwOnBackendFault(completedEpochs: number): void {
  const fault = backendFault()
  if (fault === undefined) return
  const kept =
    completedEpochs > 0
      ? `the checkpoint of epoch ${completedEpochs} is kept; train again to resume it, on another backend if need be`
      : 'no epoch was complete, so there is no checkpoint yet'
  throw new BackendFaultError(`${fault}: training stopped; ${kept}`)
}

/** Yields to the event loop, so that a cancel request can arrive between steps. */
const breathe = () => new Promise<void>((done) => setImmediate(done))

/**
 * A resumed run keeps its settings: its data is split and read as when it began (`--holdout` and `--seed`
 * need not be given again), and G and D train on as they began. Only the number of adversarial epochs may
 * change and, with `morePretraining`, the pretraining epochs may grow while the run has only pretrained (its
 * curriculum then stretches over them all).
 */
function resumedSettings(dir: string, meta: CheckpointMeta, options: TrainOptions): Settings {
  const kept = meta.settings.training
  const asked = options.settings.training
  let { pretrainEpochs } = kept
  if (options.morePretraining && asked.pretrainEpochs > pretrainEpochs) {
    if (meta.history.some((epoch) => epoch.phase !== 'pretrain')) {
      throw new DatasetError(`${dir}: this run has left pretraining and cannot pretrain more`)
    }
    pretrainEpochs = asked.pretrainEpochs
  }
  return { ...meta.settings, training: { ...kept, epochs: asked.epochs, pretrainEpochs } }
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const {
    dataDir,
    outDir,
    backend,
    signal,
    pause,
    onEvent = () => {},
    now = () => performance.now(),
  } = options
  const dir = checkpointDir(outDir)
  const settings = existsSync(join(dir, 'checkpoint.json'))
    ? resumedSettings(dir, await readCheckpointMeta(dir), options)
    : options.settings
  const dataset = await loadDataset(dataDir, settings, {
    onFile: (done, total) => onEvent({ type: 'reading', done, total }),
  })
  const gan = new CrnnGan(settings)
  const codec = stepCodec(settings.model, dataset.normalization)
  /** Epochs whose checkpoint is on disk. */
  let completedEpochs = 0
  try {
    const previous = await resume(gan, dir, dataset, options.settings)
    await writeSplit(outDir, dataset)
    const history = previous ? [...previous.history] : []
    completedEpochs = history.length
    const createdAt = previous?.createdAt ?? new Date().toISOString()
    const phases = schedule(settings)
    const steps = stepsPerEpoch(settings, dataset)
    const { batchSize, seed, samplesPerEpoch } = settings.training
    onEvent({
      type: 'dataset',
      backend,
      report: dataset.report,
      history: [...history],
      samples: earlierSamples(outDir, history, samplesPerEpoch),
    })
    const startedAt = now()
    let pausedMs = 0
    /** Seconds spent training: the time held paused is no work. */
    const worked = () => (now() - startedAt - pausedMs) / 1000
    const holdWhilePaused = async () => {
      if (!pause?.paused) return
      const since = now()
      await pause.wait(signal)
      pausedMs += now() - since
    }
    let stepsDone = 0
    // Collapse is judged against G as it was before this run's adversarial epochs (collapse.ts).
    let lastOutput: EpochOutput | null = null
    let baseline: CollapseFigures | null = null
    const pinned = new PinnedAccuracy()
    const rollBack = (epoch: number, seen: string): TrainResult => {
      const kept = history.length > 0 ? `rolled back to epoch ${history.length}` : 'no earlier epoch to keep'
      const collapse = `collapse at epoch ${epoch}: ${seen}; ${kept}`
      onEvent({ type: 'collapse', message: collapse })
      return { checkpoint: dir, completedEpochs: history.length, cancelled: false, collapse }
    }
    let tokensDone = 0
    for (let epochIndex = history.length; epochIndex < phases.length; epochIndex++) {
      const phase = phases[epochIndex]
      const length = sequenceLengthFor(settings, phase, epochIndex)
      // Every epoch has its own stream, so a resumed run draws exactly what an uninterrupted one would.
      const random = createRandom(seed, 'epoch', epochIndex)
      const epochStart = worked()
      const losses = { generator: [] as number[], discriminator: [] as number[], accuracy: [] as number[] }
      let generatorFrozenSteps = 0
      let discriminatorFrozenSteps = 0
      if (phase === 'adversarial' && baseline === null) {
        baseline = outputFigures(lastOutput ?? (await measureEpoch(gan.generator, codec, dataset, seed)))
      }
      for (let step = 1; step <= steps; step++) {
        await holdWhilePaused()
        if (signal?.aborted) return { checkpoint: dir, completedEpochs: history.length, cancelled: true }
        throwOnBackendFault(completedEpochs)
        const input: StepInput = {
          real: sampleBatch(dataset, random, batchSize, length),
          noise: random.fill(new Float32Array(batchSize * length * gan.noiseWidth)),
          batch: batchSize,
          time: length,
        }
        let discriminatorLoss: number | null = null
        let discriminatorAccuracy: number | null = null
        let frozen = { generator: false, discriminator: false }
        if (phase === 'pretrain') losses.generator.push(await gan.pretrainGeneratorStep(input))
        else if (phase === 'pretrain-discriminator') {
          const result = await gan.discriminatorStep(input)
          ;[discriminatorLoss, discriminatorAccuracy] = [result.loss, result.accuracy]
        } else {
          const result = await gan.adversarialStep(input)
          losses.generator.push(result.generatorLoss)
          ;[discriminatorLoss, discriminatorAccuracy] = [
            result.discriminatorLoss,
            result.discriminatorAccuracy,
          ]
          frozen = { generator: result.generatorFrozen, discriminator: result.discriminatorFrozen }
          pinned.add(result.discriminatorAccuracy)
          if (frozen.generator) generatorFrozenSteps++
          if (frozen.discriminator) discriminatorFrozenSteps++
        }
        if (discriminatorLoss !== null && discriminatorAccuracy !== null) {
          losses.discriminator.push(discriminatorLoss)
          losses.accuracy.push(discriminatorAccuracy)
        }
        stepsDone++
        tokensDone += tokensPerTrainingStep(batchSize, length, settings.model.tonesPerStep)
        const seconds = worked()
        const stepsLeft = (phases.length - epochIndex - 1) * steps + (steps - step)
        onEvent({
          type: 'step',
          phase,
          epoch: epochIndex + 1,
          epochs: phases.length,
          step,
          steps,
          generatorLoss: losses.generator.at(-1) ?? null,
          discriminatorLoss,
          discriminatorAccuracy,
          generatorFrozen: frozen.generator,
          discriminatorFrozen: frozen.discriminator,
          tokensPerSecond: tokensPerSecond(tokensDone, seconds),
          secondsLeft: (seconds / stepsDone) * stepsLeft,
        })
        await breathe()
      }

      if (pinned.collapse !== null) return rollBack(epochIndex + 1, pinned.collapse)
      const measured = await measureEpoch(gan.generator, codec, dataset, seed)
      lastOutput = measured
      const collapse =
        phase === 'adversarial' ? findCollapse(outputFigures(measured), dataset.collapse, baseline!) : null
      // The collapsed epoch is not saved: `checkpoint/` and `best/` keep the last good one.
      if (collapse !== null) return rollBack(epochIndex + 1, collapse)
      const { intensityThresholds, temperature, scales, repetition } = measured
      const samples = await generateSamples(gan, codec, samplesPerEpoch, intensityThresholds, {
        temperature: temperature ?? 1,
        scales,
        repetition,
      })
      const mean = (values: number[]) =>
        values.length ? values.reduce((a, b) => a + b, 0) / values.length : null
      const record: EpochRecord = {
        epoch: epochIndex + 1,
        phase,
        generatorLoss: mean(losses.generator),
        discriminatorLoss: mean(losses.discriminator),
        discriminatorAccuracy: mean(losses.accuracy),
        generatorFrozenSteps,
        discriminatorFrozenSteps,
        sampleStatistics: medianStatistics(samples.map((piece) => computeStatistics(tonesOf(piece)))),
        realismDistance: measured.realismDistance,
        temperature,
        temperatureScales: scales,
        repetition: gan.generator.sampling ? repetition : null,
        rhythmOverlap: measured.rhythmOverlap,
        classifierAccuracy: measured.classifierAccuracy,
        seconds: worked() - epochStart,
      }
      history.push(record)
      const meta: CheckpointMeta = {
        format: 'cadenza-checkpoint',
        formatVersion: CHECKPOINT_FORMAT_VERSION,
        appVersion: APP_VERSION,
        kind: 'training',
        settings,
        normalization: dataset.normalization,
        dataset: { fingerprint: dataset.fingerprint, report: dataset.report },
        history,
        lastAdversarialLosses: gan.lastLosses,
        decoding: {
          intensityThresholds,
          ...(temperature !== null && { temperature }),
          ...(scales !== null && { temperatureScales: scales }),
          ...(repetition > 0 && { repetition }),
        },
        backend: backend.name,
        createdAt,
        updatedAt: new Date().toISOString(),
      }
      const optimizer = await optimizerState(gan)
      try {
        // What a faulty GPU computed since the last step is not saved over the last good checkpoint.
        throwOnBackendFault(completedEpochs)
        await saveCheckpoint(dir, {
          meta,
          generator: gan.generator.namedWeights(),
          discriminator: gan.discriminator.namedWeights(),
          optimizer,
        })
      } finally {
        tf.dispose(Object.values(optimizer))
      }
      if (bestEpoch(history) === record) {
        await saveCheckpoint(bestDir(outDir), {
          meta: { ...meta, kind: 'generator' },
          generator: gan.generator.namedWeights(),
        })
      }
      await mkdir(join(outDir, 'samples'), { recursive: true })
      const samplePaths = samples.map((_, i) => samplePath(outDir, epochIndex + 1, i))
      await Promise.all(samples.map((piece, i) => writeFile(samplePaths[i], pieceToMidi(piece))))
      completedEpochs = history.length
      onEvent({ type: 'epoch', record, checkpoint: dir, samples: samplePaths })
    }
    return { checkpoint: dir, completedEpochs: history.length, cancelled: false }
  } catch (error) {
    // A GPU that faults mid-step fails the step's reads in its own words; the fault says what happened.
    throwOnBackendFault(completedEpochs)
    throw error
  } finally {
    gan.dispose()
  }
}
