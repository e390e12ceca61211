import { describe, expect, it } from 'vitest'
import {
  CLASS_COUNTS,
  classesToTone,
  DURATIONS,
  durationClass,
  GROUP_OFFSETS,
  NO_TONE,
  oneHotToClasses,
  pitchClass,
  stepsToClasses,
  TONE_WIDTH,
  toneToClasses,
} from './toneClasses'

describe('toneClasses', () => {
  it('snaps a duration to the nearest musical one by ratio, and very short ones to 0', () => {
    expect(DURATIONS[durationClass(0.5)]).toBe(0.5)
    expect(DURATIONS[durationClass(0.479)]).toBe(0.5) // a slightly short eighth, not a dotted sixteenth
    expect(DURATIONS[durationClass(1 / 3 + 0.002)]).toBeCloseTo(1 / 3, 10)
    expect(DURATIONS[durationClass(0.005)]).toBe(0)
    expect(DURATIONS[durationClass(0)]).toBe(0)
    expect(DURATIONS[durationClass(100)]).toBe(8)
  })

  it("moves pitches beyond the piano's keys by octaves onto them", () => {
    expect(pitchClass(21)).toBe(0)
    expect(pitchClass(108)).toBe(87)
    expect(pitchClass(12)).toBe(pitchClass(24))
    expect(pitchClass(120)).toBe(pitchClass(108))
  })

  it('gives every tone four classes that stand for it, and an absent tone its delta alone', () => {
    const tone = { length: 1, pitch: 64, intensity: 81, delta: 0.25 }
    const back = classesToTone(toneToClasses(tone))
    expect(back).toEqual({ length: 1, pitch: 64, intensity: 82, delta: 0.25 })
    const absent = toneToClasses({ length: 0, pitch: 0, intensity: 0, delta: 0.5 })
    expect(absent[1]).toBe(NO_TONE)
    expect(classesToTone(absent)).toEqual({ length: 0, pitch: 0, intensity: 0, delta: 0.5 })
    toneToClasses(tone).forEach((value, f) => expect(value).toBeLessThan(CLASS_COUNTS[f]))
  })

  it('reads back the classes of one-hot groups', () => {
    const steps = [
      [
        { length: 0.5, pitch: 60, intensity: 70, delta: 0 },
        { length: 0, pitch: 0, intensity: 0, delta: 0 },
      ],
      [
        { length: 2, pitch: 67, intensity: 30, delta: 1 },
        { length: 1, pitch: 71, intensity: 127, delta: 1 },
      ],
    ]
    const classes = stepsToClasses(steps)
    expect(classes).toHaveLength(2 * 2 * 4)
    const oneHot = new Float32Array(2 * 2 * TONE_WIDTH)
    classes.forEach((value, k) => {
      const tone = Math.floor(k / 4)
      oneHot[tone * TONE_WIDTH + GROUP_OFFSETS[k % 4] + value] = 1
    })
    expect(oneHotToClasses(oneHot, 2).flat(2)).toEqual(Array.from(classes))
  })
})
