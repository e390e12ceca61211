// Browser (pure: the MIDI system is passed in as a `MidiBackend`). The MIDI inputs (keyboards) the studio
// listens to: the list of inputs as devices come and go, each one's settings (listened to or not, which
// channel), and the channel messages of the listened ones, with their timestamps, for thru, recording and
// answering. An input that vanishes is reported, so that what listens can end the notes it held.
import type { MidiBackend } from './midiDevices'

/** A message as an input received it: `timestamp` in milliseconds of performance.now(), as the driver stamped it. */
export interface InputMessage {
  readonly input: string
  readonly data: readonly number[]
  readonly timestamp: number
}

/** One input as the backend sees it. */
export interface MidiInputDevice {
  readonly id: string
  readonly name: string
  /** Calls `listener` with each message the input receives; returns its removal. */
  listen(listener: (data: readonly number[], timestamp: number) => void): () => void
}

export interface MidiInputSettings {
  /** Whether what this input plays is heard (thru), recorded and answered. */
  enabled: boolean
  /** 1-16 to listen to one channel only, 0 for every channel. */
  channel: number
}

export const DEFAULT_INPUT_SETTINGS: MidiInputSettings = { enabled: false, channel: 0 }

export interface MidiInputInfo {
  readonly id: string
  readonly name: string
  readonly settings: MidiInputSettings
}

/** What is played, and an input unplugged (at `timestamp`), to whoever listens. */
export interface InputListener {
  message(message: InputMessage): void
  unplugged(input: string, timestamp: number): void
}

export class MidiInputs {
  private readonly connected = new Map<string, { device: MidiInputDevice; unlisten: () => void }>()
  private readonly settings = new Map<string, MidiInputSettings>()
  private readonly changeListeners = new Set<(inputs: readonly MidiInputInfo[]) => void>()
  private readonly listeners = new Set<InputListener>()
  private unwatch: (() => void) | null = null

  constructor(
    private readonly backend: MidiBackend,
    /** The clock of MIDI timestamps: performance.now(). */
    readonly now: () => number,
    saved: Readonly<Record<string, MidiInputSettings>> = {},
  ) {
    for (const [id, settings] of Object.entries(saved)) this.settings.set(id, { ...settings })
  }

  /** Connected inputs, by name. */
  get inputs(): MidiInputInfo[] {
    return [...this.connected.values()]
      .map(({ device }) => ({
        id: device.id,
        name: device.name,
        settings: { ...this.settingsOf(device.id) },
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
  }

  /** Once MIDI is enabled: lists the inputs and follows hot-plugging. Calling it again does nothing. */
  start(): void {
    if (this.unwatch) return
    this.unwatch = this.backend.onPortsChanged(() => this.refresh())
    this.refresh()
  }

  onChange(listener: (inputs: readonly MidiInputInfo[]) => void): () => void {
    this.changeListeners.add(listener)
    return () => this.changeListeners.delete(listener)
  }

  listen(listener: InputListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  configure(id: string, change: Partial<MidiInputSettings>): void {
    const next = { ...this.settingsOf(id), ...change }
    if (!(Number.isInteger(next.channel) && next.channel >= 0 && next.channel <= 16)) {
      throw new RangeError('an input listens to channel 1 to 16, or 0 for every channel')
    }
    const wasOn = this.settingsOf(id).enabled
    this.settings.set(id, next)
    // An input turned off in the middle of a note must not leave it sounding or recording.
    if (wasOn && !next.enabled && this.connected.has(id)) this.tellUnplugged(id)
    this.emit()
  }

  savedSettings(): Record<string, MidiInputSettings> {
    return Object.fromEntries([...this.settings].map(([id, settings]) => [id, { ...settings }]))
  }

  dispose(): void {
    this.unwatch?.()
    this.unwatch = null
    for (const { unlisten } of this.connected.values()) unlisten()
    this.connected.clear()
    this.listeners.clear()
    this.changeListeners.clear()
  }

  private settingsOf(id: string): MidiInputSettings {
    return this.settings.get(id) ?? DEFAULT_INPUT_SETTINGS
  }

  private receive(id: string, data: readonly number[], timestamp: number): void {
    const { enabled, channel } = this.settingsOf(id)
    const status = data[0] ?? 0
    // Only channel messages: a keyboard's clock and active sensing are no part of what is played.
    if (!enabled || status < 0x80 || status >= 0xf0) return
    if (channel !== 0 && (status & 0x0f) !== channel - 1) return
    const message = { input: id, data: [...data], timestamp }
    this.listeners.forEach((listener) => listener.message(message))
  }

  private tellUnplugged(id: string): void {
    const at = this.now()
    this.listeners.forEach((listener) => listener.unplugged(id, at))
  }

  private refresh(): void {
    const now = new Map(this.backend.inputs().map((device) => [device.id, device]))
    let changed = false
    for (const [id, { device, unlisten }] of this.connected) {
      if (now.get(id) === device) continue
      unlisten()
      this.connected.delete(id)
      if (this.settingsOf(id).enabled) this.tellUnplugged(id)
      changed = true
    }
    for (const [id, device] of now) {
      if (this.connected.has(id)) continue
      const unlisten = device.listen((data, timestamp) => this.receive(id, data, timestamp))
      this.connected.set(id, { device, unlisten })
      changed = true
    }
    if (changed) this.emit()
  }

  private emit(): void {
    const inputs = this.inputs
    this.changeListeners.forEach((listener) => listener(inputs))
  }
}
