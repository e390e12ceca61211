import { describe, expect, it } from 'vitest'
import { fakeInput, fakeInputBackend as fakeBackend } from '../testing/fakeMidiInputs'
import { MidiInputs, type InputMessage } from './midiInputs'

function listening(inputs: MidiInputs) {
  const heard: (InputMessage | { gone: string; at: number })[] = []
  inputs.listen({
    message: (message) => heard.push(message),
    unplugged: (gone, at) => heard.push({ gone, at }),
  })
  return heard
}

describe('MidiInputs', () => {
  it('passes on the channel messages of enabled inputs with their own timestamps, filtered by channel', () => {
    const keys = fakeInput('k', 'Keys')
    const pads = fakeInput('p', 'Pads')
    const inputs = new MidiInputs(fakeBackend([keys, pads]), () => 0)
    inputs.start()
    expect(inputs.inputs.map((input) => input.name)).toEqual(['Keys', 'Pads'])
    const heard = listening(inputs)
    keys.play([0x90, 60, 100], 10)
    expect(heard).toEqual([])
    inputs.configure('k', { enabled: true, channel: 2 })
    keys.play([0x90, 60, 100], 20)
    keys.play([0x91, 61, 100], 30.5)
    keys.play([0xf8], 31)
    pads.play([0x91, 62, 100], 40)
    inputs.configure('k', { channel: 0 })
    keys.play([0x92, 63, 100], 50)
    expect(heard).toEqual([
      { input: 'k', data: [0x91, 61, 100], timestamp: 30.5 },
      { input: 'k', data: [0x92, 63, 100], timestamp: 50 },
    ])
    expect(() => inputs.configure('k', { channel: 17 })).toThrow(RangeError)
  })

  it('follows hot-plugging: an unplugged input is reported and stops being heard, and comes back with its settings', () => {
    const keys = fakeInput('k', 'Keys')
    const backend = fakeBackend([keys])
    let now = 500
    const inputs = new MidiInputs(backend, () => now, { k: { enabled: true, channel: 0 } })
    inputs.start()
    const heard = listening(inputs)
    backend.unplug(keys)
    expect(inputs.inputs).toEqual([])
    expect(keys.listening()).toBe(0)
    expect(heard).toEqual([{ gone: 'k', at: 500 }])
    now = 900
    const again = fakeInput('k', 'Keys')
    backend.plug(again)
    again.play([0x90, 60, 1], 800)
    expect(heard.at(-1)).toEqual({ input: 'k', data: [0x90, 60, 1], timestamp: 800 })
    // Turning an input off mid-phrase ends its notes as unplugging does.
    inputs.configure('k', { enabled: false })
    expect(heard.at(-1)).toEqual({ gone: 'k', at: 900 })
    expect(inputs.savedSettings()).toEqual({ k: { enabled: false, channel: 0 } })
  })
})
