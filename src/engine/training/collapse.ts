// Node (engine). A collapse caught as it happens (model.md sec. 3, anchor): after every adversarial epoch
// G's measured output (epochRealism.ts) is held against the training pieces' own range of a few measures a
// collapsed G fails: distinct pitches, loops, notes per onset (loops.ts) and onsets on the grid (rhythm.ts),
// and D's accuracy pinned at 0 or 1 for a stretch of steps says that the game itself has broken down. The
// run then keeps its last good epoch and stops (training.ts).
import { DEFAULT_DECODE_OPTIONS } from '../../shared/music/decoding'
import { loopMeasures, type LoopMeasures } from '../../shared/music/loops'
import { DEFAULT_REALISM_WINDOW } from '../../shared/music/realism'
import type { WindowStatistics } from '../../shared/music/rhythm'
import { tonesOf, type Tone } from '../../shared/music/statistics'
import { median, quantile } from '../../shared/music/summary'
import { stepsToPiece } from '../model/encoding'
import type { CandidateOutput } from './epochRealism'

export const COLLAPSE_MEASURES = ['distinct_pitches', 'longest_loop', 'notes_per_onset', 'on_grid'] as const
export type CollapseMeasure = (typeof COLLAPSE_MEASURES)[number]

/** A measure's value for a set of windows (the median over them), where they had any. */
export type CollapseFigures = Partial<Record<CollapseMeasure, number>>

/** The training pieces' range of each measure over their windows: its 2nd to 98th percentile. */
export type CollapseRanges = Partial<Record<CollapseMeasure, [low: number, high: number]>>

/** The side of the range a collapsed G falls out of, and how a value is written. */
const MEASURES: Record<CollapseMeasure, { collapses: 'low' | 'high'; words: string; digits: number }> = {
  distinct_pitches: { collapses: 'low', words: 'distinct pitches in 200 tones', digits: 0 },
  longest_loop: { collapses: 'high', words: 'tones in one loop', digits: 0 },
  notes_per_onset: { collapses: 'high', words: 'notes per onset', digits: 2 },
  on_grid: { collapses: 'low', words: 'of onsets on the sixteenth grid', digits: 2 },
}

/** How far outside its bound a value must lie, in widths of the training pieces' range: noise is not collapse. */
const MARGIN = 0.1

/** D's accuracy at exactly 0 or 1 in this many adversarial steps in a row is a game that has broken down. */
export const PINNED_STEPS = 50

/** The percentiles of the training pieces' windows that bound their range. */
const LOW = 0.02
const HIGH = 0.98

/** Each measure's values over the windows: tone windows for the first three, bar windows for on_grid. */
function valuesOf(
  loops: readonly LoopMeasures[],
  onGrid: readonly number[],
): Record<CollapseMeasure, number[]> {
  return {
    distinct_pitches: loops.map((window) => window.distinct_pitches),
    longest_loop: loops.map((window) => window.longest_loop),
    notes_per_onset: loops.map((window) => window.notes_per_onset),
    on_grid: [...onGrid],
  }
}

/** The training pieces' ranges, from their windows of DEFAULT_REALISM_WINDOW tones and of bars. */
export function collapseRanges(loops: readonly LoopMeasures[], onGrid: readonly number[]): CollapseRanges {
  const ranges: CollapseRanges = {}
  for (const [measure, values] of Object.entries(valuesOf(loops, onGrid))) {
    if (values.length > 0)
      ranges[measure as CollapseMeasure] = [quantile(values, LOW), quantile(values, HIGH)]
  }
  return ranges
}

/** G's output, each variation's tones and its windows of bars (measureOutput), as figures. */
export function collapseFigures(
  variations: readonly (readonly Tone[])[],
  barWindows: readonly WindowStatistics[],
): CollapseFigures {
  const loops = variations.flatMap((tones) => loopMeasures(tones, DEFAULT_REALISM_WINDOW))
  const values = valuesOf(
    loops,
    barWindows.map((window) => window.on_grid),
  )
  const figures: CollapseFigures = {}
  for (const [measure, list] of Object.entries(values)) {
    if (list.length > 0) figures[measure as CollapseMeasure] = median(list)
  }
  return figures
}

const written = (measure: CollapseMeasure, value: number) => value.toFixed(MEASURES[measure].digits)

/**
 * What a collapse of `figures` looks like in words, e.g. "3 distinct pitches in 200 tones (training pieces
 * 38-71)"; null when every measure lies within its range, widened by MARGIN of its width. A G that already
 * lay outside a range before its adversarial epochs (`baseline`) is stopped only where it lies twice as far
 * outside: from one measured output to the next its figures move by more than the margin.
 */
export function findCollapse(
  figures: CollapseFigures,
  ranges: CollapseRanges,
  baseline: CollapseFigures = {},
): string | null {
  for (const measure of COLLAPSE_MEASURES) {
    const [value, range] = [figures[measure], ranges[measure]]
    if (value === undefined || range === undefined) continue
    const [low, high] = range
    const margin = MARGIN * (high - low)
    const before = baseline[measure]
    const outside =
      MEASURES[measure].collapses === 'low'
        ? value < low - margin - 2 * Math.max(0, low - (before ?? low))
        : value > high + margin + 2 * Math.max(0, (before ?? high) - high)
    if (outside) {
      const { words } = MEASURES[measure]
      return `${written(measure, value)} ${words} (training pieces ${written(measure, low)}-${written(measure, high)})`
    }
  }
  return null
}

/** Counts the adversarial steps in a row in which D's accuracy stayed at exactly 0, or at exactly 1. */
export class PinnedAccuracy {
  private value: number | null = null
  private steps = 0

  add(accuracy: number): void {
    const pinned = accuracy === 0 || accuracy === 1 ? accuracy : null
    this.steps = pinned !== null && pinned === this.value ? this.steps + 1 : pinned === null ? 0 : 1
    this.value = pinned
  }

  /** The stretch in words once it is PINNED_STEPS long, else null. */
  get collapse(): string | null {
    return this.steps >= PINNED_STEPS
      ? `D's accuracy at ${this.value} for ${this.steps} steps in a row`
      : null
  }
}

/** The figures of an epoch's measured output (epochRealism.ts), decoded as it was measured. */
export function outputFigures({
  variations,
  intensityThresholds,
  windows,
}: CandidateOutput): CollapseFigures {
  const options = { ...DEFAULT_DECODE_OPTIONS, intensityThresholds }
  return collapseFigures(
    variations.map((steps) => tonesOf(stepsToPiece(steps, options))),
    windows.flat(),
  )
}
