// The page, tests only; injected before the app's scripts. A Web MIDI API without devices, as a container
// has none: navigator.requestMIDIAccess answers with fake outputs that record every message sent and fake
// inputs that tests play into (messages with the timestamps the test gives, as a keyboard's driver stamps
// them), and tests plug ports in and out (statechange events, as on a hot-plug) through
// window.cadenzaTestMidi. The fakes have what Chromium's ports have and no more: Chromium, so Electron, has
// no MIDIOutput.clear(), and code that counted on it would pass here and fail in the app.

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
  /** Plugs an input in, as `connect` does an output. */
  connectInput(info: FakeOutputInfo): void
  /** Unplugs an input, as `disconnect` does an output. */
  disconnectInput(id: string): void
  /** The input receives each message, in order, with its timestamp (milliseconds of performance.now()). */
  play(id: string, messages: readonly (readonly [data: number[], timestamp: number])[]): void
  /** performance.now() of the page: the clock of MIDI timestamps. */
  now(): number
}

declare global {
  interface Window {
    readonly cadenzaTestMidi: MidiRecorder
  }
}

type StateChangeTarget = EventTarget & { onstatechange: ((event: Event) => void) | null }

const records: MidiRecord[] = []
const outputs = new Map<string, FakeOutput>()
const inputs = new Map<string, FakeInput>()
const accesses = new Set<FakeAccess>()

/** Fires statechange on the port, then on every MIDIAccess, as the Web MIDI API does. */
function stateChanged(port: FakePort) {
  for (const target of [port, ...accesses] as StateChangeTarget[]) {
    // MIDIConnectionEvent's constructor accepts real ports only, so a plain Event carries the port.
    const event = Object.defineProperty(new Event('statechange'), 'port', { value: port })
    target.dispatchEvent(event)
    target.onstatechange?.(event)
  }
}

class FakePort extends EventTarget {
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
}

class FakeOutput extends FakePort {
  readonly type = 'output'

  send(data: Iterable<number>, timestamp?: number) {
    if (this.state === 'disconnected')
      throw new DOMException(`${this.name} is disconnected`, 'InvalidStateError')
    // As in browsers, sending opens a closed port.
    void this.open()
    records.push({ output: this.id, data: [...data], timestamp })
  }
}

class FakeInput extends FakePort {
  readonly type = 'input'
  onmidimessage: ((event: Event) => void) | null = null

  receive(data: number[], timestamp: number) {
    // MIDIMessageEvent's timeStamp is the moment of its creation; a keyboard's message carries the
    // driver's, so a plain Event carries the data and the test's timestamp.
    const event = new Event('midimessage')
    Object.defineProperties(event, { data: { value: new Uint8Array(data) }, timeStamp: { value: timestamp } })
    this.dispatchEvent(event)
    this.onmidimessage?.(event)
  }
}

class FakeAccess extends EventTarget {
  onstatechange: ((event: Event) => void) | null = null

  constructor(readonly sysexEnabled: boolean) {
    super()
  }

  get inputs(): ReadonlyMap<string, FakeInput> {
    return new Map(inputs)
  }

  get outputs(): ReadonlyMap<string, FakeOutput> {
    return new Map(outputs)
  }
}

function plugIn<Port extends FakePort>(ports: Map<string, Port>, port: Port) {
  ports.set(port.id, port)
  port.state = 'connected'
  if (port.connection === 'pending') port.connection = 'open'
  stateChanged(port)
}

function unplug(ports: Map<string, FakePort>, id: string) {
  const port = ports.get(id)
  if (port === undefined) return
  ports.delete(id)
  port.state = 'disconnected'
  // An open port waits for its device to come back.
  if (port.connection === 'open') port.connection = 'pending'
  stateChanged(port)
}

const recorder: MidiRecorder = {
  records: () => structuredClone(records),
  connect: (info) => plugIn(outputs, outputs.get(info.id) ?? new FakeOutput(info)),
  disconnect: (id) => unplug(outputs, id),
  connectInput: (info) => plugIn(inputs, inputs.get(info.id) ?? new FakeInput(info)),
  disconnectInput: (id) => unplug(inputs, id),
  play: (id, messages) => {
    const input = inputs.get(id)
    if (input === undefined) throw new Error(`no input ${id} is plugged in`)
    for (const [data, timestamp] of messages) input.receive([...data], timestamp)
  },
  now: () => performance.now(),
}

Object.defineProperty(window, 'cadenzaTestMidi', { value: recorder })
Object.defineProperty(Navigator.prototype, 'requestMIDIAccess', {
  value: async (options?: MIDIOptions) => {
    const access = new FakeAccess(options?.sysex === true)
    accesses.add(access)
    return access as unknown as MIDIAccess
  },
})
