// Node (engine). The rhythm and dynamics half of an epoch's measure (model.md sec. 5b): how the windows of
// bars of G's calibration output overlap the training pieces', statistic by statistic, and how often a
// classifier tells the two apart. The training pieces' windows are measured once, when the data is read
// (fileTasks.ts), and kept as numbers.
import { overlappingArea } from '../../shared/music/densityOverlap'
import { mean } from '../../shared/music/summary'
import {
  RHYTHM_STATISTIC_NAMES,
  WINDOW_STATISTIC_NAMES,
  windowVector,
  type RhythmStatisticName,
  type WindowStatistics,
} from '../../shared/music/rhythm'
import { chooseIndices, createRandom } from '../random'
import { classifierTwoSampleTest } from '../twoSampleTest'

const WIDTH = WINDOW_STATISTIC_NAMES.length

/**
 * The windows whose values each overlap is measured against, at most: a few thousand describe a
 * distribution as well as all of them, and keep each candidate's measure quick whatever the library's size.
 */
export const MAX_REFERENCE_WINDOWS = 4000

/** The training pieces' windows as the epoch's measure reads them. */
export interface RhythmReference {
  /** Each piece's windows, packed (packWindows), pieces without a whole window left out. */
  pieces: Float32Array[]
  /** For each statistic of RHYTHM_STATISTIC_NAMES, the values of (at most MAX_REFERENCE_WINDOWS) windows. */
  values: Record<RhythmStatisticName, number[]>
}

/** A piece's packed windows, one view of WIDTH values each. */
const rowsOf = (windows: Float32Array) =>
  Array.from({ length: windows.length / WIDTH }, (_, i) => windows.subarray(i * WIDTH, (i + 1) * WIDTH))

/** Which `count` of `total` windows are kept: all, or an even, seeded choice. */
function keptWindows(total: number, count: number): number[] {
  if (count >= total) return Array.from({ length: total }, (_, i) => i)
  return chooseIndices(createRandom('rhythm reference'), total, count)
}

/** The training pieces' packed windows (fileTasks.ts) as a reference; null when none has a whole window. */
export function rhythmReference(packed: readonly Float32Array[]): RhythmReference | null {
  const pieces = packed.filter((windows) => windows.length > 0)
  if (pieces.length === 0) return null
  const all = pieces.flatMap(rowsOf)
  const kept = keptWindows(all.length, MAX_REFERENCE_WINDOWS).map((i) => all[i])
  const values = Object.fromEntries(
    RHYTHM_STATISTIC_NAMES.map((name) => {
      const column = WINDOW_STATISTIC_NAMES.indexOf(name)
      return [name, kept.map((window) => window[column])]
    }),
  ) as Record<RhythmStatisticName, number[]>
  return { pieces, values }
}

/**
 * The mean over RHYTHM_STATISTIC_NAMES of the overlapping area of `generated`'s windows with the
 * reference's: 1 when distributed alike. 0 when `generated` has no whole window, for output that never
 * fills four bars has no rhythm to compare.
 */
export function rhythmOverlap(generated: readonly WindowStatistics[], reference: RhythmReference): number {
  if (generated.length === 0) return 0
  return mean(
    RHYTHM_STATISTIC_NAMES.map((name) =>
      overlappingArea(
        generated.map((window) => window[name]),
        reference.values[name],
      ),
    ),
  )
}

/**
 * How often a classifier tells a window of `generated` (one list of windows per piece) from one of the
 * training pieces (twoSampleTest.ts), on as many windows of each; null when either has fewer than two
 * pieces with windows.
 */
export async function classifierAccuracy(
  generated: readonly (readonly WindowStatistics[])[],
  reference: RhythmReference,
): Promise<number | null> {
  const real = reference.pieces.map((windows) => rowsOf(windows).map((row) => Array.from(row)))
  const result = await classifierTwoSampleTest(
    generated.map((windows) => windows.map(windowVector)),
    real,
  )
  return result?.accuracy ?? null
}
