// Runs anywhere. The seven statistics of model.md sec. 5 (paper sec. 3.1) that judge a piece of music, on a
// whole piece or on consecutive windows of tones so that pieces of different lengths compare fairly.

import type { Piece } from './piece'

export const STATISTIC_NAMES = [
  'num_tones',
  'scale_consistency',
  'tone_span',
  'unique_tones',
  'intensity_span',
  'polyphony',
  'repetitions_3',
] as const

export type StatisticName = (typeof STATISTIC_NAMES)[number]

export type Statistics = Record<StatisticName, number>

/**
 * One tone as the statistics see it; a `NoteEvent` satisfies it. A tone list is ordered by onset, then
 * pitch (as `Piece.notes` is), and tones that start together have exactly equal `onset` numbers.
 */
export interface Tone {
  /** Quarter notes from the start of the piece. */
  onset: number
  /** MIDI note number. */
  pitch: number
  /** MIDI velocity, the paper's intensity. */
  velocity: number
}

/** Scales as pitch classes above the root, model.md sec. 5. */
export const SCALES = {
  major: [0, 2, 4, 5, 7, 9, 11],
  naturalMinor: [0, 2, 3, 5, 7, 8, 10],
  harmonicMinor: [0, 2, 3, 5, 7, 8, 11],
} as const satisfies Record<string, readonly number[]>

const ALL_SCALES: readonly (readonly number[])[] = Object.values(SCALES)

/**
 * The tones of a piece: its notes with velocity > 0. The MIDI reader has already merged the tracks and left
 * out channel 10, and keeps the notes sorted, so only silent note-ons remain to drop.
 */
export function tonesOf(piece: Piece): Tone[] {
  return piece.notes
    .filter((note) => note.velocity > 0)
    .map(({ onset, pitch, velocity }) => ({ onset, pitch, velocity }))
}

/** (x mod 12) in 0..11, also for negative x (JavaScript's % keeps the sign). */
function pitchClass(x: number): number {
  return ((x % 12) + 12) % 12
}

/**
 * The largest fraction of `pitches` lying in one of `scales` over all 12 roots. Counting pitch classes
 * once makes each of the 12 x 3 trials cost 7 additions instead of a pass over the tones.
 */
export function scaleConsistency(
  pitches: readonly number[],
  scales: readonly (readonly number[])[] = ALL_SCALES,
): number {
  if (pitches.length === 0) throw new RangeError('scale consistency of no pitches')
  const classCounts = new Array<number>(12).fill(0)
  for (const pitch of pitches) classCounts[pitchClass(pitch)]++
  let best = 0
  for (const scale of scales) {
    for (let root = 0; root < 12; root++) {
      let inScale = 0
      for (const step of scale) inScale += classCounts[pitchClass(root + step)]
      best = Math.max(best, inScale)
    }
  }
  return best / pitches.length
}

/** Among the distinct onsets, the fraction at which two or more tones start. */
export function polyphony(tones: readonly Tone[]): number {
  if (tones.length === 0) throw new RangeError('polyphony of no tones')
  // A map rather than comparing neighbours, so the result does not hinge on the input order.
  const perOnset = new Map<number, number>()
  for (const tone of tones) perOnset.set(tone.onset, (perOnset.get(tone.onset) ?? 0) + 1)
  let chords = 0
  for (const count of perOnset.values()) if (count >= 2) chords++
  return chords / perOnset.size
}

/**
 * Pairs (i, j), j >= i + 3, whose 3-pitch windows starting at i and j are equal. Windows are grouped by
 * a numeric key (exact, since MIDI pitches are below 128), and within
 * a group the start positions come out ascending, so one pointer counts the earlier starts at least 3
 * back: O(n) instead of comparing all pairs, which matters for 20,000-tone pieces.
 */
export function repetitions3(pitches: readonly number[]): number {
  const groups = new Map<number, number[]>()
  for (let i = 0; i + 3 <= pitches.length; i++) {
    const key = pitches[i] * 16384 + pitches[i + 1] * 128 + pitches[i + 2]
    const starts = groups.get(key)
    if (starts) starts.push(i)
    else groups.set(key, [i])
  }
  let pairs = 0
  for (const starts of groups.values()) {
    let farEnough = 0 // how many of starts[0..] lie at least 3 before the current start
    for (const start of starts) {
      while (starts[farEnough] <= start - 3) farEnough++
      pairs += farEnough
    }
  }
  return pairs
}

function span(values: readonly number[]): number {
  let min = Infinity
  let max = -Infinity
  for (const value of values) {
    min = Math.min(min, value)
    max = Math.max(max, value)
  }
  return max - min
}

/** The seven statistics of `tones`, or null when there are none (nothing to divide by). */
export function computeStatistics(tones: readonly Tone[]): Statistics | null {
  if (tones.length === 0) return null
  const pitches = tones.map((tone) => tone.pitch)
  return {
    num_tones: tones.length,
    scale_consistency: scaleConsistency(pitches),
    tone_span: span(pitches),
    unique_tones: new Set(pitches).size,
    intensity_span: span(tones.map((tone) => tone.velocity)),
    polyphony: polyphony(tones),
    repetitions_3: repetitions3(pitches),
  }
}

/**
 * Statistics of each consecutive, non-overlapping run of `window` tones. A trailing run shorter than
 * `window` is dropped: its counts (num_tones, unique_tones, repetitions_3) would not compare with the rest.
 */
export function windowedStatistics(tones: readonly Tone[], window: number): Statistics[] {
  if (!Number.isInteger(window) || window < 1) {
    throw new RangeError(`window must be a whole number of tones, at least 1; got ${window}`)
  }
  const result: Statistics[] = []
  for (let start = 0; start + window <= tones.length; start += window) {
    const statistics = computeStatistics(tones.slice(start, start + window))
    if (statistics) result.push(statistics) // never null: the run has window >= 1 tones
  }
  return result
}
