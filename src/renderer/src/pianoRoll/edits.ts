// Browser. Note edits as pure functions of a piece and a selection (indices into its notes), giving the new
// piece and where the selected notes ended up, since a moved note may sort to a new index.
import { compareNotes, type NoteEvent, type Piece } from '../../../shared/music/piece'
import { HIGHEST_PITCH, LOWEST_PITCH } from './viewport'

export interface Edited {
  piece: Piece
  /** Sorted indices of the edited notes in the new piece. */
  selection: number[]
}

/** Re-sorts notes into the piece's order, following the selected ones. */
function sorted(piece: Piece, notes: NoteEvent[], selection: ReadonlySet<number>): Edited {
  const order = notes.map((_, i) => i).sort((a, b) => compareNotes(notes[a], notes[b]) || a - b)
  return {
    piece: { ...piece, notes: order.map((i) => notes[i]) },
    selection: order.flatMap((old, i) => (selection.has(old) ? [i] : [])),
  }
}

/**
 * Moves the selected notes by `quarters` and `semitones`. The move is shortened for the whole group where a
 * note would leave the keyboard or start before the piece, so that the notes keep their shape.
 */
export function moveNotes(
  piece: Piece,
  selection: readonly number[],
  quarters: number,
  semitones: number,
): Edited {
  const chosen = new Set(selection)
  const moving = piece.notes.filter((_, i) => chosen.has(i))
  if (moving.length === 0) return { piece, selection: [] }
  const pitches = moving.map((note) => note.pitch)
  const dPitch = Math.min(
    HIGHEST_PITCH - Math.max(...pitches),
    Math.max(LOWEST_PITCH - Math.min(...pitches), semitones),
  )
  const dTime = Math.max(-Math.min(...moving.map((note) => note.onset)), quarters)
  const notes = piece.notes.map((note, i) =>
    chosen.has(i) ? { ...note, onset: note.onset + dTime, pitch: note.pitch + dPitch } : note,
  )
  return sorted(piece, notes, chosen)
}

export function deleteNotes(piece: Piece, selection: readonly number[]): Edited {
  const chosen = new Set(selection)
  return { piece: { ...piece, notes: piece.notes.filter((_, i) => !chosen.has(i)) }, selection: [] }
}

/** Sets the selected notes' velocity, kept within MIDI's 1-127. */
export function setVelocity(piece: Piece, selection: readonly number[], velocity: number): Edited {
  const chosen = new Set(selection)
  const value = Math.min(127, Math.max(1, Math.round(velocity)))
  const notes = piece.notes.map((note, i) => (chosen.has(i) ? { ...note, velocity: value } : note))
  return { piece: { ...piece, notes }, selection: [...chosen].sort((a, b) => a - b) }
}

/**
 * Moves the selected notes' onsets to the nearest multiple of `grid` quarters (a played take onto the
 * sixteenths, say); lengths stay as played, so legato and staccato survive.
 */
export function quantizeNotes(piece: Piece, selection: readonly number[], grid: number): Edited {
  if (!(grid > 0)) throw new RangeError('the grid must be a positive number of quarters')
  const chosen = new Set(selection)
  const notes = piece.notes.map((note, i) =>
    chosen.has(i) ? { ...note, onset: Math.round(note.onset / grid) * grid } : note,
  )
  return sorted(piece, notes, chosen)
}
