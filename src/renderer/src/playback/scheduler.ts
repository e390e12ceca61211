// Browser. A look-ahead scheduler: called on a timer with the audio clock's current time, it hands every
// note-on and note-off due within the next `lookahead` seconds to the output port, with its exact time.
// Time is an argument rather than read from a clock, so the whole player is deterministic under test.
import type { Piece } from '../../../shared/music/piece'
import { tempoMap } from '../../../shared/music/tempoMap'
import type { OutputPort } from './outputPort'

/** A note in seconds of the piece. */
export interface TimedNote {
  start: number
  end: number
  pitch: number
  velocity: number
}

export function timedNotes(piece: Piece, bpmScale = 1): TimedNote[] {
  const map = tempoMap(piece.tempos, bpmScale)
  return piece.notes.map((note) => ({
    start: map.toSeconds(note.onset),
    end: map.toSeconds(note.onset + note.length),
    pitch: note.pitch,
    velocity: note.velocity,
  }))
}

interface NoteEvent {
  time: number
  on: boolean
  pitch: number
  velocity: number
}

/**
 * Events of the notes that start in [from, to), cut at `to`. At equal times offs come first, so a repeated key
 * sounds again, except the off of a zero-length note, which must follow its own on or the key would hang.
 */
function eventsBetween(notes: readonly TimedNote[], from: number, to: number): NoteEvent[] {
  const order = (event: NoteEvent & { last: boolean }) => (event.on ? 1 : event.last ? 2 : 0)
  return notes
    .filter((note) => note.start >= from && note.start < to)
    .flatMap(({ start, end, pitch, velocity }) => {
      const off = Math.min(end, to)
      return [
        { time: start, on: true, pitch, velocity, last: false },
        { time: off, on: false, pitch, velocity: 0, last: off <= start },
      ]
    })
    .sort((a, b) => a.time - b.time || order(a) - order(b))
    .map(({ time, on, pitch, velocity }) => ({ time, on, pitch, velocity }))
}

export interface PlayOptions {
  /** Clock time at which piece time `from` sounds. */
  at: number
  /** Piece time to start from, in seconds. */
  from?: number
  /** Repeat [start, end) of the piece (seconds) until stopped. */
  loop?: { start: number; end: number }
}

export class Scheduler {
  private notes: readonly TimedNote[] = []
  /** Piece time at which a piece without a loop has ended. */
  private end = 0
  private events: NoteEvent[] = []
  private next = 0
  /** Clock time minus piece time: in the first pass, and in the current one. */
  private origin = 0
  private offset = 0
  private loop: { start: number; end: number } | undefined
  private playing = false

  constructor(
    private readonly port: OutputPort,
    private readonly lookahead = 0.15,
  ) {}

  play(notes: readonly TimedNote[], { at, from = 0, loop }: PlayOptions): void {
    if (loop && !(loop.end > loop.start)) throw new RangeError('a loop must end after it starts')
    this.stop(at)
    const start = loop && (from < loop.start || from >= loop.end) ? loop.start : from
    this.notes = notes
    this.loop = loop
    this.origin = this.offset = at - start
    this.events = eventsBetween(notes, start, loop ? loop.end : Infinity)
    this.next = 0
    this.end = notes.reduce((end, note) => Math.max(end, note.end), 0)
    this.playing = true
  }

  get isPlaying(): boolean {
    return this.playing
  }

  /** Piece time at clock time `now`, for the playhead. */
  position(now: number): number {
    const time = now - this.origin
    if (!this.loop || time < this.loop.end) return time
    const length = this.loop.end - this.loop.start
    return this.loop.start + ((time - this.loop.start) % length)
  }

  /** Sends everything due before `now + lookahead`; returns false once a piece without a loop has ended. */
  tick(now: number): boolean {
    if (!this.playing) return false
    const horizon = now + this.lookahead
    for (;;) {
      while (this.next < this.events.length && this.events[this.next].time + this.offset < horizon) {
        const { time, on, pitch, velocity } = this.events[this.next++]
        if (on) this.port.noteOn(pitch, velocity, time + this.offset)
        else this.port.noteOff(pitch, time + this.offset)
      }
      if (this.next < this.events.length) return true
      if (!this.loop) {
        if (now - this.offset >= this.end) this.playing = false
        return this.playing
      }
      // The next pass of the loop, if it begins before the horizon.
      const passEnd = this.loop.end + this.offset
      if (passEnd >= horizon) return true
      this.offset = passEnd - this.loop.start
      this.events = eventsBetween(this.notes, this.loop.start, this.loop.end)
      this.next = 0
    }
  }

  /** Stops at clock time `now`: nothing more is sent, and every note started or scheduled is silenced. */
  stop(now: number): void {
    if (!this.playing) return
    this.playing = false
    this.port.allNotesOff(now)
  }
}
