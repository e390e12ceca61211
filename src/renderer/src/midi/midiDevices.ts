// Browser (pure: the MIDI system is passed in as a `MidiBackend`; `webmidiBackend.ts` is WEBMIDI.js's). The
// MIDI outputs the studio can play to: enabling MIDI, the list of outputs as devices come and go, each
// output's settings (on or off, channel, latency, clock), the output ports the player routes to, panic,
// and MIDI clock. A device that vanishes leaves the routing at once; one that comes back gets its settings
// back and an all-notes-off, in case it was cut off in the middle of a note.
import { midiOutputPort, panic, type MidiSink } from '../playback/midiOutputPort'
import type { OutputPort } from '../playback/outputPort'
import type { Track } from '../playback/player'
import { midiClockTrack } from './midiClock'
import type { MidiInputDevice } from './midiInputs'

/** One output as the backend sees it; `send` timestamps are milliseconds of performance.now() (0: now). */
export interface MidiOutputDevice extends MidiSink {
  readonly id: string
  readonly name: string
}

export interface MidiBackend {
  /** Asks for MIDI access; rejects where there is no Web MIDI or permission is refused. */
  enable(): Promise<void>
  /** The outputs connected now. */
  outputs(): readonly MidiOutputDevice[]
  /** The inputs connected now. */
  inputs(): readonly MidiInputDevice[]
  /** Calls `listener` when a device is connected or disconnected; returns its removal. */
  onPortsChanged(listener: () => void): () => void
  disable?(): void
}

export interface MidiOutputSettings {
  /** Whether the player's notes go to this output. */
  enabled: boolean
  /** 1-16. */
  channel: number
  /** Milliseconds added to every timestamp, to line this output up with the others (may be negative). */
  latencyMs: number
  /** Whether this output gets MIDI clock and start/stop. */
  clock: boolean
}

export const DEFAULT_SETTINGS: MidiOutputSettings = { enabled: false, channel: 1, latencyMs: 0, clock: false }

export interface MidiOutputInfo {
  readonly id: string
  readonly name: string
  readonly settings: MidiOutputSettings
}

export type MidiStatus =
  | { readonly kind: 'off' }
  | { readonly kind: 'enabling' }
  | { readonly kind: 'on' }
  | { readonly kind: 'unavailable'; readonly reason: string }

export interface MidiState {
  readonly status: MidiStatus
  /** Connected outputs, by name. */
  readonly outputs: readonly MidiOutputInfo[]
}

interface Connected {
  device: MidiOutputDevice
  /** Built while the output is enabled; rebuilt when its channel or latency changes. */
  port: OutputPort | null
}

export class MidiDeviceManager {
  private status: MidiStatus = { kind: 'off' }
  private readonly connected = new Map<string, Connected>()
  /** Settings by device id, kept while a device is unplugged so they come back with it. */
  private readonly settings = new Map<string, MidiOutputSettings>()
  private readonly listeners = new Set<(state: MidiState) => void>()
  private unlisten: (() => void) | null = null
  /** Sends MIDI clock to every connected output that has it on; add it to the player with `addTrack`. */
  readonly clockTrack: Track

  constructor(
    private readonly backend: MidiBackend,
    /** Audio-clock seconds to performance.now() milliseconds (see `audioToMidiTime`). */
    private readonly toMidiTime: (audioTime: number) => number,
    /** Settings to start from, e.g. saved ones, by device id. */
    saved: Readonly<Record<string, MidiOutputSettings>> = {},
  ) {
    for (const [id, settings] of Object.entries(saved)) this.settings.set(id, { ...settings })
    this.clockTrack = midiClockTrack((data, time) => {
      for (const { device } of this.connected.values()) {
        const settings = this.settingsOf(device.id)
        if (settings.clock) safeSend(device, data, this.toMidiTime(time) + settings.latencyMs)
      }
    })
  }

  get state(): MidiState {
    const outputs = [...this.connected.values()]
      .map(({ device }) => ({
        id: device.id,
        name: device.name,
        settings: { ...this.settingsOf(device.id) },
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
    return { status: this.status, outputs }
  }

  onChange(listener: (state: MidiState) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Asks for MIDI access once (a permission prompt where the browser has one), then follows hot-plugging. */
  async enable(): Promise<void> {
    if (this.status.kind === 'on' || this.status.kind === 'enabling') return
    this.status = { kind: 'enabling' }
    this.emit()
    try {
      await this.backend.enable()
    } catch (error) {
      this.status = { kind: 'unavailable', reason: error instanceof Error ? error.message : String(error) }
      this.emit()
      return
    }
    this.status = { kind: 'on' }
    this.unlisten = this.backend.onPortsChanged(() => this.refresh())
    this.refresh()
  }

  /** The output ports of the enabled, connected outputs, for `player.setOutputs`; the same objects until something changes. */
  ports(): OutputPort[] {
    return [...this.connected.values()].flatMap(({ port }) => (port ? [port] : []))
  }

  /** Changes an output's settings (also of one unplugged now, by id). */
  configure(id: string, change: Partial<MidiOutputSettings>): void {
    const next = { ...this.settingsOf(id), ...change }
    if (!(Number.isInteger(next.channel) && next.channel >= 1 && next.channel <= 16)) {
      throw new RangeError('a MIDI channel is 1 to 16')
    }
    if (!Number.isFinite(next.latencyMs)) throw new RangeError('latency must be a number of milliseconds')
    this.settings.set(id, next)
    const output = this.connected.get(id)
    if (output) output.port = this.portFor(output.device)
    this.emit()
  }

  /** Every saved setting, by device id, for the UI to keep between sessions. */
  savedSettings(): Record<string, MidiOutputSettings> {
    return Object.fromEntries([...this.settings].map(([id, settings]) => [id, { ...settings }]))
  }

  /**
   * Thru: a channel message played on a MIDI input, sent now to every enabled output on that output's
   * channel (a synth listens on its own channel, whichever the keyboard sends on).
   */
  thru(data: readonly number[]): void {
    for (const { device } of this.connected.values()) {
      const { enabled, channel } = this.settingsOf(device.id)
      if (enabled) safeSend(device, [(data[0] & 0xf0) | (channel - 1), ...data.slice(1)], 0)
    }
  }

  /** All notes off on every channel of every connected output, now, whatever is enabled. */
  panic(): void {
    for (const { device } of this.connected.values()) panic(guarded(device))
  }

  dispose(): void {
    this.unlisten?.()
    this.unlisten = null
    this.connected.clear()
    this.listeners.clear()
    this.backend.disable?.()
    this.status = { kind: 'off' }
  }

  private settingsOf(id: string): MidiOutputSettings {
    return this.settings.get(id) ?? DEFAULT_SETTINGS
  }

  private portFor(device: MidiOutputDevice): OutputPort | null {
    const { enabled, channel, latencyMs } = this.settingsOf(device.id)
    return enabled
      ? midiOutputPort(guarded(device), { channel, latencyMs, toMidiTime: this.toMidiTime })
      : null
  }

  /** Brings the list in line with the backend's outputs: gone ones leave, new or returning ones join. */
  private refresh(): void {
    const now = new Map(this.backend.outputs().map((device) => [device.id, device]))
    let changed = false
    for (const id of this.connected.keys()) {
      if (!now.has(id)) {
        this.connected.delete(id)
        changed = true
      }
    }
    for (const [id, device] of now) {
      const known = this.connected.get(id)
      if (known && known.device === device) continue
      this.connected.set(id, { device, port: this.portFor(device) })
      // A device that was unplugged mid-note may still hold it: clear its channel.
      if (this.settingsOf(id).enabled) safeSend(device, [0xb0 | (this.settingsOf(id).channel - 1), 123, 0], 0)
      changed = true
    }
    if (changed) this.emit()
  }

  private emit(): void {
    const state = this.state
    this.listeners.forEach((listener) => listener(state))
  }
}

/** A device can vanish between two messages; sending to it then throws, and must not stop the others. */
function safeSend(sink: MidiSink, data: number[], timestamp: number): void {
  try {
    sink.send(data, timestamp)
  } catch {
    // The device is gone; the next refresh takes it out of the routing.
  }
}

function guarded(device: MidiOutputDevice): MidiSink {
  const sink: MidiSink = { send: (data, timestamp) => safeSend(device, data, timestamp) }
  if (device.clear) {
    const clear = device.clear.bind(device)
    sink.clear = () => {
      try {
        clear()
      } catch {
        // As in safeSend.
      }
    }
  }
  return sink
}
