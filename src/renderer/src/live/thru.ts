// Browser (pure: the piano port, the clock and the MIDI outputs are passed in). Thru: what is played on the
// MIDI inputs sounds at once on the sampled piano and/or the enabled MIDI outputs. The outputs get the played
// bytes (the pedal included, so a synth sustains itself); the piano has no pedal, so released keys are held
// here until the pedal lifts. An input that vanishes, or a thru turned off, ends the notes it left sounding.
import type { InputListener, InputMessage } from '../midi/midiInputs'
import type { OutputPort } from '../playback/outputPort'

export interface ThruSettings {
  piano: boolean
  outputs: boolean
}

export interface ThruDeps {
  piano: OutputPort
  /** The audio clock, in seconds. */
  now(): number
  /** Sends a channel message now to every enabled MIDI output (`MidiDeviceManager.thru`). */
  sendToOutputs(data: readonly number[]): void
}

interface Sounding {
  input: string
  channel: number
  pitch: number
  /** Released with the pedal down: the piano holds it until the pedal lifts. */
  pedalled: boolean
}

const NOTE_OFF = 0x80
const NOTE_ON = 0x90
const CONTROL_CHANGE = 0xb0
const SUSTAIN = 64

export class Thru implements InputListener {
  private current: ThruSettings
  private readonly sounding = new Map<string, Sounding>()
  private readonly pedals = new Set<string>()

  constructor(
    private readonly deps: ThruDeps,
    settings: ThruSettings = { piano: true, outputs: true },
    /** Called with the settings after each change, to keep them. */
    private readonly changed: (settings: ThruSettings) => void = () => {},
  ) {
    this.current = { ...settings }
  }

  get settings(): ThruSettings {
    return { ...this.current }
  }

  configure(change: Partial<ThruSettings>): void {
    const next = { ...this.current, ...change }
    // Turned off with keys down: what it started must not ring on.
    if (this.current.piano && !next.piano) this.endOnPiano(() => true)
    if (this.current.outputs && !next.outputs) this.endOnOutputs(null)
    this.current = next
    this.changed(this.settings)
  }

  message({ input, data }: InputMessage): void {
    if (this.current.outputs) this.deps.sendToOutputs(data)
    const [status, first = 0, second = 0] = data
    const kind = status & 0xf0
    const channel = status & 0x0f
    const pedal = `${input}\n${channel}`
    const key = `${pedal}\n${first}`
    const now = this.deps.now()
    if (kind === NOTE_ON && second > 0) {
      this.sounding.set(key, { input, channel, pitch: first, pedalled: false })
      if (this.current.piano) this.deps.piano.noteOn(first, second, now)
    } else if (kind === NOTE_OFF || kind === NOTE_ON) {
      const note = this.sounding.get(key)
      if (!note) return
      if (this.pedals.has(pedal)) note.pedalled = true
      else {
        this.sounding.delete(key)
        if (this.current.piano) this.deps.piano.noteOff(first, now)
      }
    } else if (kind === CONTROL_CHANGE && first === SUSTAIN) {
      if (second >= 64) this.pedals.add(pedal)
      else {
        this.pedals.delete(pedal)
        this.endOnPiano((note) => note.pedalled && note.input === input && note.channel === channel)
      }
    }
  }

  unplugged(input: string): void {
    const of = (note: Sounding) => note.input === input
    if (this.current.outputs) this.endOnOutputs(input)
    this.endOnPiano(of)
    for (const [key, note] of this.sounding) if (of(note)) this.sounding.delete(key)
    for (const pedal of [...this.pedals]) if (pedal.startsWith(`${input}\n`)) this.pedals.delete(pedal)
  }

  private endOnPiano(which: (note: Sounding) => boolean): void {
    const now = this.deps.now()
    for (const [key, note] of this.sounding) {
      if (!which(note)) continue
      if (this.current.piano) this.deps.piano.noteOff(note.pitch, now)
      if (note.pedalled) this.sounding.delete(key)
    }
  }

  /** Note-offs for the keys still sounding, and the pedal up, on the outputs: of one input, or of all (null). */
  private endOnOutputs(input: string | null): void {
    for (const note of this.sounding.values()) {
      if (input === null || note.input === input)
        this.deps.sendToOutputs([NOTE_OFF | note.channel, note.pitch, 0])
    }
    for (const pedal of this.pedals) {
      const [from, channel] = pedal.split('\n')
      if (input === null || from === input)
        this.deps.sendToOutputs([CONTROL_CHANGE | Number(channel), SUSTAIN, 0])
    }
  }
}
