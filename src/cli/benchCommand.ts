// Node. `cadenza bench`: how fast this machine trains and generates, and how soon the default model answers
// a call played in (the studio's Answer me), as one JSON line or a short table.
import { timeAnswers } from '../engine/answerBenchmark'
import { selectBackend, type BackendName } from '../engine/process/backend'
import {
  BENCHMARK_SHAPES,
  COMPARED,
  runBenchmark,
  runComparison,
  runPretraining,
  type BenchmarkOptions,
  type ComparedMeasure,
  type ComparisonKind,
  type ComparisonResult,
  type PretrainingResult,
} from '../engine/benchmark'
import { median } from '../shared/music/summary'
import type { ModelSettings } from '../shared/modelSettings'
import { CliError } from './cliError'
import { DEFAULT_MODEL_DIR } from './generateCommand'
import { createProgress } from './progress'
import { runLibraryBenchmark } from './libraryBench'
import { table } from './table'
import { backendLine } from './backendLine'

export interface BenchOptions {
  /** Sizes and generator: the paper's unless given, or with `pretrain` the default model's. */
  batch?: number
  seqLen?: number
  hidden?: number
  output?: ModelSettings['output']
  meter?: boolean
  steps: number
  featureMatching: boolean
  data?: string
  json?: boolean
  backend?: BackendName
  /** Instead: two models alternately in one process (COMPARISONS in benchmark.ts). */
  compare?: ComparisonKind
  /** Instead: the pretraining step at the default model's shape, and with `data` the epoch's measurement. */
  pretrain?: boolean
  /** Instead: a library built from this corpus (libraryBench.ts). */
  library?: string
}

/** The shape a benchmark times unless told otherwise: the default model's for what concerns it alone. */
const defaultShape = ({ pretrain, compare }: BenchOptions) =>
  pretrain || compare === 'meter' || compare === 'steering'
    ? BENCHMARK_SHAPES.defaultModel
    : BENCHMARK_SHAPES.paper

/** What the benchmark times: the sizes and generator asked for, else those of its shape. */
function benchmarkOptions(options: BenchOptions): Omit<BenchmarkOptions, 'backend' | 'onProgress'> {
  const shape = defaultShape(options)
  const output = options.output ?? shape.output
  // The shape's metric position goes with its own generator only.
  const meter = options.meter ?? (shape.meter && output === shape.output)
  if (meter && output !== 'sampled')
    throw new CliError('--meter: the metric position is an option of a sampling generator (--output sampled)')
  return {
    preset: shape.preset,
    batch: options.batch ?? shape.batch,
    sequenceLength: options.seqLen ?? shape.sequenceLength,
    hiddenUnits: options.hidden ?? shape.hiddenUnits,
    output,
    meter,
    steps: options.steps,
    featureMatching: options.featureMatching,
    dataDir: options.data,
  }
}

export async function runBench(options: BenchOptions): Promise<void> {
  if (options.library !== undefined) return benchLibrary(options.library, options.json === true)
  const asked = benchmarkOptions(options)
  const backend = await selectBackend(options.backend)
  process.stderr.write(backendLine(backend))
  const epochMeasured = options.pretrain === true && options.data !== undefined
  const progress = createProgress('steps', options.steps + (epochMeasured ? 2 : 1))
  const benchmark: BenchmarkOptions = { ...asked, backend, onProgress: () => progress.advance() }
  if (options.compare) {
    const comparison = await runComparison(benchmark, options.compare)
    progress.stop()
    return printComparison(comparison, options.json === true)
  }
  if (options.pretrain) {
    const pretraining = await runPretraining(benchmark)
    progress.stop()
    return printPretraining(pretraining, options.json === true)
  }
  const result = await runBenchmark(benchmark)
  progress.stop()
  const answers = await timeAnswers(DEFAULT_MODEL_DIR)
  if (options.json) {
    console.log(JSON.stringify({ ...result, ...answers }))
    return
  }
  const { model, training } = result.settings
  console.log(
    `adversarial step: batch ${training.batchSize}, ${training.sequenceLength} steps, ${model.layers} layers of ` +
      `${model.hiddenUnits} units, ${generatorName(model)}, ` +
      `${training.featureMatching ? 'with' : 'without'} feature matching`,
  )
  const rows: [string, string][] = [
    ['train step, median (ms)', String(result.train_step_ms_median)],
    ['generate 512 steps (ms)', String(result.generate_ms_512)],
    ['generate 512 steps x 16 (ms)', String(result.generate_ms_512_x16)],
    ['peak memory (MB)', String(result.peak_rss_mb)],
    ['answer 4 bars to a call, default model (ms)', String(answers.answer_ms_4_bars)],
  ]
  if (result.corpus_load_ms !== null)
    rows.push(['load and encode the data (ms)', String(result.corpus_load_ms)])
  console.log(table(['measure', 'value'], rows))
}

const generatorName = ({ output, meter }: ModelSettings) =>
  `${output} generator${meter ? ' reading the metric position' : ''}`

const tones = (count: number) => (count === 1 ? 'one tone' : `${count} tones`)

function printPretraining(result: PretrainingResult, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(result))
    return
  }
  const { model, training } = result.settings
  console.log(
    `pretraining step: batch ${training.batchSize}, ${training.sequenceLength} steps, ${model.layers} layers ` +
      `of ${model.hiddenUnits} units, ${tones(model.tonesPerStep)} a step, ${generatorName(model)}`,
  )
  const rows: [string, string][] = [
    ['pretrain step, median (ms)', String(result.pretrain_step_ms_median)],
    ['tokens per second', String(result.pretrain_tokens_per_s)],
    ['peak memory (MB)', String(result.peak_rss_mb)],
  ]
  if (result.epoch_measure_ms !== null)
    rows.push(["the epoch's measurement (ms)", String(result.epoch_measure_ms)])
  if (result.corpus_load_ms !== null)
    rows.push(['load and encode the data (ms)', String(result.corpus_load_ms)])
  console.log(table(['measure', 'value'], rows))
}

/** Each comparison's models as its table names them, and what sets them apart. */
const COMPARED_MODELS: Record<ComparisonKind, { labels: [string, string]; title: string }> = {
  output: { labels: ['paper', 'sampled'], title: "the paper's generator and a sampling one" },
  meter: {
    labels: ['no meter', 'meter'],
    title: 'a sampling generator without the metric position and with it',
  },
  steering: {
    labels: ['free', 'steered'],
    title:
      'the default model free and under every steering rule (D minor, C3-C6, sixteenths, 12 a bar, 3 keys, repetition 0.3)',
  },
}

const ROW_NAMES: Record<ComparedMeasure, string> = {
  train_step_ms: 'train step',
  generate_ms_512: 'generate 512 steps',
  generate_ms_512_x16: 'generate 512 steps x 16',
}

/** The two models' medians side by side, and the second's ratio to the first (pair by pair). */
function printComparison(comparison: ComparisonResult, json: boolean): void {
  const { names, times, ratio, settings } = comparison
  if (json) {
    const [first, second] = names
    console.log(
      JSON.stringify({
        backend: comparison.backend,
        [first]: times[0],
        [second]: times[1],
        [`${second}_ratio`]: ratio,
        settings,
      }),
    )
    return
  }
  const measures = (Object.keys(ROW_NAMES) as ComparedMeasure[]).filter((key) => times[0][key])
  const { model, training } = settings
  const { labels, title } = COMPARED_MODELS[comparison.kind]
  console.log(
    `${title}, alternately: batch ${training.batchSize}, ${training.sequenceLength} steps, ` +
      `${model.layers} layers of ${model.hiddenUnits} units, ${times[0][measures[0]]!.length} pairs`,
  )
  const rows = measures.map((measure) => [
    ROW_NAMES[measure],
    ...times.map((model) => String(Math.round(median(model[measure]!)))),
    ratio[COMPARED[measure]].toFixed(2),
  ])
  console.log(table(['median (ms)', ...labels, `${labels[1]} / ${labels[0]}`], rows))
}

async function benchLibrary(corpus: string, json: boolean): Promise<void> {
  const result = await runLibraryBenchmark(corpus)
  if (json) {
    console.log(JSON.stringify(result))
    return
  }
  console.log(
    `a library of ${result.files} files (${result.broken} broken), ${result.megabytes} MB, ` +
      `read by ${result.threads} worker threads or without workers`,
  )
  const figure = ({ seconds, peak_mb }: { seconds: number; peak_mb: number }) => [`${seconds}`, `${peak_mb}`]
  console.log(
    table(
      ['measure', 'seconds', 'peak memory (MB)'],
      [
        ['cadenza eval --json', ...figure(result.eval)],
        ['cadenza eval --json, no workers', ...figure(result.eval_no_workers)],
        ['dataset report (engine)', ...figure(result.dataset_report)],
        ['dataset report (engine), no workers', ...figure(result.dataset_report_no_workers)],
      ],
    ),
  )
}
