// Node (engine). How fast this machine trains and generates: the figures behind the README's performance
// table. Measures wall time of real steps on seeded data, after a warm-up step that pays one-time costs.
import { PRESETS, type ModelSettings, type Settings } from '../shared/modelSettings'
import { median } from '../shared/music/summary'
import type { BackendInfo } from './process/backend'
import { CrnnGan } from './model/crnnGan'
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

export async function runBenchmark(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const settings = benchmarkSettings(options)
  const { batch, sequenceLength: time } = options
  const corpusLoadMs = options.dataDir
    ? await (async () => {
        const start = performance.now()
        await loadDataset(options.dataDir!, settings)
        return performance.now() - start
      })()
    : null

  const gan = new CrnnGan(settings)
  try {
    const random = createRandom(settings.training.seed, 'benchmark')
    const input = {
      real: realBatch(settings, random, batch * time * settings.model.tonesPerStep * CLASS_COUNTS.length),
      noise: random.fill(new Float32Array(batch * time * gan.noiseWidth)),
      batch,
      time,
    }
    const total = options.steps + 1
    const stepTimes: number[] = []
    for (let step = 0; step < total; step++) {
      const ms = await timed(() => gan.adversarialStep(input))
      if (step > 0) stepTimes.push(ms)
      options.onProgress?.(step + 1, total)
    }
    const generateMs = async (count: number) => {
      const noise = random.fill(new Float32Array(count * GENERATED_STEPS * gan.noiseWidth))
      await gan.generate(noise, count, GENERATED_STEPS) // warm-up at this size
      return timed(() => gan.generate(noise, count, GENERATED_STEPS))
    }
    const generate1 = await generateMs(1)
    const generate16 = await generateMs(VARIATIONS)
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
    gan.dispose()
  }
}
