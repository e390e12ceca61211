// Runs under vitest (Node). The statistics of model.md sec. 5 on small inputs whose values are worked by hand.

import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../../../test/seededRandom'

import type { Piece } from './piece'
import {
  computeStatistics,
  repetitions3,
  SCALES,
  scaleConsistency,
  STATISTIC_NAMES,
  tonesOf,
  windowedStatistics,
  type Tone,
} from './statistics'

/** One tone per pitch at onsets 0, 1, 2, ... with velocity 64 unless given. */
function melody(pitches: readonly number[], velocities?: readonly number[]): Tone[] {
  return pitches.map((pitch, i) => ({ onset: i, pitch, velocity: velocities?.[i] ?? 64 }))
}

function statisticsOf(tones: readonly Tone[]) {
  const statistics = computeStatistics(tones)
  if (!statistics) throw new Error('expected statistics')
  return statistics
}

describe('computeStatistics', () => {
  it('returns null for no tones', () => {
    expect(computeStatistics([])).toBeNull()
  })

  it('reports every named statistic', () => {
    expect(Object.keys(statisticsOf(melody([60]))).sort()).toEqual([...STATISTIC_NAMES].sort())
  })

  it('computes a C major scale', () => {
    // C4 D E F G A B C5: all in C major -> 1; span 72 - 60 = 12; 8 distinct pitches; no two tones start
    // together -> polyphony 0; all 3-windows differ -> 0 repetitions; velocities 40..110 -> span 70.
    const tones = melody([60, 62, 64, 65, 67, 69, 71, 72], [40, 50, 60, 110, 64, 64, 64, 64])
    expect(statisticsOf(tones)).toEqual({
      num_tones: 8,
      scale_consistency: 1,
      tone_span: 12,
      unique_tones: 8,
      intensity_span: 70,
      polyphony: 0,
      repetitions_3: 0,
    })
  })

  it('finds an A harmonic minor scale only through the harmonic minor', () => {
    // A3 B C D E F G# A4: pitch classes {9,11,0,2,4,5,8}, A twice. Exactly A harmonic minor -> 8/8.
    const pitches = [57, 59, 60, 62, 64, 65, 68, 69]
    expect(statisticsOf(melody(pitches)).scale_consistency).toBe(1)
    // Without harmonic minor the best is A natural minor (= C major), missing only G#: 7/8. No major or
    // natural minor set equals the harmonic minor set, so none holds all seven pitch classes.
    expect(scaleConsistency(pitches, [SCALES.major, SCALES.naturalMinor])).toBe(7 / 8)
    expect(scaleConsistency(pitches, [SCALES.harmonicMinor])).toBe(1)
  })

  it('takes the best scale when no scale holds every tone', () => {
    // C D E F G A B plus C#: 8 distinct pitch classes, a scale has 7 -> at most 7/8; C major reaches it.
    expect(statisticsOf(melody([60, 61, 62, 64, 65, 67, 69, 71])).scale_consistency).toBe(7 / 8)
    // C C# D: three consecutive semitones fit no major, natural or harmonic minor scale; 2 of 3 do -> 2/3.
    expect(statisticsOf(melody([60, 61, 62])).scale_consistency).toBeCloseTo(2 / 3, 12)
  })

  it('uses pitch classes, so octaves and negative offsets agree', () => {
    // C2, E5, G7 are all in C major.
    expect(statisticsOf(melody([36, 76, 103])).scale_consistency).toBe(1)
  })

  it('counts tone span, unique tones and intensity span', () => {
    // pitches 50, 70, 50, 55: span 20, distinct {50,55,70} = 3; velocities 90, 30, 64, 100: span 70
    const stats = statisticsOf(melody([50, 70, 50, 55], [90, 30, 64, 100]))
    expect(stats.tone_span).toBe(20)
    expect(stats.unique_tones).toBe(3)
    expect(stats.intensity_span).toBe(70)
    expect(stats.num_tones).toBe(4)
  })

  it('measures polyphony over distinct onsets', () => {
    // three tones at onset 0, one at 1, two at 2: onsets {0,1,2}, chords at 0 and 2 -> 2/3
    const tones: Tone[] = [
      { onset: 0, pitch: 60, velocity: 64 },
      { onset: 0, pitch: 64, velocity: 64 },
      { onset: 0, pitch: 67, velocity: 64 },
      { onset: 1, pitch: 62, velocity: 64 },
      { onset: 2, pitch: 60, velocity: 64 },
      { onset: 2, pitch: 65, velocity: 64 },
    ]
    expect(statisticsOf(tones).polyphony).toBeCloseTo(2 / 3, 12)
    // a single chord -> 1; fractional onsets count as distinct: 0.5 alone, 1.5 twice -> 1/2
    expect(statisticsOf(tones.slice(0, 3)).polyphony).toBe(1)
    const fractional: Tone[] = [
      { onset: 0.5, pitch: 60, velocity: 64 },
      { onset: 1.5, pitch: 60, velocity: 64 },
      { onset: 1.5, pitch: 67, velocity: 64 },
    ]
    expect(statisticsOf(fractional).polyphony).toBe(0.5)
  })

  it('counts repeated 3-tone windows at least 3 apart', () => {
    // i: 0  1  2  3  4  5  6  7  8  9
    //    60 62 64 65 60 62 64 60 62 64    (n = 10, windows start at 0..7)
    // windows: 0 (60,62,64) 1 (62,64,65) 2 (64,65,60) 3 (65,60,62) 4 (60,62,64) 5 (62,64,60)
    //          6 (64,60,62) 7 (60,62,64)
    // only (60,62,64) repeats, at 0, 4, 7: pairs (0,4) gap 4, (0,7) gap 7, (4,7) gap 3 -> 3
    const pitches = [60, 62, 64, 65, 60, 62, 64, 60, 62, 64]
    expect(statisticsOf(melody(pitches)).repetitions_3).toBe(3)
  })

  it('does not count overlapping windows less than 3 apart', () => {
    // five 60s: windows at 0, 1, 2, largest gap 2 -> 0
    expect(repetitions3([60, 60, 60, 60, 60])).toBe(0)
    // six 60s: windows at 0..3, only (0,3) is 3 apart -> 1
    expect(repetitions3([60, 60, 60, 60, 60, 60])).toBe(1)
    // eight 60s: windows at 0..5, pairs with gap >= 3: (0,3) (0,4) (0,5) (1,4) (1,5) (2,5) -> 6
    expect(repetitions3(new Array<number>(8).fill(60))).toBe(6)
    expect(repetitions3([60, 62])).toBe(0)
  })

  it('agrees with a brute-force count of repetitions on random sequences', () => {
    const random = mulberry32(7)
    for (let trial = 0; trial < 200; trial++) {
      const n = Math.floor(random() * 40)
      const pitches = Array.from({ length: n }, () => 60 + Math.floor(random() * 3))
      expect(repetitions3(pitches)).toBe(bruteRepetitions3(pitches))
    }
  })

  it('counts every pair in 20,000 tones of a repetitive piece', () => {
    // 60,62,64 repeated, n = 20,000: windows start at 0..19997 and their content depends only on start % 3.
    // Each residue has 6666 starts (0..19995, 1..19996, 2..19997), all gaps multiples of 3, so every pair
    // counts: 3 * 6666 * 6665 / 2 = 66,643,335.
    const pitches = Array.from({ length: 20_000 }, (_, i) => [60, 62, 64][i % 3])
    expect(repetitions3(pitches)).toBe(66_643_335)
  })
})

describe('tonesOf', () => {
  it('keeps the sounding notes with their onset, pitch and velocity', () => {
    const piece: Piece = {
      notes: [
        { onset: 0, length: 1, pitch: 60, velocity: 80 },
        { onset: 0, length: 1, pitch: 64, velocity: 0 },
        { onset: 1.5, length: 0.5, pitch: 67, velocity: 20 },
      ],
      tempos: [],
      timeSignatures: [],
    }
    expect(tonesOf(piece)).toEqual([
      { onset: 0, pitch: 60, velocity: 80 },
      { onset: 1.5, pitch: 67, velocity: 20 },
    ])
  })
})

describe('windowedStatistics', () => {
  it('cuts non-overlapping windows and drops the short trailing run', () => {
    // 10 tones, window 4: tones 0-3 and 4-7; tones 8-9 are dropped.
    const pitches = [60, 62, 64, 65, 70, 71, 72, 79, 0, 127]
    const windows = windowedStatistics(melody(pitches), 4)
    expect(windows).toHaveLength(2)
    // window 1: 60..65 -> span 5; window 2: 70..79 -> span 9. Had 0 or 127 been kept the span would show it.
    expect(windows.map((w) => w.tone_span)).toEqual([5, 9])
    expect(windows.map((w) => w.num_tones)).toEqual([4, 4])
    expect(windows[1]).toEqual(statisticsOf(melody(pitches.slice(4, 8))))
  })

  it('returns no windows for a piece shorter than the window, one window for an exact fit', () => {
    expect(windowedStatistics(melody([60, 62, 64]), 4)).toEqual([])
    expect(windowedStatistics(melody([60, 62, 64, 65]), 4)).toHaveLength(1)
  })

  it('rejects a window below 1 or not whole', () => {
    expect(() => windowedStatistics(melody([60]), 0)).toThrow(RangeError)
    expect(() => windowedStatistics(melody([60]), 1.5)).toThrow(RangeError)
    expect(() => windowedStatistics(melody([60]), Number.NaN)).toThrow(RangeError)
  })
})

function bruteRepetitions3(pitches: readonly number[]): number {
  let count = 0
  for (let i = 0; i + 3 <= pitches.length; i++) {
    for (let j = i + 3; j + 3 <= pitches.length; j++) {
      if (
        pitches[i] === pitches[j] &&
        pitches[i + 1] === pitches[j + 1] &&
        pitches[i + 2] === pitches[j + 2]
      ) {
        count++
      }
    }
  }
  return count
}
