// The page, tests only; injected before the app's scripts. A Web MIDI API without devices, as a container
// has none: navigator.requestMIDIAccess answers with fake outputs that record every message sent, and tests
// plug outputs in and out (statechange events, as on a hot-plug) through window.cadenzaTestMidi. The fakes
// have what Chromium's ports have and no more: Chromium, so Electron, has no MIDIOutput.clear(), and code
// that counted on it would pass here and fail in the app.

export interface FakeOutputInfo {
  id: string
  name: string
  manufacturer?: string
}

/** A message an output was asked to send; `timestamp` is send()'s second argument, as given. */
export interface MidiRecord {
  output: string
  data: number[]
  timestamp: number | undefined
}

/** The test's handle on the fake MIDI system. */
export interface MidiRecorder {
  records(): MidiRecord[]
  /** Plugs an output in: it appears in every MIDIAccess, with statechange events. */
  connect(info: FakeOutputInfo): void
  /** Unplugs an output: it leaves every MIDIAccess, with statechange events. */
  disconnect(id: string): void
}

declare global {
  interface Window {
    readonly cadenzaTestMidi: MidiRecorder
  }
}

type StateChangeTarget = EventTarget & { onstatechange: ((event: Event) => void) | null }

const records: MidiRecord[] = []
const outputs = new Map<string, FakeOutput>()
const accesses = new Set<FakeAccess>()

/** Fires statechange on the port, then on every MIDIAccess, as the Web MIDI API does. */
function stateChanged(port: FakeOutput) {
  for (const target of [port, ...accesses] as StateChangeTarget[]) {
    // MIDIConnectionEvent's constructor accepts real ports only, so a plain Event carries the port.
    const event = Object.defineProperty(new Event('statechange'), 'port', { value: port })
    target.dispatchEvent(event)
    target.onstatechange?.(event)
  }
}

class FakeOutput extends EventTarget {
  readonly type = 'output'
  readonly version = '1.0'
  readonly id: string
  readonly name: string
  readonly manufacturer: string
  state: MIDIPortDeviceState = 'connected'
  connection: MIDIPortConnectionState = 'closed'
  onstatechange: ((event: Event) => void) | null = null

  constructor({ id, name, manufacturer = 'Cadenza tests' }: FakeOutputInfo) {
    super()
    this.id = id
    this.name = name
    this.manufacturer = manufacturer
  }

  async open() {
    if (this.state === 'disconnected') {
      this.connection = 'pending'
    } else if (this.connection !== 'open') {
      this.connection = 'open'
      stateChanged(this)
    }
    return this
  }

  async close() {
    if (this.connection !== 'closed') {
      this.connection = 'closed'
      stateChanged(this)
    }
    return this
  }

  send(data: Iterable<number>, timestamp?: number) {
    if (this.state === 'disconnected')
      throw new DOMException(`${this.name} is disconnected`, 'InvalidStateError')
    // As in browsers, sending opens a closed port.
    void this.open()
    records.push({ output: this.id, data: [...data], timestamp })
  }
}

class FakeAccess extends EventTarget {
  readonly inputs = new Map<string, never>()
  onstatechange: ((event: Event) => void) | null = null

  constructor(readonly sysexEnabled: boolean) {
    super()
  }

  get outputs(): ReadonlyMap<string, FakeOutput> {
    return new Map(outputs)
  }
}

const recorder: MidiRecorder = {
  records: () => structuredClone(records),
  connect: (info) => {
    const output = outputs.get(info.id) ?? new FakeOutput(info)
    outputs.set(info.id, output)
    output.state = 'connected'
    if (output.connection === 'pending') output.connection = 'open'
    stateChanged(output)
  },
  disconnect: (id) => {
    const output = outputs.get(id)
    if (output === undefined) return
    outputs.delete(id)
    output.state = 'disconnected'
    // An open port waits for its device to come back.
    if (output.connection === 'open') output.connection = 'pending'
    stateChanged(output)
  },
}

Object.defineProperty(window, 'cadenzaTestMidi', { value: recorder })
Object.defineProperty(Navigator.prototype, 'requestMIDIAccess', {
  value: async (options?: MIDIOptions) => {
    const access = new FakeAccess(options?.sysex === true)
    accesses.add(access)
    return access as unknown as MIDIAccess
  },
})
