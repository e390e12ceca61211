// Node (engine). How fast this machine trains and generates: the figures behind the README's performance
// table. Measures wall time of real steps on seeded data, after a warm-up step that pays one-time costs.
import { PRESETS, type ModelSettings, type Settings } from '../shared/modelSettings'
import { median } from '../shared/music/summary'
import type { BackendInfo } from './process/backend'
import { CrnnGan, type StepInput } from './model/crnnGan'
import { loadDataset } from './data/dataset'
import { createRandom, type Random } from './random'
import { CLASS_COUNTS } from './model/toneClasses'

export interface BenchmarkOptions {
  backend: BackendInfo
  batch: number
  sequenceLength: number
  hiddenUnits: number
  /** The paper's generator, or a sampling one (model.md sec. 2a) at the same sizes. */
  output: ModelSettings['output']
  /** Timed adversarial steps (after one warm-up step). */
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

/** The paper's model and training settings at the sizes asked for, with neither network ever frozen. */
export function benchmarkSettings(options: BenchmarkOptions): Settings {
  const { model, training } = PRESETS.paper
  return {
    model: { ...model, hiddenUnits: options.hiddenUnits, output: options.output },
    training: {
      ...training,
      batchSize: options.batch,
      sequenceLength: options.sequenceLength,
      featureMatching: options.featureMatching,
      freezeThreshold: 0,
    },
  }
}

/** A real batch as the dataset stores it: normalized values, or a sampling model's class numbers. */
function realBatch(settings: Settings, random: Random, values: number): Float32Array {
  const uniform = random.fill(new Float32Array(values))
  if (settings.model.output !== 'sampled') return uniform.map((u) => 2 * u - 1)
  return uniform.map((u, i) => Math.floor(u * CLASS_COUNTS[i % CLASS_COUNTS.length]))
}

/** Wall time of `work`, up to the values it reads back, so that a GPU's queued work is counted too. */
async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await work()
  return performance.now() - start
}

/** A GAN at the benchmark's sizes on seeded data, whose adversarial step and generations are timed one by one. */
class TimedModel {
  private readonly gan: CrnnGan
  private readonly random: Random
  private readonly input: StepInput

  constructor(readonly settings: Settings) {
    const { batchSize: batch, sequenceLength: time } = settings.training
    this.gan = new CrnnGan(settings)
    this.random = createRandom(settings.training.seed, 'benchmark')
    this.input = {
      real: realBatch(
        settings,
        this.random,
        batch * time * settings.model.tonesPerStep * CLASS_COUNTS.length,
      ),
      noise: this.random.fill(new Float32Array(batch * time * this.gan.noiseWidth)),
      batch,
      time,
    }
  }

  /** One adversarial step's wall time (ms). */
  step(): Promise<number> {
    return timed(() => this.gan.adversarialStep(this.input))
  }

  /** The wall time (ms) of generating 512 steps for `count` variations in one batch. */
  generation(count: number): Promise<number> {
    const noise = this.random.fill(new Float32Array(count * GENERATED_STEPS * this.gan.noiseWidth))
    return timed(() => this.gan.generate(noise, count, GENERATED_STEPS))
  }

  /** Pays each timed thing's one-time costs (kernels, caches), for steps and for generations of 1 and 16. */
  async warmUp(): Promise<void> {
    await this.step()
    await this.generation(1)
    await this.generation(VARIATIONS)
  }

  dispose(): void {
    this.gan.dispose()
  }
}

export async function runBenchmark(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const settings = benchmarkSettings(options)
  const corpusLoadMs = options.dataDir
    ? await (async () => {
        const start = performance.now()
        await loadDataset(options.dataDir!, settings)
        return performance.now() - start
      })()
    : null

  const model = new TimedModel(settings)
  try {
    const total = options.steps + 1
    await model.warmUp()
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
      corpus_load_ms: corpusLoadMs === null ? null : Math.round(corpusLoadMs),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      settings,
    }
  } finally {
    model.dispose()
  }
}

/** What a comparison times of each generator, one value per pair. */
export interface ComparedTimes {
  train_step_ms: number[]
  generate_ms_512: number[]
  generate_ms_512_x16: number[]
}

export interface ComparisonResult {
  backend: string
  continuous: ComparedTimes
  sampled: ComparedTimes
  /** The median over the pairs of each pair's sampled time over the paper generator's. */
  sampled_ratio: { train_step: number; generate_512: number; generate_512_x16: number }
  settings: Settings
}

/**
 * The paper's generator and a sampling one at the same sizes (`options.output` aside), in one process and in
 * pairs: each pair times a step and both generations of each, the two in turn, the first of a pair
 * alternating, so that a shared machine's changing load falls on both alike; the ratios are taken pair by pair.
 */
export async function runComparison(options: BenchmarkOptions): Promise<ComparisonResult> {
  const kinds = ['continuous', 'sampled'] as const
  const models = kinds.map((output) => new TimedModel(benchmarkSettings({ ...options, output })))
  const times = kinds.map((): ComparedTimes => ({
    train_step_ms: [],
    generate_ms_512: [],
    generate_ms_512_x16: [],
  }))
  try {
    const total = options.steps + 1
    for (const model of models) await model.warmUp()
    options.onProgress?.(1, total)
    for (let pair = 0; pair < options.steps; pair++) {
      const order = pair % 2 === 0 ? [0, 1] : [1, 0]
      for (const k of order) times[k].train_step_ms.push(Math.round(await models[k].step()))
      for (const k of order) times[k].generate_ms_512.push(Math.round(await models[k].generation(1)))
      for (const k of order)
        times[k].generate_ms_512_x16.push(Math.round(await models[k].generation(VARIATIONS)))
      options.onProgress?.(pair + 2, total)
    }
    const [continuous, sampled] = times
    const ratio = (key: keyof ComparedTimes) =>
      Math.round(median(sampled[key].map((ms, pair) => ms / continuous[key][pair])) * 1000) / 1000
    return {
      backend: options.backend.name,
      continuous,
      sampled,
      sampled_ratio: {
        train_step: ratio('train_step_ms'),
        generate_512: ratio('generate_ms_512'),
        generate_512_x16: ratio('generate_ms_512_x16'),
      },
      settings: models[1].settings,
    }
  } finally {
    for (const model of models) model.dispose()
  }
}
