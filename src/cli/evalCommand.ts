// Node. `cadenza eval`: the statistics of model.md sec. 5 for MIDI files (whole or in windows), or the
// realism distance, the rhythm measures of sec. 5b and the longest copied run of a generated set against
// real and training sets.
import { isAbsolute, relative, sep } from 'node:path'
import { readFiles } from '../engine/data/fileReader'
import type { Measurement, MeasureOptions } from '../engine/data/fileTasks'
import { findMidiFiles, type FileProblem } from '../engine/data/midiFiles'
import { useCpuForTwoSampleTests, type TwoSampleTestResult } from '../engine/twoSampleTest'
import { compareWindows, type WindowComparison } from '../engine/windowComparison'
import { longestCopiedRun } from '../shared/music/memorization'
import {
  DEFAULT_REALISM_WINDOW,
  realismOfWindows,
  referenceOfWindows,
  REALISM_STATISTIC_NAMES,
} from '../shared/music/realism'
import { DEFAULT_WINDOW_BARS, WINDOW_STATISTIC_NAMES, type WindowStatistics } from '../shared/music/rhythm'
import { STATISTIC_NAMES, type Statistics } from '../shared/music/statistics'
import { interquartileRange, median } from '../shared/music/summary'
import { CliError } from './cliError'
import { createProgress } from './progress'
import { formatNumber, table } from './table'

export interface EvalOptions {
  json?: boolean
  window?: number
  real?: string
  train?: string
  bars?: number
}

interface MeasuredFile {
  file: string
  measurement: Measurement
}

/**
 * Measures every MIDI file under `paths`, streaming (fileReader.ts): `onFile` gets each measured file in
 * order and keeps what it needs; files without notes are problems too, since they cannot be measured.
 * Problems are printed once the files are done. Returns how many there were.
 */
async function measureFiles(
  paths: readonly string[],
  label: string,
  json: boolean,
  options: MeasureOptions,
  onFile: (measured: MeasuredFile) => void,
): Promise<number> {
  const { files, problems } = await findMidiFiles(paths)
  const progress = createProgress(label, files.length)
  for await (const read of readFiles(files, 'measure', {
    options: () => options,
    onFile: () => progress.advance(),
  })) {
    if ('problem' in read) problems.push({ file: read.file, error: read.problem })
    else onFile({ file: read.file, measurement: read.value })
  }
  progress.stop()
  printProblems(problems, json)
  return problems.length
}

function printProblems(problems: readonly FileProblem[], json: boolean): void {
  for (const problem of problems) {
    if (json) console.log(JSON.stringify(problem))
    else process.stderr.write(`${problem.file}: ${problem.error}\n`)
  }
}

function printSummary(rows: readonly Statistics[], what: string): void {
  console.log(`\nSummary of ${rows.length} ${what}:`)
  console.log(
    table(
      ['statistic', 'median', 'IQR'],
      STATISTIC_NAMES.map((name) => {
        const values = rows.map((row) => row[name])
        return [name, formatNumber(median(values)), formatNumber(interquartileRange(values))]
      }),
    ),
  )
}

type Row = { file: string; window?: number; stats: Statistics }

const rowsOf = ({ file, measurement }: MeasuredFile, window: number | undefined): Row[] =>
  window === undefined
    ? [{ file, stats: measurement.statistics }]
    : measurement.windows.map((stats, index) => ({ file, window: index, stats }))

/** With --json each line is printed as its file is measured; the table needs every row's statistics. */
async function evalStatistics(paths: readonly string[], options: EvalOptions): Promise<number> {
  const json = options.json === true
  const window = options.window
  const rows: Row[] = []
  const failed = await measureFiles(paths, 'reading', json, { window }, (measured) => {
    for (const row of rowsOf(measured, window)) {
      if (!json) rows.push(row)
      else if (row.window === undefined) console.log(JSON.stringify({ file: row.file, stats: row.stats }))
      else console.log(JSON.stringify({ file: row.file, window: row.window, ...row.stats }))
    }
  })
  if (json || rows.length === 0) return failed
  const header = [...STATISTIC_NAMES, ...(window === undefined ? [] : ['window']), 'file']
  console.log(
    table(
      header,
      rows.map((row) => [
        ...STATISTIC_NAMES.map((name) => formatNumber(row.stats[name])),
        ...(row.window === undefined ? [] : [String(row.window)]),
        row.file,
      ]),
    ),
  )
  printSummary(
    rows.map((row) => row.stats),
    window === undefined ? 'files' : `windows of ${window} tones`,
  )
  return failed
}

/** A file relative to the folder given as `path`; one from a list (or `path` itself) as found. */
function shortName(path: string, file: string): string {
  const inside = relative(path, file)
  const outside = inside === '' || inside.startsWith(`..${sep}`) || isAbsolute(inside)
  return outside ? file : inside
}

/** The generated files against the real (and training) ones; returns how many files could not be read. */
async function evalAgainstReal(
  paths: readonly string[],
  options: EvalOptions & { real: string },
): Promise<number> {
  const json = options.json === true
  const window = options.window ?? DEFAULT_REALISM_WINDOW
  const bars = options.bars ?? DEFAULT_WINDOW_BARS
  const generated: MeasuredFile[] = []
  const withPitches = options.train !== undefined
  let failed = await measureFiles(
    paths,
    'reading',
    json,
    { window, pitches: withPitches, bars },
    (measured) => generated.push(measured),
  )
  const realWindows: Statistics[] = []
  const realBarWindows: WindowStatistics[][] = []
  let realFiles = 0
  failed += await measureFiles([options.real], 'real', json, { window, bars }, ({ measurement }) => {
    realFiles++
    realWindows.push(...measurement.windows)
    realBarWindows.push(measurement.barWindows)
  })
  const training: { file: string; pitches: Uint8Array }[] = []
  if (withPitches) {
    failed += await measureFiles([options.train!], 'training', json, { pitches: true }, (measured) =>
      training.push({ file: measured.file, pitches: measured.measurement.pitches! }),
    )
  }
  if (realFiles === 0) throw new CliError(`no readable MIDI file with notes in ${options.real}`)

  if (withPitches) {
    const trainingPitches = training.map(({ pitches }) => pitches)
    for (const { file, measurement } of generated) {
      const run = longestCopiedRun([...measurement.pitches!], trainingPitches)
      const source = run.length > 0 ? training[run.trainingIndex].file : null
      if (json) console.log(JSON.stringify({ file, longest_copied_run: run.length, copied_from: source }))
      else
        console.log(
          `${file}: longest copied run ${run.length}${source ? ` (from ${shortName(options.train!, source)})` : ''}`,
        )
    }
  }

  let report
  try {
    report = realismOfWindows(
      generated.flatMap(({ measurement }) => measurement.windows),
      referenceOfWindows(realWindows, window),
    )
  } catch (error) {
    throw new CliError((error as Error).message)
  }
  if (json) {
    console.log(
      JSON.stringify({
        realism_distance: report.distance,
        window,
        generated_windows: report.generatedWindows,
        real_windows: report.realWindows,
        statistics: Object.fromEntries(
          REALISM_STATISTIC_NAMES.map((name) => {
            const s = report.perStatistic[name]
            return [
              name,
              {
                generated_median: s.generatedMedian,
                real_median: s.realMedian,
                real_iqr: s.realIqr,
                distance: s.distance,
              },
            ]
          }),
        ),
      }),
    )
  } else {
    console.log(
      `\nRealism distance over windows of ${window} tones (${report.generatedWindows} generated, ${report.realWindows} real):`,
    )
    console.log(
      table(
        ['statistic', 'generated median', 'real median', 'real IQR', 'distance'],
        REALISM_STATISTIC_NAMES.map((name) => {
          const s = report.perStatistic[name]
          return [
            name,
            formatNumber(s.generatedMedian),
            formatNumber(s.realMedian),
            formatNumber(s.realIqr),
            formatNumber(s.distance),
          ]
        }),
      ),
    )
    console.log(`realism distance: ${formatNumber(report.distance)} (lower is better)`)
  }

  await useCpuForTwoSampleTests()
  let comparison
  try {
    comparison = await compareWindows(
      generated.map(({ measurement }) => measurement.barWindows),
      realBarWindows,
    )
  } catch (error) {
    throw new CliError((error as Error).message)
  }
  printWindowComparison(comparison, bars, json)
  return failed
}

const testJson = (test: TwoSampleTestResult | null) =>
  test && { accuracy: test.accuracy, windows_per_set: test.windowsPerSet, folds: test.folds }

function testLine(test: TwoSampleTestResult | null): string {
  if (test === null) return 'not measured (a set has fewer than two pieces with windows)'
  return `${formatNumber(test.accuracy)} (${test.windowsPerSet} windows a set, ${test.folds} folds of whole pieces)`
}

/** The measures of model.md sec. 5b: one JSON line, or a table and the classifier's lines. */
function printWindowComparison(comparison: WindowComparison, bars: number, json: boolean): void {
  const { perStatistic, classifier, realAgainstReal } = comparison
  if (json) {
    console.log(
      JSON.stringify({
        bars,
        generated_windows: comparison.generatedWindows,
        real_windows: comparison.realWindows,
        statistics: Object.fromEntries(
          WINDOW_STATISTIC_NAMES.map((name) => {
            const { generatedMedian, realMedian, generatedMean, realMean, overlap } = perStatistic[name]
            return [
              name,
              {
                generated_median: generatedMedian,
                real_median: realMedian,
                generated_mean: generatedMean,
                real_mean: realMean,
                overlap,
              },
            ]
          }),
        ),
        classifier: testJson(classifier),
        real_against_real: testJson(realAgainstReal),
      }),
    )
    return
  }
  console.log(
    `\nRhythm, dynamics and the paper's statistics over windows of ${bars} bars (${comparison.generatedWindows} generated, ${comparison.realWindows} real):`,
  )
  console.log(
    table(
      ['statistic', 'generated median', 'real median', 'generated mean', 'real mean', 'overlap'],
      WINDOW_STATISTIC_NAMES.map((name) => {
        const { generatedMedian, realMedian, generatedMean, realMean, overlap } = perStatistic[name]
        const figures = [generatedMedian, realMedian, generatedMean, realMean, overlap]
        return [name, ...figures.map(formatNumber)]
      }),
    ),
  )
  console.log(`classifier accuracy, generated against real: ${testLine(classifier)}`)
  console.log(`classifier accuracy, real against real:      ${testLine(realAgainstReal)}`)
  console.log('(overlap: 1 when distributed alike; accuracy: 0.5 when the sets cannot be told apart)')
}

export async function runEval(paths: string[], options: EvalOptions): Promise<void> {
  if (options.train !== undefined && options.real === undefined)
    throw new CliError('--train needs --real as well')
  if (options.bars !== undefined && options.real === undefined)
    throw new CliError('--bars needs --real as well')
  if (options.bars === 1) throw new CliError('--bars must be 2 or more: the rhythm measures compare bars')
  const failed =
    options.real === undefined
      ? await evalStatistics(paths, options)
      : await evalAgainstReal(paths, { ...options, real: options.real })
  if (failed > 0) process.exitCode = 1
}
