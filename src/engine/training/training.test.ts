import * as tf from '@tensorflow/tfjs'
import { copyFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { corpusFile, PIANO_MIDI_DE_DIR, SONATA_DIR } from '../../../test/corpus'
import { tinySettings } from '../../../test/tinySettings'
import { bestEpoch } from '../../shared/bestEpoch'
import type { EpochRecord } from '../../shared/checkpointMeta'
import type { Settings } from '../../shared/modelSettings'
import { selectBackend, type BackendInfo } from '../process/backend'
import { disposeCheckpointContent, loadCheckpoint, readCheckpointMeta } from '../checkpointStore'
import { findMidiFiles } from '../data/midiFiles'
import { PauseGate } from './pauseGate'
import { CANDIDATE_TEMPERATURES, CANDIDATE_VELOCITY_SCALES } from '../model/temperature'
import { velocityScales } from './epochRealism'
import { bestDir, checkpointDir, HELD_OUT_LIST, train, TRAINING_LIST, type TrainingEvent } from './training'

let backend: BackendInfo
beforeAll(async () => {
  backend = await selectBackend('wasm')
})

const temporary = () => mkdtempSync(join(tmpdir(), 'cadenza-train-'))

type StepEvent = Extract<TrainingEvent, { type: 'step' }>

async function run(outDir: string, settings: Settings, signal?: AbortSignal) {
  const events: TrainingEvent[] = []
  const result = await train({
    dataDir: SONATA_DIR,
    outDir,
    settings,
    backend,
    signal,
    onEvent: (e) => events.push(e),
  })
  return { result, events }
}

async function generatorValues(outDir: string): Promise<Record<string, number[]>> {
  const content = await loadCheckpoint(checkpointDir(outDir))
  const values = Object.fromEntries(
    Object.entries(content.generator).map(([name, tensor]) => [name, Array.from(tensor.dataSync())]),
  )
  disposeCheckpointContent(content)
  return values
}

describe('train', () => {
  it('trains on the readable files of a folder and names the skipped ones', async () => {
    const data = temporary()
    copyFileSync(corpusFile('sonata-ish/mozk545a.mid'), join(data, 'a.mid'))
    copyFileSync(corpusFile('sonata-ish/mozk331a.mid'), join(data, 'b.mid'))
    writeFileSync(join(data, 'broken.mid'), 'MThd')
    writeFileSync(join(data, 'empty.mid'), '')
    const outDir = temporary()
    const events: TrainingEvent[] = []
    const settings = tinySettings({ pretrainDiscriminatorEpochs: 1, samplesPerEpoch: 2 })
    const result = await train({ dataDir: data, outDir, settings, backend, onEvent: (e) => events.push(e) })

    const dataset = events.find((event) => event.type === 'dataset')
    expect(dataset?.backend).toEqual(backend)
    expect(dataset?.report.filesRead).toBe(2)
    expect(dataset?.report.filesSkipped).toEqual([
      { file: join(data, 'broken.mid'), error: 'truncated: the MIDI header is incomplete' },
      { file: join(data, 'empty.mid'), error: 'the file is empty' },
    ])
    const epochs = events.filter((event) => event.type === 'epoch')
    expect(epochs.map((event) => event.record.phase)).toEqual([
      'pretrain',
      'pretrain-discriminator',
      'adversarial',
    ])
    expect(epochs.every((event) => event.samples.length === 2 && event.samples.every(existsSync))).toBe(true)
    expect(result).toEqual({ checkpoint: checkpointDir(outDir), completedEpochs: 3, cancelled: false })
    const meta = await readCheckpointMeta(result.checkpoint)
    expect(meta.history).toHaveLength(3)
    // Calibrated for each of the three tone slots, never below the default threshold.
    expect(meta.decoding?.intensityThresholds).toHaveLength(3)
    expect(Math.min(...meta.decoding!.intensityThresholds)).toBeGreaterThanOrEqual(10)
    // Every epoch is measured against the training pieces, in pitch and in rhythm, and the closest one's
    // generator is kept apart.
    for (const { realismDistance, rhythmOverlap, classifierAccuracy } of meta.history) {
      expect(realismDistance).toBeGreaterThan(0)
      expect(rhythmOverlap).toBeGreaterThan(0)
      expect(rhythmOverlap).toBeLessThan(1)
      expect(classifierAccuracy).toBeGreaterThan(0.5)
    }
    const best = await readCheckpointMeta(bestDir(outDir))
    expect(best.kind).toBe('generator')
    expect(best.history.at(-1)).toEqual(bestEpoch(meta.history))
    expect(meta.backend).toBe('wasm')
    expect(meta.dataset.report.filesSkipped).toHaveLength(2)
    const steps = events.filter((event) => event.type === 'step')
    expect(steps).toHaveLength(6)
    expect(steps.at(-1)).toMatchObject({ epoch: 3, epochs: 3, step: 2, steps: 2, secondsLeft: 0 })
  })

  it('resumes where it stopped, optimizer and freezing state included, as if never interrupted', async () => {
    // At a threshold of 1, every adversarial step after the first freezes D or G, by the previous step's losses.
    const settings = (epochs: number) => tinySettings({ epochs, freezeThreshold: 1 })
    const whole = temporary()
    const uninterrupted = await run(whole, settings(2))
    const firstOfEpoch3 = uninterrupted.events.find(
      (event): event is StepEvent => event.type === 'step' && event.epoch === 3,
    )!
    expect(firstOfEpoch3.generatorFrozen || firstOfEpoch3.discriminatorFrozen).toBe(true)

    const interrupted = temporary()
    const before = await run(interrupted, settings(1))
    // Resumed with other learning rates, it trains on with its own.
    const other = settings(2)
    other.training = { ...other.training, generatorLearningRate: 0.5, discriminatorLearningRate: 0.5 }
    const { events, result } = await run(interrupted, other)
    const dataset = events.find((event) => event.type === 'dataset')
    expect(dataset?.type === 'dataset' && dataset.history.map((record) => record.phase)).toEqual([
      'pretrain',
      'adversarial',
    ])
    // The earlier epochs' sample files, so that the studio lists them again.
    const earlierSamples = before.events.flatMap((event) => (event.type === 'epoch' ? [event.samples] : []))
    expect(earlierSamples.flat()).not.toHaveLength(0)
    expect(dataset?.type === 'dataset' && dataset.samples).toEqual(earlierSamples)
    expect(events.filter((event) => event.type === 'epoch').map((event) => event.record.epoch)).toEqual([3])
    expect(result.completedEpochs).toBe(3)
    const resumedFirst = events.find((event) => event.type === 'step')
    expect(resumedFirst).toMatchObject({
      epoch: 3,
      generatorFrozen: firstOfEpoch3.generatorFrozen,
      discriminatorFrozen: firstOfEpoch3.discriminatorFrozen,
    })
    // Equal up to float rounding: TensorFlow.js recomputes Adam's beta powers from the step count on restore.
    // Without the optimizer state, the first resumed step would move weights by about the learning rate.
    const [resumed, wholeValues] = [await generatorValues(interrupted), await generatorValues(whole)]
    expect(Object.keys(resumed)).toEqual(Object.keys(wholeValues))
    for (const [name, values] of Object.entries(resumed)) {
      const largest = Math.max(...values.map((value, i) => Math.abs(value - wholeValues[name][i])))
      expect(largest).toBeLessThan(1e-6)
    }
    // Six epochs, each measured.
  }, 120_000)

  it("measures a sampling generator's epochs at their closest temperature, and resumes it as if never interrupted", async () => {
    const settings = (epochs: number) => tinySettings({ epochs }, { output: 'sampled' })
    const whole = temporary()
    const { events } = await run(whole, settings(1))
    const records = events.flatMap((event) => (event.type === 'epoch' ? [event.record] : []))
    expect(records.map((record) => record.phase)).toEqual(['pretrain', 'adversarial'])
    for (const record of records) {
      expect(CANDIDATE_TEMPERATURES).toContain(record.temperature)
      expect(record.temperatureScales).toEqual(velocityScales(record.temperatureScales![2]))
      expect([1, ...CANDIDATE_VELOCITY_SCALES]).toContain(record.temperatureScales![2])
    }
    const meta = await readCheckpointMeta(checkpointDir(whole))
    expect(meta.decoding).toEqual({
      intensityThresholds: [1, 1, 1],
      temperature: records[1].temperature,
      temperatureScales: records[1].temperatureScales,
    })

    const interrupted = temporary()
    await run(interrupted, settings(0))
    await run(interrupted, settings(1))
    const [resumed, wholeValues] = [await generatorValues(interrupted), await generatorValues(whole)]
    for (const [name, values] of Object.entries(resumed)) {
      const largest = Math.max(...values.map((value, i) => Math.abs(value - wholeValues[name][i])))
      expect(largest).toBeLessThan(1e-6)
    }
    // Four epochs, each measured at several candidates.
  }, 180_000)

  it('keeps the last complete checkpoint when cancelled', async () => {
    const outDir = temporary()
    const controller = new AbortController()
    const events: TrainingEvent[] = []
    const result = await train({
      dataDir: SONATA_DIR,
      outDir,
      settings: tinySettings({ epochs: 3 }),
      backend,
      signal: controller.signal,
      onEvent(event) {
        events.push(event)
        if (event.type === 'step' && event.epoch === 2) controller.abort()
      },
    })
    expect(result).toMatchObject({ cancelled: true, completedEpochs: 1 })
    expect((await readCheckpointMeta(result.checkpoint)).history).toHaveLength(1)
  })

  it('holds between steps while paused, and leaves the time paused out of its speed and time left', async () => {
    const gate = new PauseGate()
    // A clock that ticks a millisecond per reading, and jumps a day while the training is held.
    let time = 0
    const DAY_MS = 86_400_000
    const steps: Extract<TrainingEvent, { type: 'step' }>[] = []
    const epochs: EpochRecord[] = []
    let stepsWhileHeld: number | undefined
    const result = await train({
      dataDir: SONATA_DIR,
      outDir: temporary(),
      settings: tinySettings({ stepsPerEpoch: 3 }),
      backend,
      pause: gate,
      now: () => ++time,
      onEvent(event) {
        if (event.type === 'epoch') epochs.push(event.record)
        if (event.type !== 'step') return
        steps.push(event)
        if (steps.length !== 2) return
        gate.set(true)
        setTimeout(() => {
          stepsWhileHeld = steps.length
          time += DAY_MS
          gate.set(false)
        }, 300)
      },
    })
    expect(stepsWhileHeld).toBe(2)
    expect(result).toMatchObject({ completedEpochs: 2, cancelled: false })
    expect(steps.map((event) => [event.epoch, event.step])).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
      [2, 1],
      [2, 2],
      [2, 3],
    ])
    // Counted, the day held would make every later step's time left and the first epoch's duration a day long.
    expect(Math.max(...steps.map((event) => event.secondsLeft))).toBeLessThan(60)
    expect(Math.min(...steps.map((event) => event.tokensPerSecond))).toBeGreaterThan(1)
    expect(Math.max(...epochs.map((record) => record.seconds))).toBeLessThan(60)
  })

  it("gives the tokens per second of its steps: every tone of the batch, at each epoch's length", async () => {
    // Each step takes a second of training; the measurements between epochs take none.
    let time = 0
    const rates: number[] = []
    await train({
      dataDir: SONATA_DIR,
      outDir: temporary(),
      // Sequences of 4 steps, then 8 (the curriculum); 4 sequences of 3 tones a step.
      settings: tinySettings({ pretrainEpochs: 2, epochs: 0, sequenceLength: 8, curriculumStartLength: 4 }),
      backend,
      now: () => time,
      onEvent(event) {
        if (event.type !== 'step') return
        rates.push(event.tokensPerSecond)
        time += 1000
      },
    })
    // Epoch 1's steps are 48 tokens each (4 × 4 × 3), epoch 2's 96: 48 / 0 s (shown as 0), 96 / 1, 192 / 2, 288 / 3.
    expect(rates).toEqual([0, 96, 96, 96])
  })

  it('pretrains on when resumed with more pretraining epochs, until it has left pretraining', async () => {
    const outDir = temporary()
    const pretraining = (pretrainEpochs: number, epochs = 0) => tinySettings({ pretrainEpochs, epochs })
    await run(outDir, pretraining(1))
    const phases = async () => (await readCheckpointMeta(checkpointDir(outDir))).history.map((e) => e.phase)
    // Settings given again are the run's own unless asked for.
    expect((await run(outDir, pretraining(2))).result.completedEpochs).toBe(1)
    const more = await train({
      dataDir: SONATA_DIR,
      outDir,
      settings: pretraining(2),
      backend,
      morePretraining: true,
    })
    expect(more.completedEpochs).toBe(2)
    expect(await phases()).toEqual(['pretrain', 'pretrain'])
    expect((await readCheckpointMeta(checkpointDir(outDir))).settings.training.pretrainEpochs).toBe(2)
    await run(outDir, pretraining(2, 1))
    expect(await phases()).toEqual(['pretrain', 'pretrain', 'adversarial'])
    await expect(
      train({ dataDir: SONATA_DIR, outDir, settings: pretraining(3, 1), backend, morePretraining: true }),
    ).rejects.toThrow(`${checkpointDir(outDir)}: this run has left pretraining and cannot pretrain more`)
  }, 120_000)

  it('refuses to resume on other data', async () => {
    const outDir = temporary()
    await run(outDir, tinySettings())
    const other = temporary()
    copyFileSync(corpusFile('sonata-ish/mozk545a.mid'), join(other, 'only.mid'))
    await expect(train({ dataDir: other, outDir, settings: tinySettings(), backend })).rejects.toThrow(
      'this checkpoint was trained on other data',
    )
  })

  it('lists the files it trains on and those it holds out, and keeps that split when resumed', async () => {
    const data = join(PIANO_MIDI_DE_DIR, 'Mozart')
    const outDir = temporary()
    const first = await train({ dataDir: data, outDir, settings: tinySettings({ holdout: 0.2 }), backend })
    const { heldOut } = (await readCheckpointMeta(first.checkpoint)).dataset.report
    expect(heldOut).toHaveLength(3)
    const listed = async (list: string) => (await findMidiFiles([join(outDir, list)])).files
    expect(await listed(HELD_OUT_LIST)).toEqual(heldOut)
    const trainedOn = await listed(TRAINING_LIST)
    expect(trainedOn).toHaveLength(12)
    expect([...trainedOn, ...heldOut].sort()).toEqual(readdirSync(data).map((name) => join(data, name)))

    // Resuming need not repeat the holdout: the run keeps its own split.
    const events: TrainingEvent[] = []
    const settings = tinySettings({ epochs: 2 })
    await train({ dataDir: data, outDir, settings, backend, onEvent: (event) => events.push(event) })
    expect(events.find((event) => event.type === 'dataset')).toMatchObject({
      history: [{ epoch: 1 }, { epoch: 2 }],
      report: { heldOut },
    })
    expect(await listed(HELD_OUT_LIST)).toEqual(heldOut)
  })

  it('catches an adversarial epoch that collapses, keeps the epoch before it and stops', async () => {
    // Fine-tuning at a learning rate of 10 with nothing to anchor it: G's draws saturate within a few steps.
    const settings = tinySettings(
      { epochs: 3, stepsPerEpoch: 4, anchor: 0, adversarialGeneratorLearningRate: 10 },
      { output: 'sampled', tonesPerStep: 1 },
    )
    const outDir = temporary()
    const { result, events } = await run(outDir, settings)
    const collapse = /^collapse at epoch (\d+): (.+); rolled back to epoch (\d+)$/.exec(result.collapse ?? '')
    expect(collapse).not.toBeNull()
    const [collapsed, kept] = [Number(collapse![1]), Number(collapse![3])]
    expect(kept).toBe(collapsed - 1)
    expect(events.filter((event) => event.type === 'collapse')).toEqual([
      { type: 'collapse', message: result.collapse },
    ])
    expect(result).toMatchObject({ completedEpochs: kept, cancelled: false })
    // The collapsed epoch is neither saved nor listened to; best/ is one of the epochs kept.
    const meta = await readCheckpointMeta(checkpointDir(outDir))
    expect(meta.history.map((record) => record.epoch)).toEqual(Array.from({ length: kept }, (_, i) => i + 1))
    expect(events.some((event) => event.type === 'epoch' && event.record.epoch === collapsed)).toBe(false)
    expect((await readCheckpointMeta(bestDir(outDir))).history.length).toBeLessThanOrEqual(kept)
  }, 120_000)

  it('leaves no tensors behind', async () => {
    const before = tf.memory().numTensors
    await run(temporary(), tinySettings({ pretrainDiscriminatorEpochs: 1 }))
    expect(tf.memory().numTensors).toBe(before)
  })
})
