// Node. `cadenza bench`: how fast this machine trains and generates, and how soon the default model answers
// a call played in (the studio's Answer me), as one JSON line or a short table.
import { timeAnswers } from '../engine/answerBenchmark'
import { selectBackend, type BackendName } from '../engine/process/backend'
import {
  runBenchmark,
  runComparison,
  type BenchmarkOptions,
  type ComparedTimes,
  type ComparisonResult,
} from '../engine/benchmark'
import { median } from '../shared/music/summary'
import type { ModelSettings } from '../shared/modelSettings'
import { DEFAULT_MODEL_DIR } from './generateCommand'
import { createProgress } from './progress'
import { runLibraryBenchmark } from './libraryBench'
import { table } from './table'
import { backendLine } from './backendLine'

export interface BenchOptions {
  batch: number
  seqLen: number
  hidden: number
  steps: number
  featureMatching: boolean
  output: ModelSettings['output']
  data?: string
  json?: boolean
  backend?: BackendName
  /** Instead: the paper's generator and a sampling one, alternately in one process. */
  compare?: boolean
  /** Instead: a library built from this corpus (libraryBench.ts). */
  library?: string
}

export async function runBench(options: BenchOptions): Promise<void> {
  if (options.library !== undefined) return benchLibrary(options.library, options.json === true)
  const backend = await selectBackend(options.backend)
  process.stderr.write(backendLine(backend))
  const progress = createProgress('steps', options.steps + 1)
  const benchmark: BenchmarkOptions = {
    backend,
    batch: options.batch,
    sequenceLength: options.seqLen,
    hiddenUnits: options.hidden,
    steps: options.steps,
    featureMatching: options.featureMatching,
    output: options.output,
    dataDir: options.data,
    onProgress: () => progress.advance(),
  }
  if (options.compare) {
    const comparison = await runComparison(benchmark)
    progress.stop()
    return printComparison(comparison, options.json === true)
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
      `${model.hiddenUnits} units, ${model.output} generator, ` +
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

/** The two generators' medians side by side, and the sampling one's ratio to the paper's (pair by pair). */
function printComparison(comparison: ComparisonResult, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(comparison))
    return
  }
  const { model, training } = comparison.settings
  console.log(
    `the paper's generator and a sampling one, alternately: batch ${training.batchSize}, ` +
      `${training.sequenceLength} steps, ${model.layers} layers of ${model.hiddenUnits} units, ` +
      `${comparison.continuous.train_step_ms.length} pairs`,
  )
  const { continuous, sampled, sampled_ratio: ratio } = comparison
  const row = (name: string, key: keyof ComparedTimes, times: number): string[] => [
    name,
    String(Math.round(median(continuous[key]))),
    String(Math.round(median(sampled[key]))),
    times.toFixed(2),
  ]
  console.log(
    table(
      ['median (ms)', 'paper', 'sampled', 'sampled / paper'],
      [
        row('train step', 'train_step_ms', ratio.train_step),
        row('generate 512 steps', 'generate_ms_512', ratio.generate_512),
        row('generate 512 steps x 16', 'generate_ms_512_x16', ratio.generate_512_x16),
      ],
    ),
  )
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
