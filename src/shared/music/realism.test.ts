// Runs under vitest (Node). The realism distance on tiny windows of 6 tones, with medians and IQRs by hand.

import { describe, expect, it } from 'vitest'

import { REALISM_STATISTIC_NAMES, realismDistance } from './realism'
import type { Tone } from './statistics'

/** Tones from parallel lists; `shift` moves the onsets so windows can be joined into one piece. */
function tones(pitches: number[], onsets: number[], velocities: number[], shift = 0): Tone[] {
  return pitches.map((pitch, i) => ({ onset: onsets[i] + shift, pitch, velocity: velocities[i] }))
}

// Real windows of 6 tones. Statistics (scale, span, unique, intensity, polyphony, repetitions):
// R1: C D E C D E, one tone per onset, all velocity 64
//     scale 1, span 4, unique 3, intensity 0, polyphony 0, repetitions (0,3) -> 1
const R1 = (shift = 0) => tones([60, 62, 64, 60, 62, 64], [0, 1, 2, 3, 4, 5], [64, 64, 64, 64, 64, 64], shift)
// R2: C D E F G C#, onsets 0 0 1 2 3 4, velocities 50 x5 then 70
//     pitch classes {0,1,2,4,5,7}: C C# D is a chromatic cluster no scale holds, C major holds 5 -> 5/6;
//     span 7, unique 6, intensity 20, polyphony: onsets {0..4}, a chord at 0 -> 1/5; repetitions 0
const R2 = (shift = 0) => tones([60, 62, 64, 65, 67, 61], [0, 0, 1, 2, 3, 4], [50, 50, 50, 50, 50, 70], shift)
// R3: C E G at 0, C E G at 1, velocities 40 x3 then 80 x3
//     scale 1, span 7, unique 3, intensity 40, polyphony 2/2 = 1, repetitions (0,3) -> 1
const R3 = (shift = 0) => tones([60, 64, 67, 60, 64, 67], [0, 0, 0, 1, 1, 1], [40, 40, 40, 80, 80, 80], shift)
// R4: C at 0, C# D at 1, E F G at 2, velocities 64 x5 then 124
//     scale 5/6 (cluster again), span 7, unique 6, intensity 60, polyphony: onsets {0,1,2}, chords at 1, 2
//     -> 2/3, repetitions 0
const R4 = (shift = 0) =>
  tones([60, 61, 62, 64, 65, 67], [0, 1, 1, 2, 2, 2], [64, 64, 64, 64, 64, 124], shift)

// Generated windows:
// G1: C D E F G A, one per onset, velocity 64: scale 1, span 9, unique 6, intensity 0, polyphony 0, rep 0
const G1 = (shift = 0) => tones([60, 62, 64, 65, 67, 69], [0, 1, 2, 3, 4, 5], [64, 64, 64, 64, 64, 64], shift)
// G2: six Cs, two per onset, velocities 64 x5 then 84: scale 1, span 0, unique 1, intensity 20,
//     polyphony 3/3 = 1, repetitions: windows at 0..3 all equal, only (0,3) is 3 apart -> 1
const G2 = (shift = 0) => tones([60, 60, 60, 60, 60, 60], [0, 0, 1, 1, 2, 2], [64, 64, 64, 64, 64, 84], shift)

// Real set: R1+R2 as one piece, R3+R4 plus 3 tones that do not fill a window, and a 5-tone piece (no window).
const real = [
  [...R1(), ...R2(10)],
  [...R3(), ...R4(10), ...tones([0, 127, 1], [20, 21, 22], [1, 127, 1])],
  tones([60, 61, 62, 63, 64], [0, 1, 2, 3, 4], [64, 64, 64, 64, 64]),
]
// Generated set: G1+G2 as one piece and a 3-tone piece (no window).
const generated = [[...G1(), ...G2(10)], tones([0, 127, 60], [0, 1, 2], [1, 127, 64])]

describe('realismDistance', () => {
  it('is 0 for identical sets', () => {
    const report = realismDistance(real, real, 6)
    expect(report.distance).toBe(0)
    expect(report.generatedWindows).toBe(4)
    expect(report.realWindows).toBe(4)
  })

  it('matches a hand-computed case', () => {
    // Four real values a <= b <= c <= d: q25 = a + 0.75 (b - a), median = (b + c) / 2, q75 = c + 0.25 (d - c).
    // Two generated values: median = their mean.
    // scale:      real [5/6, 5/6, 1, 1]  q25 5/6, q75 1, IQR 1/6, median 11/12; gen [1, 1] -> 1
    //             |1 - 11/12| / (1/6) = 1/2
    // tone_span:  real [4, 7, 7, 7]  q25 4 + 0.75 * 3 = 6.25, q75 7, IQR 0.75, median 7; gen [9, 0] -> 4.5
    //             |4.5 - 7| / 0.75 = 10/3
    // unique:     real [3, 3, 6, 6]  IQR 6 - 3 = 3, median 4.5; gen [6, 1] -> 3.5;  |3.5 - 4.5| / 3 = 1/3
    // intensity:  real [0, 20, 40, 60]  q25 15, q75 45, IQR 30, median 30; gen [0, 20] -> 10;  20/30 = 2/3
    // polyphony:  real [0, 1/5, 2/3, 1]  q25 0.75 * 0.2 = 0.15, q75 2/3 + 0.25 * 1/3 = 0.75, IQR 0.6,
    //             median (1/5 + 2/3) / 2 = 13/30; gen [0, 1] -> 1/2;  (1/2 - 13/30) / 0.6 = (1/15) / 0.6 = 1/9
    // reps:       real [0, 0, 1, 1]  IQR 1, median 0.5; gen [0, 1] -> 0.5;  0
    // mean: (1/2 + 10/3 + 1/3 + 2/3 + 1/9 + 0) / 6 = (9 + 60 + 6 + 12 + 2) / 18 / 6 = 89/108
    const report = realismDistance(generated, real, 6)
    expect(report.window).toBe(6)
    expect(report.generatedWindows).toBe(2)
    expect(report.realWindows).toBe(4)
    expect(Object.keys(report.perStatistic).sort()).toEqual([...REALISM_STATISTIC_NAMES].sort())
    expect(REALISM_STATISTIC_NAMES).not.toContain('num_tones')
    const expected = {
      scale_consistency: { generatedMedian: 1, realMedian: 11 / 12, realIqr: 1 / 6, distance: 1 / 2 },
      tone_span: { generatedMedian: 4.5, realMedian: 7, realIqr: 0.75, distance: 10 / 3 },
      unique_tones: { generatedMedian: 3.5, realMedian: 4.5, realIqr: 3, distance: 1 / 3 },
      intensity_span: { generatedMedian: 10, realMedian: 30, realIqr: 30, distance: 2 / 3 },
      polyphony: { generatedMedian: 0.5, realMedian: 13 / 30, realIqr: 0.6, distance: 1 / 9 },
      repetitions_3: { generatedMedian: 0.5, realMedian: 0.5, realIqr: 1, distance: 0 },
    }
    for (const name of REALISM_STATISTIC_NAMES) {
      const got = report.perStatistic[name]
      const want = expected[name]
      expect(got.generatedMedian, name).toBeCloseTo(want.generatedMedian, 12)
      expect(got.realMedian, name).toBeCloseTo(want.realMedian, 12)
      expect(got.realIqr, name).toBeCloseTo(want.realIqr, 12)
      expect(got.distance, name).toBeCloseTo(want.distance, 12)
    }
    expect(report.distance).toBeCloseTo(89 / 108, 12)
  })

  it('uses windows of 200 tones by default', () => {
    const short = [[...G1(), ...G2(10)]]
    expect(() => realismDistance(short, real)).toThrow(/at least 200 tones/)
  })

  it('says when the generated set has no full window', () => {
    const tooShort = [G1().slice(0, 5)]
    expect(() => realismDistance(tooShort, real, 6)).toThrow(
      /generated set has no piece with at least 6 tones/,
    )
    expect(() => realismDistance([], real, 6)).toThrow(/generated set/)
  })

  it('says when the real set has no full window', () => {
    expect(() => realismDistance(generated, [R1().slice(0, 5)], 6)).toThrow(
      /real set has no piece with at least 6 tones/,
    )
  })

  it('names the statistic in which the real set does not vary', () => {
    // R2, R3, R4: scale [5/6, 1, 5/6] varies (IQR 1/12), but tone_span is 7 in all three -> IQR 0.
    const flatSpan = [[...R2(), ...R3(10), ...R4(20)]]
    expect(() => realismDistance(generated, flatSpan, 6)).toThrow(
      /real set does not vary in tone_span.*use more real pieces/,
    )
  })

  it('rejects a window that is not a whole number of tones', () => {
    expect(() => realismDistance(generated, real, 0)).toThrow(RangeError)
  })
})
