// Runs anywhere. The one internal piece type that MIDI files, model tensors, playback and the piano roll
// convert to and from (model.md sec. 1).

/**
 * One note event. Times are in quarter notes, so a piece is tempo-independent. `velocity` is the
 * paper's "intensity"; the paper's fourth value, the time since the previous onset, is derived from
 * `onset` by `deltas()` rather than stored, so that editing a note never shifts the ones after it.
 */
export interface NoteEvent {
  /** Onset in quarter notes from the start of the piece. */
  onset: number
  /** How long the tone sounds, in quarter notes (0 for a zero-length note). */
  length: number
  /** MIDI note number, 0-127. */
  pitch: number
  /** MIDI velocity, 1-127. */
  velocity: number
}

/** The model's four continuous values for one tone, before decoding snaps them to MIDI. */
export interface Quadruplet {
  length: number
  pitch: number
  intensity: number
  delta: number
}

export interface TempoChange {
  /** Quarter notes from the start. */
  time: number
  bpm: number
}

export interface TimeSignatureChange {
  /** Quarter notes from the start. */
  time: number
  numerator: number
  denominator: number
}

export interface Piece {
  /** Sorted by onset, ties by lower pitch first (see `compareNotes`). */
  notes: NoteEvent[]
  /** Sorted by time; empty means the MIDI default of 120 bpm. */
  tempos: TempoChange[]
  /** Sorted by time; empty means the MIDI default of 4/4. */
  timeSignatures: TimeSignatureChange[]
  /** When the piece comes from the model: its raw output, one entry per time step, `m` tones each. */
  modelOutput?: Quadruplet[][]
  /** How the piece was made, when Cadenza made it; travels in exported MIDI as a text event. */
  recipe?: string
}

export const DEFAULT_BPM = 120

/** The order of model.md sec. 1: by onset, then lower pitch first. */
export function compareNotes(a: NoteEvent, b: NoteEvent): number {
  return a.onset - b.onset || a.pitch - b.pitch
}

/** Time since the previous event's onset, per event (the first event's is its onset). */
export function deltas(notes: readonly NoteEvent[]): number[] {
  return notes.map((note, i) => note.onset - (i === 0 ? 0 : notes[i - 1].onset))
}

/** The end of the last sounding note, in quarter notes. */
export function pieceEnd(piece: Piece): number {
  return piece.notes.reduce((end, note) => Math.max(end, note.onset + note.length), 0)
}
