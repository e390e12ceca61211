import { describe, expect, it } from 'vitest'
import {
  allowsPitch,
  detectKey,
  keyLabel,
  keyName,
  parseKey,
  parseRange,
  scalePitchClasses,
  SteeringSchema,
} from './steering'

describe('steering', () => {
  it('parses a key as typed, any case, sharps and flats', () => {
    expect(parseKey('D minor')).toEqual({ tonic: 2, scale: 'minor' })
    expect(parseKey('f# Dorian')).toEqual({ tonic: 6, scale: 'dorian' })
    expect(parseKey('Bb major pentatonic')).toEqual({ tonic: 10, scale: 'major pentatonic' })
    expect(parseKey('H minor')).toMatch(/^expected a tonic .* blues$/)
    expect(parseKey('D minorish')).toMatch(/^expected/)
  })

  it('names the pitch classes of each scale', () => {
    expect(scalePitchClasses({ tonic: 2, scale: 'minor' })).toEqual([2, 4, 5, 7, 9, 10, 0])
    expect(scalePitchClasses({ tonic: 0, scale: 'harmonic minor' })).toEqual([0, 2, 3, 5, 7, 8, 11])
    expect(scalePitchClasses({ tonic: 0, scale: 'blues' })).toEqual([0, 3, 5, 6, 7, 10])
    expect(keyName({ tonic: 2, scale: 'minor' })).toBe('D minor')
  })

  it('parses a range of piano keys with C4 as MIDI 60, and refuses what is off the piano or upside down', () => {
    expect(parseRange('C3-C6')).toEqual({ lowest: 48, highest: 84 })
    expect(parseRange('A0-C8')).toEqual({ lowest: 21, highest: 108 })
    expect(parseRange('C6-C3')).toBe('the lowest key must not lie above the highest')
    expect(parseRange('C3')).toMatch(/^expected two piano keys/)
    expect(parseRange('G8-C9')).toMatch(/^expected two piano keys/)
    expect(keyLabel(61)).toBe('C#4')
  })

  it('allows the keys in both the scale and the range', () => {
    const steering = SteeringSchema.parse({ range: { lowest: 60, highest: 72 } })
    const allows = allowsPitch(steering, { tonic: 2, scale: 'minor' })
    expect([59, 60, 61, 62, 70, 71, 72, 74].map(allows)).toEqual([
      false,
      true,
      false,
      true,
      true,
      false,
      true,
      false,
    ])
    expect(() => SteeringSchema.parse({ range: { lowest: 72, highest: 60 } })).toThrow(/lowest key/)
  })

  it("finds a melody's key: C major's scale, A minor's with its raised seventh, D minor's", () => {
    const notes = (pitches: number[]) => pitches.map((pitch) => ({ pitch, length: 1 }))
    expect(detectKey(notes([60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 60]))).toEqual({
      tonic: 0,
      scale: 'major',
    })
    expect(detectKey(notes([57, 59, 60, 62, 64, 65, 68, 69, 64, 60, 57]))).toEqual({
      tonic: 9,
      scale: 'minor',
    })
    expect(detectKey(notes([62, 64, 65, 67, 69, 70, 73, 74, 69, 65, 62]))).toEqual({
      tonic: 2,
      scale: 'minor',
    })
  })
})
