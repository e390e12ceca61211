import { describe, expect, it } from 'vitest'
import { DEFAULT_DECODE_OPTIONS, snapPitch, soundingTones } from './decoding'
import type { Quadruplet } from './piece'

const tone = (pitch: number, intensity: number): Quadruplet => ({ length: 1, pitch, intensity, delta: 0 })

describe('decoding raw tones', () => {
  it('leaves out tones below the intensity threshold, and thins a step to its loudest tones', () => {
    const step = [tone(60, 9.9), tone(64, 40), tone(67, 90), tone(72, 40)]
    expect(soundingTones(step, DEFAULT_DECODE_OPTIONS)).toEqual([step[1], step[2], step[3]])
    // On a tie the earlier slot stays; the tones keep their slot order.
    expect(soundingTones(step, { ...DEFAULT_DECODE_OPTIONS, tonesPerStep: 2 })).toEqual([step[1], step[2]])
  })

  it("uses each slot's own threshold when a checkpoint has them, and the default for slots beyond them", () => {
    const step = [tone(60, 12), tone(64, 40), tone(67, 45), tone(72, 11)]
    const options = { ...DEFAULT_DECODE_OPTIONS, intensityThresholds: [10, 41, 45] }
    expect(soundingTones(step, options)).toEqual([step[0], step[2], step[3]])
  })

  it('snaps a pitch to the nearest semitone on the keyboard', () => {
    expect(snapPitch(60.4, DEFAULT_DECODE_OPTIONS)).toBe(60)
    expect(snapPitch(60.6, DEFAULT_DECODE_OPTIONS)).toBe(61)
    expect(snapPitch(3, DEFAULT_DECODE_OPTIONS)).toBe(21)
    expect(snapPitch(140.2, DEFAULT_DECODE_OPTIONS)).toBe(108)
  })
})
