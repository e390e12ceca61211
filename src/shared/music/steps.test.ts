import { describe, expect, it } from 'vitest'
import type { NoteEvent, Quadruplet } from './piece'
import { continuationOnsets, stepCount, stepOnsets, stepsBetween } from './steps'

/** A step of two tones whose deltas average to `delta`. */
const step = (delta: number): Quadruplet[] => [
  { length: 1, pitch: 60, intensity: 80, delta: delta - 0.5 },
  { length: 1, pitch: 64, intensity: 80, delta: delta + 0.5 },
]
const note = (onset: number): NoteEvent => ({ onset, length: 1, pitch: 60, velocity: 80 })

/** Steps starting at quarters 1, 2, 3, ..., 8. */
const EIGHT = Array.from({ length: 8 }, () => step(1))

describe('stepOnsets', () => {
  it('adds up the mean delta of each step, never going back', () => {
    expect(stepOnsets([step(1), step(0.5), step(-2), step(1)])).toEqual([1, 1.5, 1.5, 2.5])
  })
})

describe('continuationOnsets', () => {
  it("places the continuation's steps after the primer's last onset", () => {
    expect(continuationOnsets([step(1), step(0.5)], [])).toEqual([1, 1.5])
    expect(continuationOnsets([step(1), step(0.5)], [note(4), note(0)])).toEqual([5, 5.5])
  })
})

describe('stepCount', () => {
  it('counts one step per onset, more where a chord has more notes than a step holds', () => {
    const notes = [note(0), note(0), note(0), note(1), note(2), note(2)]
    expect(stepCount(notes, 2)).toBe(4)
    expect(stepCount(notes, 3)).toBe(3)
    expect(stepCount([], 3)).toBe(0)
  })
})

describe('stepsBetween', () => {
  it('finds the steps whose onsets lie in the range, the end excluded', () => {
    expect(stepsBetween(EIGHT, [], 2, 5)).toEqual({ from: 1, to: 4 })
    expect(stepsBetween(EIGHT, [], 0, 100)).toEqual({ from: 0, to: 8 })
  })

  it('counts the primer steps first and places the continuation after its last onset', () => {
    // Three primer steps (two onsets, a three-note chord at two tones a step); the last starts at 4.
    const primer = [note(0), note(0), note(0), note(4)]
    // The continuation's steps start at 5, 6, ..., 12.
    expect(stepsBetween(EIGHT, primer, 8, 10)).toEqual({ from: 3 + 3, to: 3 + 5 })
  })

  it('is null when no step starts in the range', () => {
    expect(stepsBetween(EIGHT, [], 2.2, 2.8)).toBeNull()
    expect(stepsBetween(EIGHT, [], 9, 12)).toBeNull()
    expect(stepsBetween([], [], 0, 4)).toBeNull()
  })
})
