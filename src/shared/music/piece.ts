// Runs anywhere. The one internal piece type that MIDI files, model tensors, playback and the piano roll
// convert to and from (model.md sec. 1), with the schemas that validate it where it crosses a process
// boundary (a primer sent to the engine, generated pieces sent back).
import { z } from 'zod'

/**
 * One note event. Times are in quarter notes, so a piece is tempo-independent. `velocity` is the
 * paper's "intensity"; the paper's fourth value, the time since the previous onset, is derived from
 * `onset` by `deltas()` rather than stored, so that editing a note never shifts the ones after it.
 */
const NoteEventSchema = z.object({
  /** Onset in quarter notes from the start of the piece. */
  onset: z.number().min(0),
  /** How long the tone sounds, in quarter notes (0 for a zero-length note). */
  length: z.number().min(0),
  /** MIDI note number, 0-127. */
  pitch: z.number().int().min(0).max(127),
  /** MIDI velocity, 1-127. */
  velocity: z.number().int().min(1).max(127),
})
export type NoteEvent = z.infer<typeof NoteEventSchema>

/** The model's four continuous values for one tone, before decoding snaps them to MIDI. */
const QuadrupletSchema = z.object({
  length: z.number(),
  pitch: z.number(),
  intensity: z.number(),
  delta: z.number(),
})
export type Quadruplet = z.infer<typeof QuadrupletSchema>

/**
 * One key a sampling model's tone might have been, and how likely it was at the generation's temperature;
 * for a key that the steering ruled out, how likely the model would have made it.
 */
const PitchChoiceSchema = z.object({
  pitch: z.number().int().min(0).max(127),
  probability: z.number().min(0).max(1),
  ruledOut: z.literal(true).optional(),
})
export type PitchChoice = z.infer<typeof PitchChoiceSchema>

const TempoChangeSchema = z.object({
  /** Quarter notes from the start. */
  time: z.number().min(0),
  bpm: z.number().positive(),
})
export type TempoChange = z.infer<typeof TempoChangeSchema>

const TimeSignatureChangeSchema = z.object({
  /** Quarter notes from the start. */
  time: z.number().min(0),
  numerator: z.number().int().min(1),
  denominator: z.number().int().min(1),
})
export type TimeSignatureChange = z.infer<typeof TimeSignatureChangeSchema>

/** Numbers must be finite (zod's default). The schema checks ranges, not the order of the lists. */
export const PieceSchema = z.object({
  /** Sorted by onset, ties by lower pitch first (see `compareNotes`). */
  notes: z.array(NoteEventSchema),
  /** Sorted by time; empty means the MIDI default of 120 bpm. */
  tempos: z.array(TempoChangeSchema),
  /** Sorted by time; empty means the MIDI default of 4/4. */
  timeSignatures: z.array(TimeSignatureChangeSchema),
  /** When the piece comes from the model: its raw output, one entry per time step, `m` tones each. */
  modelOutput: z.array(z.array(QuadrupletSchema)).optional(),
  /** With `modelOutput`: per tone slot, the intensity from which its tones sounded (the checkpoint's). */
  intensityThresholds: z.array(z.number()).optional(),
  /**
   * With `modelOutput`, from a sampling model: per step and tone, the likeliest keys it was drawn from,
   * most likely first (the piano roll's raw-output lane shows them).
   */
  pitchChoices: z.array(z.array(z.array(PitchChoiceSchema))).optional(),
  /** How the piece was made, when Cadenza made it; travels in exported MIDI as a text event. */
  recipe: z.string().optional(),
})
export type Piece = z.infer<typeof PieceSchema>

export const DEFAULT_BPM = 120

/** The order of model.md sec. 1: by onset, then lower pitch first. */
export function compareNotes(a: NoteEvent, b: NoteEvent): number {
  return a.onset - b.onset || a.pitch - b.pitch
}

/**
 * `notes`, in their order, each ended no later than where its key is struck again, as a piano ends it: a
 * note-on while the same key sounds would otherwise be cut short by the earlier note-off in most players.
 */
export function endedAtRestrike<T extends NoteEvent>(notes: readonly T[]): T[] {
  const nextOnset = new Map<number, number>()
  const ended = new Array<T>(notes.length)
  // From the latest back, so that each note meets the next onset of its key after it.
  const order = notes.map((_, i) => i).sort((i, j) => notes[j].onset - notes[i].onset || j - i)
  for (const i of order) {
    const note = notes[i]
    const next = nextOnset.get(note.pitch)
    ended[i] =
      next !== undefined && note.onset + note.length > next ? { ...note, length: next - note.onset } : note
    nextOnset.set(note.pitch, note.onset)
  }
  return ended
}

/** Time since the previous event's onset, per event (the first event's is its onset). */
export function deltas(notes: readonly NoteEvent[]): number[] {
  return notes.map((note, i) => note.onset - (i === 0 ? 0 : notes[i - 1].onset))
}

/** The end of the last sounding note, in quarter notes. */
export function pieceEnd(piece: Piece): number {
  return piece.notes.reduce((end, note) => Math.max(end, note.onset + note.length), 0)
}
