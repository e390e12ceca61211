// Browser (pure). What was played on the MIDI inputs, as notes: from the timestamped messages of the
// keyboards (not from when the page handled them), with the sustain pedal (CC 64) holding released notes
// until it lifts, a key struck again ending its sounding note, and an input that vanished ending the notes
// it held. The recorder makes a take of it; Answer me finds the end of a phrase in it.
import { compareNotes, type NoteEvent, type Piece } from '../../../shared/music/piece'
import type { InputMessage } from '../midi/midiInputs'

/** An input that vanished (or was turned off) at `timestamp`: its notes end there. */
export interface InputGone {
  readonly input: string
  readonly timestamp: number
  readonly gone: true
}

export type PlayedEvent = InputMessage | InputGone

/** A note as played, in milliseconds of performance.now(); `end` is null while it sounds. */
export interface PlayedNote {
  readonly input: string
  readonly channel: number
  readonly pitch: number
  readonly velocity: number
  readonly start: number
  end: number | null
}

const NOTE_OFF = 0x80
const NOTE_ON = 0x90
const CONTROL_CHANGE = 0xb0
const SUSTAIN = 64

/** Every note played, in the order they started; those still sounding (held or pedalled) have no end. */
export function playedNotes(events: readonly PlayedEvent[]): PlayedNote[] {
  const notes: PlayedNote[] = []
  /** Per input and channel: the pedal is down. */
  const pedal = new Set<string>()
  /** Keys released while the pedal was down, so sounding until it lifts. */
  const pedalled = new Set<PlayedNote>()
  const sounding = (note: PlayedNote) => note.end === null
  const end = (note: PlayedNote, at: number) => {
    note.end = at
    pedalled.delete(note)
  }
  const ordered = [...events].sort((a, b) => a.timestamp - b.timestamp)
  for (const event of ordered) {
    if ('gone' in event) {
      for (const note of notes) if (note.input === event.input && sounding(note)) end(note, event.timestamp)
      for (const key of [...pedal]) if (key.startsWith(`${event.input}\n`)) pedal.delete(key)
      continue
    }
    const [status, first = 0, second = 0] = event.data
    const kind = status & 0xf0
    const channel = status & 0x0f
    const key = `${event.input}\n${channel}`
    const sameKey = (note: PlayedNote) =>
      note.input === event.input && note.channel === channel && note.pitch === first && sounding(note)
    if (kind === NOTE_ON && second > 0) {
      // Struck again while it sounds (held under the pedal, or a doubled note-on): the old one ends here.
      for (const note of notes) if (sameKey(note)) end(note, event.timestamp)
      notes.push({
        input: event.input,
        channel,
        pitch: first,
        velocity: second,
        start: event.timestamp,
        end: null,
      })
    } else if (kind === NOTE_OFF || kind === NOTE_ON) {
      for (const note of notes) {
        if (!sameKey(note) || pedalled.has(note)) continue
        if (pedal.has(key)) pedalled.add(note)
        else end(note, event.timestamp)
      }
    } else if (kind === CONTROL_CHANGE && first === SUSTAIN) {
      if (second >= 64) pedal.add(key)
      else {
        pedal.delete(key)
        for (const note of [...pedalled]) {
          if (note.input === event.input && note.channel === channel) end(note, event.timestamp)
        }
      }
    }
  }
  return notes
}

export interface PieceOptions {
  /** The timestamp of quarter 0: the downbeat after a count-in; by default the first note's start. */
  start?: number
  /** When recording stopped: notes still sounding end here. */
  end: number
  bpm: number
}

/** What was played as a piece in 4/4 at `bpm`; notes played before `start` begin at 0, those over by then are left out. */
export function playedPiece(events: readonly PlayedEvent[], { start, end, bpm }: PieceOptions): Piece {
  const played = playedNotes(events)
  const origin = start ?? played[0]?.start ?? end
  const quarters = (ms: number) => (Math.max(0, ms - origin) * bpm) / 60_000
  const notes: NoteEvent[] = played
    .map((note) => ({ ...note, end: note.end ?? Math.max(end, note.start) }))
    .filter((note) => note.end > origin || note.start >= origin)
    .map(({ start: on, end: off, pitch, velocity }) => ({
      onset: quarters(on),
      length: quarters(off) - quarters(on),
      pitch,
      velocity,
    }))
    .sort(compareNotes)
  return { notes, tempos: [{ time: 0, bpm }], timeSignatures: [{ time: 0, numerator: 4, denominator: 4 }] }
}

/**
 * When a phrase has ended: `gapMs` after its last note stopped sounding, with none sounding now. Null while
 * a note sounds (a key held, or the pedal holding one), or before any was played.
 */
export function phraseEnd(events: readonly PlayedEvent[], gapMs: number): number | null {
  const played = playedNotes(events)
  if (played.length === 0 || played.some((note) => note.end === null)) return null
  return Math.max(...played.map((note) => note.end ?? 0)) + gapMs
}
