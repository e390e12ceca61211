// Node. `cadenza eval`: the statistics of model.md sec. 5 for MIDI files (whole or in windows), or the
// realism distance and the longest copied run of a generated set against real and training sets.
import { isAbsolute, relative, sep } from 'node:path'
import { findMidiFiles, readPieceFile, readProblem, type FileProblem } from '../engine/data/midiFiles'
import { longestCopiedRun } from '../shared/music/memorization'
import { DEFAULT_REALISM_WINDOW, realismDistance, REALISM_STATISTIC_NAMES } from '../shared/music/realism'
import {
  computeStatistics,
  STATISTIC_NAMES,
  tonesOf,
  windowedStatistics,
  type Statistics,
  type Tone,
} from '../shared/music/statistics'
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
  tones: Tone[]
}

/** Reads every MIDI file under `paths`; files without notes are problems too, since they cannot be measured. */
async function measureFiles(
  paths: readonly string[],
  label: string,
  json: boolean,
): Promise<{ read: MeasuredFile[]; failed: number }> {
  const { files, problems } = await findMidiFiles(paths)
  const read: MeasuredFile[] = []
  const progress = createProgress(label, files.length)
  for (const file of files) {
    try {
      const tones = tonesOf(await readPieceFile(file))
      if (tones.length === 0) problems.push({ file, error: 'no notes to measure' })
      else read.push({ file, tones })
    } catch (error) {
      problems.push(readProblem(file, error))
    }
    progress.advance()
  }
  progress.stop()
  printProblems(problems, json)
  return { read, failed: problems.length }
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

function evalStatistics(measured: readonly MeasuredFile[], options: EvalOptions): void {
  const json = options.json === true
  const window = options.window
  const rows: { file: string; window?: number; stats: Statistics }[] = measured.flatMap(({ file, tones }) =>
    window === undefined
      ? [{ file, stats: computeStatistics(tones)! }]
      : windowedStatistics(tones, window).map((stats, index) => ({ file, window: index, stats })),
  )
  if (json) {
    for (const row of rows) {
      const line =
        row.window === undefined
          ? { file: row.file, stats: row.stats }
          : { file: row.file, window: row.window, ...row.stats }
      console.log(JSON.stringify(line))
    }
    return
  }
  if (rows.length === 0) return
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
}

/** A file relative to the folder given as `path`; one from a list (or `path` itself) as found. */
function shortName(path: string, file: string): string {
  const inside = relative(path, file)
  const outside = inside === '' || inside.startsWith(`..${sep}`) || isAbsolute(inside)
  return outside ? file : inside
}

/** Returns how many of the real and training files could not be read. */
async function evalAgainstReal(
  generated: readonly MeasuredFile[],
  options: EvalOptions & { real: string },
): Promise<number> {
  const json = options.json === true
  const window = options.window ?? DEFAULT_REALISM_WINDOW
  const real = await measureFiles([options.real], 'real', json)
  const training =
    options.train === undefined ? undefined : await measureFiles([options.train], 'training', json)
  const failed = real.failed + (training?.failed ?? 0)
  if (real.read.length === 0) throw new CliError(`no readable MIDI file with notes in ${options.real}`)

  if (training) {
    const trainingPitches = training.read.map(({ tones }) => tones.map((tone) => tone.pitch))
    for (const { file, tones } of generated) {
      const run = longestCopiedRun(
        tones.map((tone) => tone.pitch),
        trainingPitches,
      )
      const source = run.length > 0 ? training.read[run.trainingIndex].file : null
      if (json) console.log(JSON.stringify({ file, longest_copied_run: run.length, copied_from: source }))
      else
        console.log(
          `${file}: longest copied run ${run.length}${source ? ` (from ${shortName(options.train!, source)})` : ''}`,
        )
    }
  }

  let report
  try {
    report = realismDistance(
      generated.map(({ tones }) => tones),
      real.read.map(({ tones }) => tones),
      window,
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
  const generated = await measureFiles(paths, 'reading', options.json === true)
  let failed = generated.failed
  if (options.real === undefined) evalStatistics(generated.read, options)
  else failed += await evalAgainstReal(generated.read, { ...options, real: options.real })
  if (failed > 0) process.exitCode = 1
}
