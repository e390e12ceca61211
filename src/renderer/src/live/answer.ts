// Browser (pure). Answer me's timing: on which beat of the call the model's answer starts (the first one
// it can still make in time, so an answer is later by whole beats rather than late), and the exchange as a
// piece: the call as played, then the model's continuation moved to start on that beat.
import { compareNotes, type NoteEvent, type Piece } from '../../../shared/music/piece'

export interface AnswerTiming {
  /** Timestamp (ms of performance.now()) of the call's first note, its quarter 0. */
  callStart: number
  bpm: number
  /** When the answer is ready to be scheduled: generated, and the gap over. */
  ready: number
  /** Milliseconds scheduling needs before the first note, so that it is not late on any output. */
  lead: number
}

/** The beat (in quarters from the call's start) on which the answer starts: the first at or after `ready + lead`. */
export function answerBeat({ callStart, bpm, ready, lead }: AnswerTiming): number {
  const beatMs = 60_000 / bpm
  return Math.max(0, Math.ceil((ready + lead - callStart) / beatMs - 1e-9))
}

/** The timestamp of quarter `quarters` of the call. */
export function callTime(callStart: number, bpm: number, quarters: number): number {
  return callStart + (quarters * 60_000) / bpm
}

const noteKey = ({ onset, length, pitch, velocity }: NoteEvent) => `${onset}|${length}|${pitch}|${velocity}`

/** The notes the model added to the primer: the generated piece holds the primer's notes unchanged, and these. */
export function continuation(generated: Piece, primer: Piece): NoteEvent[] {
  const left = new Map<string, number>()
  for (const note of primer.notes) left.set(noteKey(note), (left.get(noteKey(note)) ?? 0) + 1)
  return generated.notes.filter((note) => {
    const count = left.get(noteKey(note)) ?? 0
    if (count > 0) left.set(noteKey(note), count - 1)
    return count === 0
  })
}

/**
 * The exchange: the call, and the continuation moved so that its first note starts on quarter `at`. The
 * model's raw output is left out: it is timed from the end of the call, where the answer no longer is.
 */
export function placeAnswer(generated: Piece, primer: Piece, at: number): Piece {
  const answer = continuation(generated, primer)
  const first = Math.min(...answer.map((note) => note.onset))
  const moved = answer.map((note) => ({ ...note, onset: note.onset - first + at }))
  const { tempos, timeSignatures, recipe } = generated
  return { notes: [...primer.notes, ...moved].sort(compareNotes), tempos, timeSignatures, recipe }
}
