import { describe, expect, it } from 'vitest'
import type { NoteEvent, Quadruplet } from './piece'
import { CHORDS, note as chordNote, piece, tone } from '../../../test/chords'
import { continuationOnsets, pieceToSteps, stepOnsets, stepsBetween } from './steps'

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

describe('pieceToSteps', () => {
  it('groups notes that start together, lower pitch first, and pads with silent tones', () => {
    const steps = pieceToSteps(CHORDS, 4)
    expect(steps).toEqual([
      [tone(48, 75, 0, 4), tone(60, 80, 0, 1), tone(64, 90, 0, 2), tone(67, 85, 0, 1)],
      [tone(55, 60, 2, 1.5), tone(67, 70, 2, 0.5), tone(0, 0, 2, 0), tone(0, 0, 2, 0)],
      [tone(72, 100, 1.5, 0.25), tone(0, 0, 1.5, 0), tone(0, 0, 1.5, 0), tone(0, 0, 1.5, 0)],
    ])
  })

  it('with m = 3 continues a 4-note chord in the next step with delta 0', () => {
    const steps = pieceToSteps(CHORDS, 3)
    expect(steps).toHaveLength(4)
    expect(steps[0]).toEqual([tone(48, 75, 0, 4), tone(60, 80, 0, 1), tone(64, 90, 0, 2)])
    expect(steps[1]).toEqual([tone(67, 85, 0, 1), tone(0, 0, 0, 0), tone(0, 0, 0, 0)])
    expect(steps[2]).toEqual([tone(55, 60, 2, 1.5), tone(67, 70, 2, 0.5), tone(0, 0, 2, 0)])
    expect(steps[3].map((t) => [t.pitch, t.delta])).toEqual([
      [72, 1.5],
      [0, 1.5],
      [0, 1.5],
    ])
    // A chord that starts later spills over too, and only its first step carries the delta.
    const late = pieceToSteps(
      piece([chordNote(0, 40), chordNote(1, 50), chordNote(1, 52), chordNote(1, 55), chordNote(1, 59)]),
      3,
    )
    expect(late.map((step) => step.map((t) => [t.pitch, t.delta]))).toEqual([
      [
        [40, 0],
        [0, 0],
        [0, 0],
      ],
      [
        [50, 1],
        [52, 1],
        [55, 1],
      ],
      [
        [59, 0],
        [0, 0],
        [0, 0],
      ],
    ])
  })

  it('with m = 1 gives one step per note, with delta 0 inside chords', () => {
    const steps = pieceToSteps(CHORDS, 1)
    expect(steps.map(([t]) => [t.pitch, t.delta, t.intensity, t.length])).toEqual([
      [48, 0, 75, 4],
      [60, 0, 80, 1],
      [64, 0, 90, 2],
      [67, 0, 85, 1],
      [55, 2, 60, 1.5],
      [67, 0, 70, 0.5],
      [72, 1.5, 100, 0.25],
    ])
  })

  it('gives absent slots intensity 0 and every step exactly m tones', () => {
    for (const m of [1, 2, 3, 5]) {
      const steps = pieceToSteps(CHORDS, m)
      const present = steps.flat().filter((t) => t.intensity > 0)
      expect(present).toHaveLength(CHORDS.notes.length)
      for (const step of steps) {
        expect(step).toHaveLength(m)
        // Present tones come first; once a slot is empty the rest of the step is too.
        const firstAbsent = step.findIndex((t) => t.intensity === 0)
        if (firstAbsent >= 0) expect(step.slice(firstAbsent).every((t) => t.intensity === 0)).toBe(true)
      }
    }
  })

  it('keeps one tone, the longest, of a key struck twice at one onset', () => {
    const doubled = piece([
      chordNote(0, 60, 90, 1),
      chordNote(0, 64),
      chordNote(0, 60, 70, 2),
      chordNote(1, 60),
    ])
    expect(pieceToSteps(doubled, 1).map(([t]) => [t.pitch, t.delta, t.intensity, t.length])).toEqual([
      [60, 0, 70, 2],
      [64, 0, 100, 1],
      [60, 1, 100, 1],
    ])
  })

  it('gives an empty piece no steps', () => {
    expect(pieceToSteps(piece([]), 3)).toEqual([])
  })
})

describe('stepsBetween', () => {
  it('finds the steps whose onsets lie in the range, the end excluded', () => {
    expect(stepsBetween(EIGHT, [], 2, 5)).toEqual({ from: 1, to: 4 })
    expect(stepsBetween(EIGHT, [], 0, 100)).toEqual({ from: 0, to: 8 })
  })

  it('counts the primer steps first and places the continuation after its last onset', () => {
    // Three primer steps (two onsets, a three-note chord at two tones a step); the last starts at 4.
    const primer = [chordNote(0, 60), chordNote(0, 64), chordNote(0, 67), note(4)]
    // The continuation's steps start at 5, 6, ..., 12.
    expect(stepsBetween(EIGHT, primer, 8, 10)).toEqual({ from: 3 + 3, to: 3 + 5 })
  })

  it('is null when no step starts in the range', () => {
    expect(stepsBetween(EIGHT, [], 2.2, 2.8)).toBeNull()
    expect(stepsBetween(EIGHT, [], 9, 12)).toBeNull()
    expect(stepsBetween([], [], 0, 4)).toBeNull()
  })
})
