// Browser (pure: the clocks, the timer and the ports are passed in). What the studio plays live, beside the
// transport: the count-in's clicks before a recording, and Answer me's answers, scheduled ahead with exact
// times as the player schedules a take's notes. Stopping an answer ends every note it started.
import { ACCENT_CLICK, BEAT_CLICK } from './metronome'
import { groupOutput, type OutputPort } from './outputPort'
import { Scheduler, type TimedNote } from './scheduler'

export interface LiveDeps {
  /** The audio clock, in seconds. */
  now(): number
  /** Calls `tick` every `ms` milliseconds until the returned function is called. */
  every(ms: number, tick: () => void): () => void
  /** Audio-clock seconds to MIDI timestamps (milliseconds of performance.now()), as for MIDI out. */
  toMidiTime(audioTime: number): number
  /** Where an answer goes (the piano and the enabled MIDI outputs), asked when it starts. */
  ports(): readonly OutputPort[]
  /** The metronome's click. */
  clicks: OutputPort
  /** Seconds the schedulers look ahead (default 0.15). */
  lookahead?: number
}

/** Seconds from count-in() to its first click, so that it is not late. */
const COUNT_IN_DELAY = 0.1
const TICK_MS = 25

export class LivePlayback {
  private readonly clickScheduler: Scheduler
  private answer: { scheduler: Scheduler; ended: () => void } | null = null
  private cancelTimer: (() => void) | null = null

  constructor(private readonly deps: LiveDeps) {
    this.clickScheduler = new Scheduler(deps.clicks, deps.lookahead)
  }

  get answering(): boolean {
    return this.answer !== null
  }

  /** The audio-clock time of a MIDI timestamp. */
  audioTime(timestamp: number): number {
    const now = this.deps.now()
    return now + (timestamp - this.deps.toMidiTime(now)) / 1000
  }

  /** Clicks `beats` beats at `bpm`, the first accented; returns the MIDI timestamp of the beat after the last. */
  countIn(beats: number, bpm: number): number {
    const beat = 60 / bpm
    const at = this.deps.now() + COUNT_IN_DELAY
    const clicks: TimedNote[] = Array.from({ length: beats }, (_, k) => {
      const click = k === 0 ? ACCENT_CLICK : BEAT_CLICK
      return { start: k * beat, end: k * beat + 0.05, ...click }
    })
    this.clickScheduler.play(clicks, { at })
    this.run()
    return this.deps.toMidiTime(at + beats * beat)
  }

  /** Plays `notes` (seconds from the answer's start) from MIDI timestamp `start`; `ended` is called when it is over, not when stopped. */
  playAnswer(notes: readonly TimedNote[], start: number, ended: () => void): void {
    this.stopAnswer()
    const scheduler = new Scheduler(groupOutput(this.deps.ports()), this.deps.lookahead)
    scheduler.play(notes, { at: this.audioTime(start) })
    this.answer = { scheduler, ended }
    this.run()
  }

  /** Ends the answer now: nothing more is sent, and every note it started or scheduled is silenced. */
  stopAnswer(): void {
    this.answer?.scheduler.stop(this.deps.now())
    this.answer = null
  }

  dispose(): void {
    this.stopAnswer()
    this.clickScheduler.stop(this.deps.now())
    this.cancelTimer?.()
    this.cancelTimer = null
  }

  private run(): void {
    this.cancelTimer ??= this.deps.every(TICK_MS, () => this.tick())
    this.tick()
  }

  private tick(): void {
    const now = this.deps.now()
    const clicking = this.clickScheduler.tick(now)
    const answer = this.answer
    if (answer && !answer.scheduler.tick(now)) {
      this.answer = null
      answer.ended()
    }
    if (!clicking && !this.answer) {
      this.cancelTimer?.()
      this.cancelTimer = null
    }
  }
}
