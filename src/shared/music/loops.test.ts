import { describe, expect, it } from 'vitest'
import { longestLoop, loopMeasures, notesPerOnset } from './loops'

const melody = (pitches: number[]) => pitches.map((pitch, i) => ({ onset: i, pitch, velocity: 64 }))

describe('longestLoop', () => {
  it('counts the stretch that repeats one short figure, its first statement included', () => {
    expect(longestLoop([60, 60, 60, 60, 60])).toBe(5)
    expect(longestLoop([48, 55, 52, 55, 48, 55, 52, 55, 62])).toBe(8)
    expect(longestLoop([60, 62, 64, 60, 62, 64, 60, 62, 64, 60])).toBe(10)
  })

  it('is 0 when no figure is played twice in a row, and ignores figures longer than the longest period', () => {
    expect(longestLoop([60, 62, 64, 65, 67, 69, 71, 72])).toBe(0)
    expect(longestLoop([60, 62, 64, 60, 62])).toBe(0)
    const long = [60, 61, 62, 63, 64, 65]
    expect(longestLoop([...long, ...long], 5)).toBe(0)
    expect(longestLoop([...long, ...long], 6)).toBe(12)
  })
})

describe('loopMeasures', () => {
  it('measures each whole window of tones: distinct pitches, longest loop, tones per onset', () => {
    const chords = [60, 64, 67, 60, 64, 67].map((pitch, i) => ({
      onset: Math.floor(i / 3),
      pitch,
      velocity: 64,
    }))
    expect(notesPerOnset(chords)).toBe(3)
    const tones = [...melody([60, 62, 64, 65]), ...chords.map((tone) => ({ ...tone, onset: tone.onset + 4 }))]
    expect(loopMeasures(tones, 5)).toEqual([
      { distinct_pitches: 4, longest_loop: 0, notes_per_onset: 1 },
      { distinct_pitches: 3, longest_loop: 0, notes_per_onset: 2.5 },
    ])
    expect(loopMeasures(tones, 11)).toEqual([])
    expect(loopMeasures(tones.slice(4), 6)).toEqual([
      { distinct_pitches: 3, longest_loop: 6, notes_per_onset: 3 },
    ])
  })
})
