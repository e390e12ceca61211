// Node. `cadenza eval`: the statistics of model.md sec. 5 for MIDI files (whole or in windows), or the
// realism distance and the longest copied run of a generated set against real and training sets.
import { isAbsolute, relative, sep } from 'node:path'
import { readFiles } from '../engine/data/fileReader'
import type { Measurement, MeasureOptions } from '../engine/data/fileTasks'
import { findMidiFiles, type FileProblem } from '../engine/data/midiFiles'
import { longestCopiedRun } from '../shared/music/memorization'
import {
  DEFAULT_REALISM_WINDOW,
  realismOfWindows,
  referenceOfWindows,
  REALISM_STATISTIC_NAMES,
} from '../shared/music/realism'
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
  const generated: MeasuredFile[] = []
  const withPitches = options.train !== undefined
  let failed = await measureFiles(paths, 'reading', json, { window, pitches: withPitches }, (measured) =>
    generated.push(measured),
  )
  const realWindows: Statistics[] = []
  let realFiles = 0
  failed += await measureFiles([options.real], 'real', json, { window }, ({ measurement }) => {
    realFiles++
    realWindows.push(...measurement.windows)
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
  return failed
}

export async function runEval(paths: string[], options: EvalOptions): Promise<void> {
  if (options.train !== undefined && options.real === undefined)
    throw new CliError('--train needs --real as well')
  const failed =
    options.real === undefined
      ? await evalStatistics(paths, options)
      : await evalAgainstReal(paths, { ...options, real: options.real })
  if (failed > 0) process.exitCode = 1
}
