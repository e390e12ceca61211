// Browser. An output port for one MIDI output (a hardware synth through Web MIDI): note messages on its
// channel with timestamps, a per-output latency offset, and no note left hanging when playback stops.
import type { OutputPort } from './outputPort'

/**
 * The part of a MIDI output this port uses: Web MIDI's `MIDIOutput` has exactly this shape, and a
 * WEBMIDI.js `Output` is adapted with `send: (data, time) => output.send(data, { time })`.
 */
export interface MidiSink {
  /** `timestamp` in milliseconds of `performance.now()`; 0 means now. */
  send(data: number[], timestamp: number): void
  /** Drops messages sent with a future timestamp; not every browser has it. */
  clear?(): void
}

export interface MidiOutputOptions {
  /** 1-16, as musicians count them. */
  channel: number
  /** Added to every timestamp: positive to play later, to line up with slower outputs. */
  latencyMs: number
  /** Audio-clock seconds to `performance.now()` milliseconds. */
  toMidiTime(audioTime: number): number
}

const NOTE_ON = 0x90
const NOTE_OFF = 0x80
const CONTROL_CHANGE = 0xb0
const ALL_NOTES_OFF = 123

export function midiOutputPort(sink: MidiSink, options: MidiOutputOptions): OutputPort {
  const status = (kind: number) => kind | (options.channel - 1)
  const timestamp = (time: number) => options.toMidiTime(time) + options.latencyMs
  /** Pitches with a note-on sent, and the latest timestamp of any message sent for each. */
  const started = new Map<number, number>()
  const latest = (pitch: number, at: number) => started.set(pitch, Math.max(started.get(pitch) ?? at, at))

  return {
    noteOn(pitch, velocity, time) {
      const at = timestamp(time)
      sink.send([status(NOTE_ON), pitch, Math.max(1, Math.min(127, Math.round(velocity)))], at)
      latest(pitch, at)
    },
    noteOff(pitch, time) {
      const at = timestamp(time)
      sink.send([status(NOTE_OFF), pitch, 0], at)
      if (started.has(pitch)) latest(pitch, at)
    },
    allNotesOff(time) {
      const now = timestamp(time)
      sink.clear?.()
      for (const [pitch, at] of started) {
        sink.send([status(NOTE_OFF), pitch, 0], now)
        // Without clear(), a note-on already queued for later would still sound: end it after that too.
        if (!sink.clear && at > now) sink.send([status(NOTE_OFF), pitch, 0], at)
      }
      sink.send([status(CONTROL_CHANGE), ALL_NOTES_OFF, 0], now)
      started.clear()
    },
  }
}

/** Panic: all notes off on every channel of the output, now. */
export function panic(sink: MidiSink): void {
  sink.clear?.()
  for (let channel = 0; channel < 16; channel++) sink.send([CONTROL_CHANGE | channel, ALL_NOTES_OFF, 0], 0)
}
