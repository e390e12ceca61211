import { describe, expect, it } from 'vitest'
import type { Piece } from '../../../shared/music/piece'
import { Player } from '../playback/player'
import { clockPulses, CONTINUE, SONG_POSITION, START, STOP, TIMING_CLOCK } from './midiClock'
import { MidiDeviceManager, type MidiBackend, type MidiOutputDevice } from './midiDevices'
import { audioToMidiTime, RESYNC_MS } from './midiTime'
import { fakeClock } from '../testing/fakeClock'

/** Audio time 0 is performance.now() 1000 ms here. */
const toMidiTime = (audioTime: number) => 1000 + audioTime * 1000

type Sent = [data: number[], timestamp: number]

function fakeDevice(id: string, name = id): MidiOutputDevice & { sent: Sent[]; unplugged: boolean } {
  const device = {
    id,
    name,
    sent: [] as Sent[],
    unplugged: false,
    send(data: number[], timestamp: number) {
      if (device.unplugged) throw new Error('InvalidStateError: the port is disconnected')
      device.sent.push([data, Math.round(timestamp * 1000) / 1000])
    },
    clear() {},
  }
  return device
}

function fakeBackend(initial: MidiOutputDevice[] = []) {
  let outputs = [...initial]
  const listeners = new Set<() => void>()
  const backend: MidiBackend & { plug(d: MidiOutputDevice): void; unplug(d: MidiOutputDevice): void } = {
    enable: async () => {},
    outputs: () => outputs,
    inputs: () => [],
    onPortsChanged(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    plug(device) {
      outputs = [...outputs, device]
      listeners.forEach((listener) => listener())
    },
    unplug(device) {
      outputs = outputs.filter((output) => output !== device)
      listeners.forEach((listener) => listener())
    },
  }
  return backend
}

const PIECE: Piece = {
  notes: [
    { onset: 0, length: 1, pitch: 60, velocity: 100 },
    { onset: 1, length: 1, pitch: 64, velocity: 100 },
  ],
  tempos: [],
  timeSignatures: [],
}

describe('audioToMidiTime', () => {
  it('maps through the output timestamp when the context has one, else through currentTime', () => {
    const running = {
      currentTime: 10,
      getOutputTimestamp: () => ({ contextTime: 9.99, performanceTime: 5000 }),
    }
    expect(audioToMidiTime(running, () => 0)(10.5)).toBeCloseTo(5510)
    const suspended = { currentTime: 2, getOutputTimestamp: () => ({ contextTime: 0, performanceTime: 0 }) }
    expect(audioToMidiTime(suspended, () => 300)(2.25)).toBeCloseTo(550)
    expect(audioToMidiTime({ currentTime: 1 }, () => 100)(1)).toBe(100)
  })

  it("keeps one offset through the clocks' jitter, so notes keep their order, and follows a real jump", () => {
    let now = 1000
    const toMidi = audioToMidiTime({ currentTime: 0 }, () => now)
    expect(toMidi(0.5)).toBe(1500)
    now = 1000 + RESYNC_MS - 1
    expect(toMidi(0.5)).toBe(1500)
    now = 1000 + RESYNC_MS + 1
    expect(toMidi(0.5)).toBe(1500 + RESYNC_MS + 1)
  })
})

describe('MidiDeviceManager', () => {
  it('lists outputs after enable, and builds ports for the enabled ones with their channel and latency', async () => {
    const synth = fakeDevice('a', 'Synth')
    const drum = fakeDevice('b', 'Drum machine')
    const midi = new MidiDeviceManager(fakeBackend([synth, drum]), toMidiTime)
    expect(midi.state.status.kind).toBe('off')
    await midi.enable()
    expect(midi.state.status.kind).toBe('on')
    expect(midi.state.outputs.map((output) => output.name)).toEqual(['Drum machine', 'Synth'])
    expect(midi.ports()).toEqual([])
    midi.configure('a', { enabled: true, channel: 2, latencyMs: 10 })
    const [port] = midi.ports()
    port.noteOn(60, 100, 0.5)
    expect(synth.sent).toEqual([[[0x91, 60, 100], 1510]])
    expect(drum.sent).toEqual([])
    expect(() => midi.configure('a', { channel: 17 })).toThrow(RangeError)
  })

  it('reports MIDI as unavailable when access is refused', async () => {
    const midi = new MidiDeviceManager(
      { ...fakeBackend(), enable: () => Promise.reject(new Error('denied')) },
      toMidiTime,
    )
    await midi.enable()
    expect(midi.state.status).toEqual({ kind: 'unavailable', reason: 'denied' })
  })

  it('follows hot-plugging: a vanished device leaves the routing with nothing hanging elsewhere, and comes back with its settings', async () => {
    const synth = fakeDevice('a', 'Synth')
    const other = fakeDevice('b', 'Other')
    const backend = fakeBackend([synth, other])
    const midi = new MidiDeviceManager(backend, toMidiTime)
    const clock = fakeClock()
    const player = new Player({ now: clock.now, every: clock.every, lookahead: 0.1, startDelay: 0.05 })
    // The composition root's wiring.
    const route = () => player.setOutputs(midi.ports())
    midi.onChange(route)
    await midi.enable()
    midi.configure('a', { enabled: true })
    midi.configure('b', { enabled: true, channel: 3 })
    player.load(PIECE)
    player.play()
    clock.advance(0.3)
    expect(synth.sent).toEqual([[[0x90, 60, 100], 1050]])

    // Unplugged mid-note: sending to it throws from now on, and must not disturb the other output.
    synth.unplugged = true
    backend.unplug(synth)
    expect(midi.state.outputs.map((output) => output.id)).toEqual(['b'])
    expect(midi.ports()).toHaveLength(1)
    clock.advance(0.9)
    expect(other.sent.map(([data]) => data)).toEqual([
      [0x92, 60, 100],
      [0x82, 60, 0],
      [0x92, 64, 100],
    ])
    player.stop()
    // Stopping silences the remaining output: its started note ends, then all notes off.
    expect(other.sent.slice(-2).map(([data]) => data)).toEqual([
      [0x82, 64, 0],
      [0xb2, 123, 0],
    ])

    // Plugged back in: the same settings, and an all-notes-off in case it kept a note from before.
    synth.unplugged = false
    const returned = fakeDevice('a', 'Synth')
    backend.plug(returned)
    expect(midi.state.outputs.find((output) => output.id === 'a')?.settings).toMatchObject({
      enabled: true,
      channel: 1,
    })
    expect(returned.sent).toEqual([[[0xb0, 123, 0], 0]])
    expect(midi.ports()).toHaveLength(2)
    expect(midi.savedSettings().a).toMatchObject({ enabled: true })
  })

  it('panics on every channel of every connected output', async () => {
    const synth = fakeDevice('a')
    const midi = new MidiDeviceManager(fakeBackend([synth]), toMidiTime)
    await midi.enable()
    midi.panic()
    expect(synth.sent).toHaveLength(16)
    expect(synth.sent[15]).toEqual([[0xbf, 123, 0], 0])
  })

  it('silences an output whose channel changes while playing, on its old channel', async () => {
    const synth = fakeDevice('a')
    const midi = new MidiDeviceManager(fakeBackend([synth]), toMidiTime)
    const clock = fakeClock()
    const player = new Player({ now: clock.now, every: clock.every, lookahead: 0.1, startDelay: 0.05 })
    midi.onChange(() => player.setOutputs(midi.ports()))
    await midi.enable()
    midi.configure('a', { enabled: true })
    player.load(PIECE)
    player.play()
    clock.advance(0.1)
    midi.configure('a', { channel: 5 })
    expect(synth.sent.slice(-2).map(([data]) => data)).toEqual([
      [0x80, 60, 0],
      [0xb0, 123, 0],
    ])
    clock.advance(0.6)
    expect(synth.sent.at(-1)?.[0]).toEqual([0x94, 64, 100])
  })
})

describe('MIDI clock', () => {
  it('puts 24 pulses per quarter through the tempo map', () => {
    const pulses = clockPulses({ ...PIECE, tempos: [{ time: 0, bpm: 60 }] }, 2)
    expect(pulses).toHaveLength(48)
    expect(pulses[1].start).toBeCloseTo(0.5 / 24)
    expect(pulses[24].start).toBeCloseTo(0.5)
  })

  it('sends start, timestamped pulses ahead of time, and stop, to the outputs that have clock on', async () => {
    const synth = fakeDevice('a')
    const sequencer = fakeDevice('b')
    const midi = new MidiDeviceManager(fakeBackend([synth, sequencer]), toMidiTime)
    await midi.enable()
    midi.configure('b', { clock: true, latencyMs: 5 })
    const clock = fakeClock()
    const player = new Player({ now: clock.now, every: clock.every, lookahead: 0.1, startDelay: 0.05 })
    player.addTrack(midi.clockTrack)
    player.load(PIECE)
    player.play()
    // Start at the first note's time, then pulses every 1/48 s (a quarter is 0.5 s), up to the look-ahead.
    expect(sequencer.sent[0]).toEqual([[START], 1055])
    const pulses = sequencer.sent.filter(([data]) => data[0] === TIMING_CLOCK).map(([, at]) => at)
    expect(pulses[0]).toBe(1055)
    expect(pulses[1]).toBeCloseTo(1055 + 500 / 24)
    expect(Math.max(...pulses)).toBeLessThan(1000 + (0 + 0.1) * 1000 + 5)
    clock.advance(0.5)
    player.pause()
    expect(sequencer.sent.at(-1)).toEqual([[STOP], 1505])
    expect(synth.sent).toEqual([])
    // Resuming from the middle: Song Position (in sixteenths) and Continue.
    sequencer.sent.length = 0
    player.play()
    const position = Math.round(player.positionQuarters() * 4)
    expect(sequencer.sent.slice(0, 2)).toEqual([
      [[SONG_POSITION, position & 0x7f, position >> 7], 1555],
      [[CONTINUE], 1555],
    ])
  })
})
