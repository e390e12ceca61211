// Runs under vitest (Node). The measures of model.md sec. 5b on windows built by hand, and on real files.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { corpusFile } from '../../../test/corpus'
import { midiToPiece } from './midiToPiece'
import type { NoteEvent, Piece, TimeSignatureChange } from './piece'
import { median } from './summary'
import {
  barWindowStatistics,
  pitchClassEntropy,
  RHYTHM_STATISTIC_NAMES,
  WINDOW_STATISTIC_NAMES,
} from './rhythm'

/** Notes of one bar: [position, pitch, velocity], all a sixteenth long. */
type BarNotes = [number, number, number][]

function piece(bars: BarNotes[], signatures: TimeSignatureChange[] = [], barLength = 4): Piece {
  const notes: NoteEvent[] = bars.flatMap((bar, i) =>
    bar.map(([position, pitch, velocity]) => ({
      onset: i * barLength + position,
      length: 0.25,
      pitch,
      velocity,
    })),
  )
  notes.sort((a, b) => a.onset - b.onset || a.pitch - b.pitch)
  return { notes, tempos: [], timeSignatures: signatures }
}

/** Entropy in bits of a histogram. */
const entropy = (counts: number[]) => {
  const total = counts.reduce((sum, count) => sum + count, 0)
  return -counts.reduce((sum, count) => sum + (count / total) * Math.log2(count / total), 0)
}

// Four 4/4 bars (in quarter notes from the bar line):
// 0: C E G C on the beats, velocities 60 70 80 90; 1: the same, so it repeats bar 0;
// 2: D on an eighth-triplet run 0, 1/3, 2/3, 1; 3: C D E F at 0, 1/4, 0.52 (near 1/2) and 0.64 (near 2/3).
const BEATS: BarNotes = [
  [0, 60, 60],
  [1, 64, 70],
  [2, 67, 80],
  [3, 72, 90],
]
const TRIPLETS: BarNotes = [0, 1 / 3, 2 / 3, 1].map((position) => [position, 62, 64])
const MIXED: BarNotes = [
  [0, 60, 64],
  [0.25, 62, 64],
  [0.52, 64, 64],
  [0.64, 65, 64],
]

describe('barWindowStatistics', () => {
  const [window, ...rest] = barWindowStatistics(piece([BEATS, BEATS, TRIPLETS, MIXED, [[0, 60, 64]]]))

  it('measures one window of four whole bars, leaving out a bar the piece does not sound to its end', () => {
    expect(rest).toEqual([])
    expect(Object.keys(window)).toEqual([...WINDOW_STATISTIC_NAMES])
    expect(window.notes_per_bar).toBe(4)
    expect(window.tone_span).toBe(12) // the paper's statistics of the window's 16 tones
  })

  it('counts onsets within 1/20 quarter of a sixteenth, and of an eighth triplet', () => {
    // Sixteenths: all of bars 0 and 1, the triplets' 0 and 1, and 0, 1/4, 0.52 of bar 3.
    expect(window.on_grid).toBeCloseTo(13 / 16, 12)
    // Triplets: the beats of bars 0 and 1, all of bar 2, and 0 and 0.64 of bar 3.
    expect(window.on_triplet_grid).toBeCloseTo(14 / 16, 12)
  })

  it('compares the bars’ onsets on 64 positions, pair by pair', () => {
    // Slots (16 a quarter): bars 0, 1 {0, 16, 32, 48}; bar 2 {0, 5, 11, 16}; bar 3 {0, 4, 8, 10}.
    // Slots that differ, over the six pairs: 0, 4, 6, 4, 6, 6.
    expect(window.groove).toBeCloseTo(1 - 26 / (6 * 64), 12)
  })

  it('takes the pitch-class entropy of each bar and of the window, a tone counting once', () => {
    // Bars 0 and 1: C twice, E, G (1.5 bits); bar 2: D only (0); bar 3: four classes (2).
    expect(window.pc_entropy_1).toBeCloseTo((1.5 + 1.5 + 0 + 2) / 4, 12)
    // C 5, D 5, E 3, F 1, G 2.
    expect(window.pc_entropy_4).toBeCloseTo(entropy([5, 5, 3, 1, 2]), 12)
    expect(window.pitch_classes_per_bar).toBe((3 + 3 + 1 + 4) / 4)
  })

  it('takes the spread of velocities and the bars that repeat an earlier one', () => {
    const velocities = [60, 70, 80, 90, 60, 70, 80, 90, ...new Array<number>(8).fill(64)]
    const mean = velocities.reduce((a, b) => a + b) / 16
    const spread = Math.sqrt(velocities.reduce((sum, v) => sum + (v - mean) ** 2, 0) / 16)
    expect(window.velocity_spread).toBeCloseTo(spread, 12)
    expect(window.bar_repeats).toBe(1 / 4) // bar 1
  })

  it('hears a bar as repeated only with the same pitch classes at the same places', () => {
    const octaveUp: BarNotes = BEATS.map(([position, pitch, velocity]) => [position, pitch + 12, velocity])
    const moved: BarNotes = BEATS.map(([position, pitch, velocity]) => [position + 0.5, pitch, velocity])
    const transposed: BarNotes = BEATS.map(([position, pitch, velocity]) => [position, pitch + 2, velocity])
    const [windowOf] = barWindowStatistics(piece([BEATS, octaveUp, moved, transposed, [[0, 60, 64]]]))
    expect(windowOf.bar_repeats).toBe(1 / 4)
  })

  it('cuts consecutive windows, leaving out a silent one and a run of too few bars', () => {
    const bars = [BEATS, BEATS, BEATS, BEATS, [], [], [], [], MIXED, MIXED, MIXED, MIXED, BEATS, BEATS]
    const windows = barWindowStatistics(piece([...bars, [[0, 60, 64]]]))
    expect(windows.map((w) => w.on_grid)).toEqual([1, 0.75])
    // Fourteen whole bars: seven windows of two, two of them silent.
    expect(barWindowStatistics(piece([...bars, [[0, 60, 64]]]), 2)).toHaveLength(5)
  })

  it('places onsets in the bar from the time signatures: eighth triplets in the second bar of 3/8', () => {
    const threeEight = [{ time: 0, numerator: 3, denominator: 8 }]
    const triplets: BarNotes = [0, 1 / 3, 2 / 3].map((position) => [position, 62, 64])
    // Bar 1 starts at 1.5 quarters, so its triplets lie off a grid counted from the start of the piece.
    const [first] = barWindowStatistics(piece([[[0, 60, 64]], triplets, [[0, 60, 64]]], threeEight, 1.5), 2)
    expect(first.on_triplet_grid).toBe(1)
    expect(first.notes_per_bar).toBe(2)
  })

  it('refuses a window of fewer than two bars', () => {
    expect(() => barWindowStatistics(piece([BEATS, BEATS]), 1)).toThrow(RangeError)
  })

  it('finds Bach’s C major prelude on the grid, one rhythm in every bar, its first bar back in bar 4', () => {
    const bach = midiToPiece(readFileSync(corpusFile('piano-midi-de/Bach/bach_846.mid')))
    const windows = barWindowStatistics(bach)
    const prelude = windows.slice(0, 8) // 35 bars of sixteenths; the fugue follows
    expect(prelude.every((w) => w.on_grid === 1 && w.groove === 1 && w.notes_per_bar === 16)).toBe(true)
    expect(prelude[0].bar_repeats).toBe(1 / 4)
    for (const name of RHYTHM_STATISTIC_NAMES) {
      expect(windows.every((w) => Number.isFinite(w[name]))).toBe(true)
    }
  })

  it('finds a 6/8 romance mostly on the sixteenth grid', () => {
    const romance = midiToPiece(readFileSync(corpusFile('sonata-ish/mozartromancestev.mid')))
    const windows = barWindowStatistics(romance)
    // Onsets anywhere would land within 1/20 quarter of a sixteenth 40% of the time, of a triplet 30%.
    expect(median(windows.map((w) => w.on_grid))).toBeGreaterThan(0.75)
    expect(median(windows.map((w) => w.on_triplet_grid))).toBeLessThan(0.5)
    expect(median(windows.map((w) => w.velocity_spread))).toBeGreaterThan(5)
  })
})

describe('pitchClassEntropy', () => {
  it('is 0 for one class, log2(12) for all twelve equally', () => {
    const tones = (pitches: number[]) => pitches.map((pitch) => ({ onset: 0, pitch, velocity: 64 }))
    expect(pitchClassEntropy(tones([60, 72, 48]))).toBe(0)
    expect(pitchClassEntropy(tones(Array.from({ length: 12 }, (_, i) => 60 + i)))).toBeCloseTo(
      Math.log2(12),
      12,
    )
  })
})
