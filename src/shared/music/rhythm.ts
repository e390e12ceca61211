// Runs anywhere. The field's measures of model.md sec. 5b, per window of whole bars: where onsets fall in
// the bar, how alike the bars' rhythms are, pitch-class entropy, density, dynamics and repeated bars. The
// paper's statistics (sec. 5) compare pitch content only; these hear rhythm. Each window also carries the
// paper's statistics of its own tones, so that one record describes it for a classifier.
import { barLineTime } from './bars'
import { pieceEnd, type Piece } from './piece'
import { REALISM_STATISTIC_NAMES, type RealismStatisticName } from './realism'
import { computeStatistics, tonesOf, type Tone } from './statistics'

export const RHYTHM_STATISTIC_NAMES = [
  'on_grid',
  'on_triplet_grid',
  'groove',
  'pc_entropy_1',
  'pc_entropy_4',
  'notes_per_bar',
  'pitch_classes_per_bar',
  'velocity_spread',
  'bar_repeats',
] as const

export type RhythmStatisticName = (typeof RHYTHM_STATISTIC_NAMES)[number]

/** What a window of bars is described by: the measures of sec. 5b, then the paper's of its tones. */
export const WINDOW_STATISTIC_NAMES = [...RHYTHM_STATISTIC_NAMES, ...REALISM_STATISTIC_NAMES] as const

export type WindowStatisticName = RhythmStatisticName | RealismStatisticName

export type WindowStatistics = Record<WindowStatisticName, number>

export const DEFAULT_WINDOW_BARS = 4

/** A window's statistics as one vector, in WINDOW_STATISTIC_NAMES order: what a classifier reads. */
export function windowVector(window: WindowStatistics): number[] {
  return WINDOW_STATISTIC_NAMES.map((name) => window[name])
}

/**
 * Windows as numbers only, [windows x WINDOW_STATISTIC_NAMES.length] row by row (windowVector): how a
 * training set keeps its pieces' windows, a few dozen bytes each.
 */
export function packWindows(windows: readonly WindowStatistics[]): Float32Array {
  return Float32Array.from(windows.flatMap(windowVector))
}

/** An onset this close to a grid position, in quarter notes, is on it. */
export const GRID_TOLERANCE = 1 / 20

const SIXTEENTH = 1 / 4
const EIGHTH_TRIPLET = 1 / 3

/** Positions of a bar in a grooving pattern (MusDr). */
export const GROOVE_POSITIONS = 64

/** A tone and where in its bar it starts, in quarter notes from the bar line. */
interface BarTone extends Tone {
  position: number
}

interface Bar {
  /** In quarter notes. */
  length: number
  tones: BarTone[]
}

/**
 * The piece's whole bars, each with the tones that start in it. A bar is whole when the piece sounds to its
 * end, so a piece cut off mid-bar (as generated ones are) does not end on a half-empty bar.
 */
function wholeBars(piece: Piece): Bar[] {
  const end = pieceEnd(piece)
  const lines = [0]
  while (barLineTime(piece.timeSignatures, lines.length) <= end) {
    lines.push(barLineTime(piece.timeSignatures, lines.length))
  }
  const bars: Bar[] = lines.slice(1).map((line, i) => ({ length: line - lines[i], tones: [] }))
  let bar = 0
  for (const tone of tonesOf(piece)) {
    while (bar < bars.length && tone.onset >= lines[bar + 1]) bar++
    if (bar === bars.length) break
    bars[bar].tones.push({ ...tone, position: tone.onset - lines[bar] })
  }
  return bars
}

/** Whether `position` lies within GRID_TOLERANCE of a multiple of `step`. */
function onGrid(position: number, step: number): boolean {
  return Math.abs(position - step * Math.round(position / step)) <= GRID_TOLERANCE + 1e-9
}

/** The slot of the grooving pattern an onset falls in: the nearest of GROOVE_POSITIONS, within the bar. */
function grooveSlot({ position }: BarTone, { length }: Bar): number {
  return Math.min(GROOVE_POSITIONS - 1, Math.round((position / length) * GROOVE_POSITIONS))
}

/** Which of a bar's GROOVE_POSITIONS an onset falls in. */
function groovePattern(bar: Bar): boolean[] {
  const pattern = new Array<boolean>(GROOVE_POSITIONS).fill(false)
  for (const tone of bar.tones) pattern[grooveSlot(tone, bar)] = true
  return pattern
}

/** Grooving pattern similarity (MusDr): the mean over pairs of bars of 1 − (positions that differ) / 64. */
function grooveSimilarity(bars: readonly Bar[]): number {
  const patterns = bars.map(groovePattern)
  let sum = 0
  let pairs = 0
  for (let i = 0; i < patterns.length; i++) {
    for (let j = i + 1; j < patterns.length; j++) {
      const differ = patterns[i].filter((hit, k) => hit !== patterns[j][k]).length
      sum += 1 - differ / GROOVE_POSITIONS
      pairs++
    }
  }
  return sum / pairs
}

const pitchClass = (pitch: number) => pitch % 12

/** Entropy in bits of the tones' pitch-class histogram, each tone counting once (as MusDr counts notes). */
export function pitchClassEntropy(tones: readonly Tone[]): number {
  const counts = new Array<number>(12).fill(0)
  for (const tone of tones) counts[pitchClass(tone.pitch)]++
  let entropy = 0
  for (const count of counts) {
    if (count > 0) entropy -= (count / tones.length) * Math.log2(count / tones.length)
  }
  return entropy
}

/** Population standard deviation. */
function standardDeviation(values: readonly number[]): number {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length
  return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length)
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length

/** Which pitch classes start at which slots of the grooving pattern: equal for bars heard as the same. */
function barContent(bar: Bar): string {
  const starts = new Set(bar.tones.map((tone) => grooveSlot(tone, bar) * 12 + pitchClass(tone.pitch)))
  return [...starts].sort((a, b) => a - b).join(',')
}

/** The fraction of `bars` that sound what an earlier bar of them sounded; a silent bar repeats nothing. */
function barRepeats(bars: readonly Bar[]): number {
  const seen = new Set<string>()
  let repeats = 0
  for (const bar of bars) {
    if (bar.tones.length === 0) continue
    const content = barContent(bar)
    if (seen.has(content)) repeats++
    seen.add(content)
  }
  return repeats / bars.length
}

function windowStatistics(bars: readonly Bar[]): WindowStatistics {
  const tones = bars.flatMap((bar) => bar.tones)
  const fractionOf = (test: (tone: BarTone) => boolean) => tones.filter(test).length / tones.length
  const sounding = bars.filter((bar) => bar.tones.length > 0)
  const paper = computeStatistics(tones)! // a window is measured only when it has tones
  return {
    on_grid: fractionOf((tone) => onGrid(tone.position, SIXTEENTH)),
    on_triplet_grid: fractionOf((tone) => onGrid(tone.position, EIGHTH_TRIPLET)),
    groove: grooveSimilarity(bars),
    pc_entropy_1: mean(sounding.map((bar) => pitchClassEntropy(bar.tones))),
    pc_entropy_4: pitchClassEntropy(tones),
    notes_per_bar: tones.length / bars.length,
    pitch_classes_per_bar: mean(bars.map((bar) => new Set(bar.tones.map((t) => pitchClass(t.pitch))).size)),
    velocity_spread: standardDeviation(tones.map((tone) => tone.velocity)),
    bar_repeats: barRepeats(bars),
    ...Object.fromEntries(REALISM_STATISTIC_NAMES.map((name) => [name, paper[name]])),
  } as WindowStatistics
}

/**
 * The statistics of each consecutive run of `bars` whole bars (bar lines from the piece's time signatures),
 * from the start. Trailing bars that do not fill a run, and runs in which no tone starts, are left out.
 */
export function barWindowStatistics(piece: Piece, bars = DEFAULT_WINDOW_BARS): WindowStatistics[] {
  if (!Number.isInteger(bars) || bars < 2) {
    throw new RangeError(`a window must be a whole number of bars, at least 2 (to compare); got ${bars}`)
  }
  const all = wholeBars(piece)
  const result: WindowStatistics[] = []
  for (let start = 0; start + bars <= all.length; start += bars) {
    const window = all.slice(start, start + bars)
    if (window.some((bar) => bar.tones.length > 0)) result.push(windowStatistics(window))
  }
  return result
}
