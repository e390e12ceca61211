// Tests only. Small pieces of notes and tones written out by hand, for the tests of how pieces become model
// steps and back (src/shared/music/steps.ts, src/engine/model/encoding.ts).
import type { NoteEvent, Piece, Quadruplet } from '../src/shared/music/piece'

export function piece(notes: NoteEvent[]): Piece {
  return { notes, tempos: [], timeSignatures: [] }
}

export function note(onset: number, pitch: number, velocity = 100, length = 1): NoteEvent {
  return { onset, length, pitch, velocity }
}

export function tone(pitch: number, intensity: number, delta: number, length = 1): Quadruplet {
  return { length, pitch, intensity, delta }
}

/** Deliberately out of order, so that the grouping has to sort. */
export const CHORDS = piece([
  note(2, 67, 70, 0.5),
  note(0, 64, 90, 2),
  note(0, 60, 80, 1),
  note(2, 55, 60, 1.5),
  note(0, 67, 85, 1),
  note(0, 48, 75, 4),
  note(3.5, 72, 100, 0.25),
])
