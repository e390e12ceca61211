// Browser (pure: no Tone.js here). The transport the studio drives: load a piece, play, pause, stop, loop,
// tempo, metronome, and where the notes go. It reads the audio clock through an injected `now()` and ticks
// its look-ahead schedulers on an injected timer, so every behaviour is tested in Node with a fake clock
// and recording ports; `createPlayer.ts` wires it to Tone.js. The playhead is read with
// `positionQuarters()` in requestAnimationFrame; `onChange` fires only when the transport's state changes.
import type { Piece } from '../../../shared/music/piece'
import { tempoMap, type TempoMap } from '../../../shared/music/tempoMap'
import { metronomeClicks } from './metronome'
import { groupOutput, type OutputPort } from './outputPort'
import { Scheduler, timedNotes, type TimedNote } from './scheduler'

/** A range of the piece in quarter notes, `end` after `start`. */
export interface QuarterRange {
  start: number
  end: number
}

export interface PlayerState {
  readonly hasPiece: boolean
  readonly isPlaying: boolean
  readonly loop: QuarterRange | null
  readonly tempoScale: number
  readonly metronome: boolean
}

/**
 * Events that play along with the piece through their own port, in step with it: the metronome's clicks,
 * a MIDI clock's pulses. They loop, follow the tempo and stop with the piece.
 */
export interface Track {
  readonly port: OutputPort
  /** The track's events for a piece, in seconds of the piece at a tempo scale. */
  notes(piece: Piece, tempoScale: number): TimedNote[]
  /** The transport starts: piece position `fromQuarter` sounds at clock time `at`. Not called on a restart for a tempo, loop or piece change. */
  started?(at: number, fromQuarter: number): void
  /** The transport stops (pause, stop, the end of the piece), at clock time `now`. */
  stopped?(now: number): void
}

export interface PlayerDeps {
  /** The audio clock, in seconds. */
  now(): number
  /** Calls `tick` every `ms` milliseconds until the returned function is called. */
  every(ms: number, tick: () => void): () => void
  /** Where the metronome's clicks go; without one the metronome is silent. */
  metronome?: OutputPort
  /** Called by `play()`: wakes a suspended audio context (browsers need a user gesture first). */
  resume?(): void
  /** Seconds the schedulers look ahead (default 0.15). */
  lookahead?: number
  /** Milliseconds between ticks (default 25). */
  tickMs?: number
  /** Seconds from `play()` to the first note, so that it is not late (default 0.05). */
  startDelay?: number
}

const SILENT: OutputPort = { noteOn: () => {}, noteOff: () => {}, allNotesOff: () => {} }

export class Player {
  private piece: Piece | null = null
  private notes: TimedNote[] = []
  private map: TempoMap = tempoMap([])
  private scale = 1
  private loopRange: QuarterRange | null = null
  private metronomeOn = false
  private outputs: OutputPort = groupOutput([])
  private ports: readonly OutputPort[] = []
  private readonly main: Scheduler
  private readonly tracks = new Map<Track, Scheduler>()
  private readonly metronomeTrack: Track
  private readonly listeners = new Set<(state: PlayerState) => void>()
  /** Where play() resumes when stopped or paused, in quarters. */
  private resumeAt = 0
  /** Clock time at which the current run's first note sounds; the playhead waits there until then. */
  private startedAt = 0
  private cancelTimer: (() => void) | null = null
  private readonly lookahead: number
  private readonly tickMs: number
  private readonly startDelay: number

  constructor(private readonly deps: PlayerDeps) {
    this.lookahead = deps.lookahead ?? 0.15
    this.tickMs = deps.tickMs ?? 25
    this.startDelay = deps.startDelay ?? 0.05
    // The schedulers hold this forwarding port, so outputs can change while a piece plays.
    const router: OutputPort = {
      noteOn: (pitch, velocity, time) => this.outputs.noteOn(pitch, velocity, time),
      noteOff: (pitch, time) => this.outputs.noteOff(pitch, time),
      allNotesOff: (time) => this.outputs.allNotesOff(time),
    }
    this.main = new Scheduler(router, this.lookahead)
    this.metronomeTrack = {
      port: deps.metronome ?? SILENT,
      notes: (piece, tempoScale) => metronomeClicks(piece, tempoScale),
    }
  }

  get isPlaying(): boolean {
    return this.cancelTimer !== null
  }

  get state(): PlayerState {
    return {
      hasPiece: this.piece !== null,
      isPlaying: this.isPlaying,
      loop: this.loopRange && { ...this.loopRange },
      tempoScale: this.scale,
      metronome: this.metronomeOn,
    }
  }

  onChange(listener: (state: PlayerState) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** A new piece: playback stops and goes back to the start. */
  load(piece: Piece): void {
    if (this.isPlaying) this.halt(this.deps.now())
    this.piece = piece
    this.rebuild()
    this.resumeAt = 0
    this.emit()
  }

  /** An edit of the current piece: playback, or the paused position, goes on where it is. */
  update(piece: Piece): void {
    const position = this.positionQuarters()
    this.piece = piece
    this.rebuild()
    if (this.isPlaying) this.restart(position)
    this.emit()
  }

  /** Plays from `fromQuarter`, or from where it was paused (the start after stop). Plays again from there if playing. */
  play(fromQuarter?: number): void {
    if (!this.piece) return
    const from = Math.max(0, fromQuarter ?? this.positionQuarters())
    if (this.isPlaying) this.halt(this.deps.now())
    this.deps.resume?.()
    const at = this.deps.now() + this.startDelay
    this.startAll(at, from)
    for (const track of this.tracks.keys()) track.started?.(at, this.positionAt(at))
    this.cancelTimer = this.deps.every(this.tickMs, () => this.tick())
    this.tick()
    this.emit()
  }

  /** Stops where it is; play() goes on from there. */
  pause(): void {
    if (!this.isPlaying) return
    const position = this.positionQuarters()
    this.halt(this.deps.now())
    this.resumeAt = position
    this.emit()
  }

  /** Stops and goes back to the start. Every note that sounds or is scheduled is silenced. */
  stop(): void {
    if (this.isPlaying) this.halt(this.deps.now())
    this.resumeAt = 0
    this.emit()
  }

  setLoop(range: QuarterRange | null): void {
    if (range && !(range.end > range.start && range.start >= 0))
      throw new RangeError('a loop must end after it starts')
    const position = this.positionQuarters()
    this.loopRange = range && { start: range.start, end: range.end }
    if (this.isPlaying) this.restart(position)
    this.emit()
  }

  /** Plays faster (> 1) or slower (< 1) than the piece's tempo; while playing, from the same position. */
  setTempoScale(scale: number): void {
    if (!(scale > 0 && Number.isFinite(scale)))
      throw new RangeError('the tempo scale must be a positive number')
    const position = this.positionQuarters()
    this.scale = scale
    this.rebuild()
    if (this.isPlaying) this.restart(position)
    this.emit()
  }

  setMetronome(on: boolean): void {
    if (on === this.metronomeOn) return
    this.metronomeOn = on
    if (on) this.addTrack(this.metronomeTrack)
    else this.removeTrack(this.metronomeTrack)
    this.emit()
  }

  /** Routes the piece to these ports (through a group output); a port taken away is silenced at once. */
  setOutputs(ports: readonly OutputPort[]): void {
    const removed = this.ports.filter((port) => !ports.includes(port))
    if (this.isPlaying) removed.forEach((port) => port.allNotesOff(this.deps.now()))
    this.ports = [...ports]
    this.outputs = groupOutput(this.ports)
  }

  /** Adds a track that plays along (from the current position if playing); returns its removal. */
  addTrack(track: Track): () => void {
    if (!this.tracks.has(track)) {
      const scheduler = new Scheduler(track.port, this.lookahead)
      this.tracks.set(track, scheduler)
      if (this.isPlaying && this.piece) {
        const now = Math.max(this.deps.now(), this.startedAt)
        scheduler.play(track.notes(this.piece, this.scale), {
          at: now,
          from: this.main.position(now),
          loop: this.loopSeconds(),
        })
        track.started?.(now, this.positionAt(now))
        scheduler.tick(this.deps.now())
      }
    }
    return () => this.removeTrack(track)
  }

  /** Where the playhead is, in quarter notes, from the audio clock. */
  positionQuarters(): number {
    return this.isPlaying ? this.positionAt(this.deps.now()) : this.resumeAt
  }

  dispose(): void {
    if (this.isPlaying) this.halt(this.deps.now())
    this.listeners.clear()
    this.tracks.clear()
  }

  private positionAt(now: number): number {
    return this.map.toQuarters(this.main.position(Math.max(now, this.startedAt)))
  }

  private removeTrack(track: Track): void {
    const scheduler = this.tracks.get(track)
    if (!scheduler) return
    this.tracks.delete(track)
    if (this.isPlaying) {
      const now = this.deps.now()
      scheduler.stop(now)
      track.stopped?.(now)
    }
  }

  private tick(): void {
    const now = this.deps.now()
    const going = this.main.tick(now)
    for (const scheduler of this.tracks.values()) scheduler.tick(now)
    if (!going) {
      // The end of a piece without a loop: the next play() starts from the beginning.
      this.halt(now)
      this.resumeAt = 0
      this.emit()
    }
  }

  /** Stops every scheduler and the timer, silencing every port; tells the tracks. */
  private halt(now: number): void {
    this.cancelTimer?.()
    this.cancelTimer = null
    this.main.stop(now)
    for (const [track, scheduler] of this.tracks) {
      scheduler.stop(now)
      track.stopped?.(now)
    }
  }

  /** Plays on from `position` after a change of piece, tempo or loop, without telling the tracks. */
  private restart(position: number): void {
    this.startAll(this.deps.now(), position)
    this.tick()
  }

  private startAll(at: number, fromQuarter: number): void {
    if (!this.piece) return
    const options = { at, from: this.map.toSeconds(fromQuarter), loop: this.loopSeconds() }
    this.startedAt = at
    this.main.play(this.notes, options)
    for (const [track, scheduler] of this.tracks) scheduler.play(track.notes(this.piece, this.scale), options)
  }

  private loopSeconds(): { start: number; end: number } | undefined {
    if (!this.loopRange) return undefined
    return { start: this.map.toSeconds(this.loopRange.start), end: this.map.toSeconds(this.loopRange.end) }
  }

  private rebuild(): void {
    this.map = tempoMap(this.piece?.tempos ?? [], this.scale)
    this.notes = this.piece ? timedNotes(this.piece, this.scale) : []
  }

  private emit(): void {
    const state = this.state
    this.listeners.forEach((listener) => listener(state))
  }
}
