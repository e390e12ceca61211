// Node (engine). How fast this machine trains and generates: the figures behind the README's performance
// table. Measures wall time of real steps on seeded data, after a warm-up step that pays one-time costs.
import * as tf from '@tensorflow/tfjs'
import { PRESETS, type ModelSettings, type PresetName, type Settings } from '../shared/modelSettings'
import { allowsPitch } from '../shared/music/steering'
import { median } from '../shared/music/summary'
import { tokensPerSecond, tokensPerTrainingStep } from '../shared/trainingSpeed'
import type { BackendInfo } from './process/backend'
import { CrnnGan, type StepInput } from './model/crnnGan'
import { DrawRules } from './model/drawRules'
import { readValues } from './model/readValues'
import { METER_CLASS_COUNTS } from './model/metricPosition'
import { stepCodec, storedWidth } from './model/stepCodec'
import { CLASS_COUNTS } from './model/toneClasses'
import { loadDataset, type Dataset } from './data/dataset'
import { createRandom, type Random } from './random'
import { measureEpoch } from './training/epochRealism'

export interface BenchmarkOptions {
  backend: BackendInfo
  /** The preset whose model and training the sizes below change: 'paper', or 'quick' (the default model's). */
  preset: PresetName
  batch: number
  sequenceLength: number
  hiddenUnits: number
  /** The paper's generator, or a sampling one (model.md sec. 2a) at the same sizes. */
  output: ModelSettings['output']
  /** Whether a sampling model reads each step's metric position (model.md sec. 2b). */
  meter: boolean
  /** Timed steps (after one warm-up step). */
  steps: number
  featureMatching: boolean
  /** A MIDI folder whose loading and encoding is timed too. */
  dataDir?: string
  onProgress?: (done: number, total: number) => void
}

export interface BenchmarkResult {
  backend: string
  train_step_ms_median: number
  train_step_ms: number[]
  generate_ms_512: number
  generate_ms_512_x16: number
  corpus_load_ms: number | null
  peak_rss_mb: number
  settings: Settings
}

const GENERATED_STEPS = 512
const VARIATIONS = 16

/** The default model's units per layer; it is otherwise the quick preset (README, "The default model"). */
const DEFAULT_MODEL_UNITS = 256

/** What the benchmarks time unless told otherwise. */
export const BENCHMARK_SHAPES = {
  /** The paper's model: the adversarial step and generation, and the paper's generator against a sampling one. */
  paper: shapeOf('paper', PRESETS.paper.model.hiddenUnits),
  /** The default model, which users train by pretraining alone: its step, and what its meter input costs. */
  defaultModel: shapeOf('quick', DEFAULT_MODEL_UNITS),
}

function shapeOf(preset: PresetName, hiddenUnits: number) {
  const { model, training } = PRESETS[preset]
  return {
    preset,
    batch: training.batchSize,
    sequenceLength: training.sequenceLength,
    hiddenUnits,
    output: model.output,
    meter: model.meter,
  }
}

/** The preset's model and training settings at the sizes asked for, with neither network ever frozen. */
export function benchmarkSettings(
  options: Pick<
    BenchmarkOptions,
    'preset' | 'batch' | 'sequenceLength' | 'hiddenUnits' | 'output' | 'meter' | 'featureMatching'
  >,
): Settings {
  const { model, training } = PRESETS[options.preset]
  const { hiddenUnits, output, meter } = options
  return {
    model: { ...model, hiddenUnits, output, meter },
    training: {
      ...training,
      batchSize: options.batch,
      sequenceLength: options.sequenceLength,
      featureMatching: options.featureMatching,
      freezeThreshold: 0,
    },
  }
}

/**
 * `rows` steps as the dataset stores them (storedWidth): normalized values, or a sampling model's class
 * numbers, each tone's and then a meter model's metric position, each valid for its group.
 */
export function realBatch(model: ModelSettings, random: Random, rows: number): Float32Array {
  const uniform = random.fill(new Float32Array(rows * storedWidth(model)))
  if (model.output !== 'sampled') return uniform.map((u) => 2 * u - 1)
  const classCounts = [
    ...Array.from({ length: model.tonesPerStep }, () => CLASS_COUNTS).flat(),
    ...(model.meter ? METER_CLASS_COUNTS : []),
  ]
  return uniform.map((u, i) => Math.floor(u * classCounts[i % classCounts.length]))
}

/** Wall time of `work`, up to the values it reads back, so that a GPU's queued work is counted too. */
async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await work()
  return performance.now() - start
}

/** What a comparison can time of each model in a pair: the key of its times in the JSON, and of its ratio. */
export const COMPARED = {
  train_step_ms: 'train_step',
  generate_ms_512: 'generate_512',
  generate_ms_512_x16: 'generate_512_x16',
} as const
export type ComparedMeasure = keyof typeof COMPARED
const ALL_MEASURES = Object.keys(COMPARED) as ComparedMeasure[]

/**
 * Every steering at once, as `cadenza generate --scale "D minor" --range C3-C6 --grid 16 --density 12
 * --max-chord 3 --repetition 0.3`.
 */
const EVERY_RULE = new DrawRules({
  allowsPitch: allowsPitch({ range: { lowest: 48, highest: 84 } }, { tonic: 2, scale: 'minor' }),
  grid: 'straight',
  density: { notesPerBar: 12, barQuarters: 4 },
  maxKeys: 3,
  repetition: 0.3,
})

/**
 * A GAN at the benchmark's sizes on seeded data, whose steps and generations are timed one by one; its
 * generations draw under `rules` (the chord rule alone without them).
 */
class TimedModel {
  private readonly gan: CrnnGan
  private readonly random: Random
  private readonly input: StepInput

  constructor(
    readonly settings: Settings,
    private readonly rules?: DrawRules,
  ) {
    const { batchSize: batch, sequenceLength: time } = settings.training
    this.gan = new CrnnGan(settings)
    this.random = createRandom(settings.training.seed, 'benchmark')
    this.input = {
      real: realBatch(settings.model, this.random, batch * time),
      noise: this.random.fill(new Float32Array(batch * time * this.gan.noiseWidth)),
      batch,
      time,
    }
  }

  /** One adversarial step's wall time (ms). */
  step(): Promise<number> {
    return timed(() => this.gan.adversarialStep(this.input))
  }

  /** One pretraining step's wall time (ms): G's next-event step by teacher forcing, as users train. */
  pretrainStep(): Promise<number> {
    return timed(() => this.gan.pretrainGeneratorStep(this.input))
  }

  /** The wall time (ms) of generating 512 steps for `count` variations in one batch. */
  generation(count: number): Promise<number> {
    const noise = this.random.fill(new Float32Array(count * GENERATED_STEPS * this.gan.noiseWidth))
    const { generator } = this.gan
    const shape: [number, number, number] = [count, GENERATED_STEPS, generator.noiseWidth]
    const emitted = () =>
      tf.tidy(() => generator.runWithLogits(tf.tensor3d(noise, shape), { rules: this.rules }).emitted)
    return timed(() => readValues(emitted()))
  }

  /** The wall time (ms) of the measurement that training makes of G after every epoch (epochRealism.ts). */
  epochMeasurement(dataset: Dataset): Promise<number> {
    const codec = stepCodec(this.settings.model, dataset.normalization)
    return timed(() => measureEpoch(this.gan.generator, codec, dataset, this.settings.training.seed))
  }

  measure(measure: ComparedMeasure): Promise<number> {
    if (measure === 'train_step_ms') return this.step()
    return this.generation(measure === 'generate_ms_512' ? 1 : VARIATIONS)
  }

  /** Pays each measure's one-time costs (kernels, caches). */
  async warmUp(measures: readonly ComparedMeasure[]): Promise<void> {
    for (const measure of measures) await this.measure(measure)
  }

  dispose(): void {
    this.gan.dispose()
  }
}

/** The dataset of `dataDir` for `settings` and the time it took to load and encode (ms); nulls without one. */
async function timedDataset(dataDir: string | undefined, settings: Settings) {
  if (dataDir === undefined) return { dataset: null, loadMs: null }
  const start = performance.now()
  const dataset = await loadDataset(dataDir, settings)
  return { dataset, loadMs: Math.round(performance.now() - start) }
}

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024)

export async function runBenchmark(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const settings = benchmarkSettings(options)
  const { loadMs } = await timedDataset(options.dataDir, settings)
  const model = new TimedModel(settings)
  try {
    const total = options.steps + 1
    await model.warmUp(ALL_MEASURES)
    options.onProgress?.(1, total)
    const stepTimes: number[] = []
    for (let step = 1; step < total; step++) {
      stepTimes.push(await model.step())
      options.onProgress?.(step + 1, total)
    }
    const generate1 = await model.generation(1)
    const generate16 = await model.generation(VARIATIONS)
    return {
      backend: options.backend.name,
      train_step_ms_median: Math.round(median(stepTimes)),
      train_step_ms: stepTimes.map(Math.round),
      generate_ms_512: Math.round(generate1),
      generate_ms_512_x16: Math.round(generate16),
      corpus_load_ms: loadMs,
      peak_rss_mb: peakRssMb(),
      settings,
    }
  } finally {
    model.dispose()
  }
}

export interface PretrainingResult {
  backend: string
  pretrain_step_ms_median: number
  pretrain_step_ms: number[]
  /** Tokens (trainingSpeed.ts) per second of the median step. */
  pretrain_tokens_per_s: number
  /** One measurement of the epoch's G against the dataset (after the steps); null without a dataset. */
  epoch_measure_ms: number | null
  corpus_load_ms: number | null
  peak_rss_mb: number
  settings: Settings
}

/**
 * The pretraining step, which is all that the quick preset and the default model's recipe train, and with
 * `dataDir` the measurement of G that follows every epoch, against that folder's pieces.
 */
export async function runPretraining(options: BenchmarkOptions): Promise<PretrainingResult> {
  const settings = benchmarkSettings(options)
  const { dataset, loadMs } = await timedDataset(options.dataDir, settings)
  const model = new TimedModel(settings)
  try {
    const total = options.steps + (dataset ? 2 : 1)
    await model.pretrainStep()
    options.onProgress?.(1, total)
    const stepTimes: number[] = []
    for (let step = 1; step <= options.steps; step++) {
      stepTimes.push(await model.pretrainStep())
      options.onProgress?.(step + 1, total)
    }
    const epochMs = dataset ? Math.round(await model.epochMeasurement(dataset)) : null
    if (dataset) options.onProgress?.(total, total)
    const { batchSize, sequenceLength } = settings.training
    const stepMs = median(stepTimes)
    const tokens = tokensPerTrainingStep(batchSize, sequenceLength, settings.model.tonesPerStep)
    return {
      backend: options.backend.name,
      pretrain_step_ms_median: Math.round(stepMs),
      pretrain_step_ms: stepTimes.map(Math.round),
      pretrain_tokens_per_s: Math.round(tokensPerSecond(tokens, stepMs / 1000)),
      epoch_measure_ms: epochMs,
      corpus_load_ms: loadMs,
      peak_rss_mb: peakRssMb(),
      settings,
    }
  } finally {
    model.dispose()
  }
}

/** What a comparison times of each model, one value per pair. */
export type ComparedTimes = Partial<Record<ComparedMeasure, number[]>>

/** A model of a comparison: the name its times go by, and how it differs from the other. */
interface Contender extends Pick<BenchmarkOptions, 'output' | 'meter'> {
  name: string
  rules?: DrawRules
}

export const COMPARISON_KINDS = ['output', 'meter', 'steering'] as const
export type ComparisonKind = (typeof COMPARISON_KINDS)[number]

/**
 * What `cadenza bench --compare` compares: the paper's generator and a sampling one (step and generations),
 * a sampling generator without the metric position and with it (its generations, which the meter input
 * must not slow), or a meter model's generations free and under every steering rule.
 */
const COMPARISONS: Record<
  ComparisonKind,
  { contenders: [Contender, Contender]; measures: readonly ComparedMeasure[] }
> = {
  output: {
    contenders: [
      { name: 'continuous', output: 'continuous', meter: false },
      { name: 'sampled', output: 'sampled', meter: false },
    ],
    measures: ALL_MEASURES,
  },
  meter: {
    contenders: [
      { name: 'no_meter', output: 'sampled', meter: false },
      { name: 'meter', output: 'sampled', meter: true },
    ],
    measures: ['generate_ms_512', 'generate_ms_512_x16'],
  },
  steering: {
    contenders: [
      { name: 'free', output: 'sampled', meter: true },
      { name: 'steered', output: 'sampled', meter: true, rules: EVERY_RULE },
    ],
    measures: ['generate_ms_512', 'generate_ms_512_x16'],
  },
}

export interface ComparisonResult {
  backend: string
  kind: ComparisonKind
  /** The two models' names, and their times in that order. */
  names: [string, string]
  times: [ComparedTimes, ComparedTimes]
  /** By ratio name (COMPARED), the median over the pairs of each pair's second time over its first. */
  ratio: Record<string, number>
  /** The second model's settings. */
  settings: Settings
}

/**
 * Two models at the same sizes (`options.output` and `options.meter` aside), in one process and in pairs:
 * each pair times each measure of both, the two in turn, the first of a pair alternating, so that a shared
 * machine's changing load falls on both alike; the ratios are taken pair by pair.
 */
export async function runComparison(
  options: BenchmarkOptions,
  kind: ComparisonKind,
): Promise<ComparisonResult> {
  const { contenders, measures } = COMPARISONS[kind]
  const settings = contenders.map(({ output, meter }) => benchmarkSettings({ ...options, output, meter }))
  const models = settings.map((each, k) => new TimedModel(each, contenders[k].rules))
  const times: [ComparedTimes, ComparedTimes] = [{}, {}]
  for (const model of times) for (const measure of measures) model[measure] = []
  try {
    const total = options.steps + 1
    for (const model of models) await model.warmUp(measures)
    options.onProgress?.(1, total)
    for (let pair = 0; pair < options.steps; pair++) {
      const order = pair % 2 === 0 ? [0, 1] : [1, 0]
      for (const measure of measures) {
        for (const k of order) times[k][measure]!.push(Math.round(await models[k].measure(measure)))
      }
      options.onProgress?.(pair + 2, total)
    }
    const ratio = (measure: ComparedMeasure) => {
      const [first, second] = times.map((model) => model[measure]!)
      return Math.round(median(second.map((ms, pair) => ms / first[pair])) * 1000) / 1000
    }
    return {
      backend: options.backend.name,
      kind,
      names: [contenders[0].name, contenders[1].name],
      times,
      ratio: Object.fromEntries(measures.map((measure) => [COMPARED[measure], ratio(measure)])),
      settings: settings[1],
    }
  } finally {
    for (const model of models) model.dispose()
  }
}
