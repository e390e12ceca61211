import { describe, expect, it } from 'vitest'
import {
  loadInputSettings,
  loadMidiSettings,
  loadThruSettings,
  saveInputSettings,
  saveMidiSettings,
  saveThruSettings,
} from './savedMidiSettings'

function memoryStorage(): Storage {
  const items = new Map<string, string>()
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
  } as Storage
}

describe('saved MIDI settings', () => {
  it('come back as they were saved', () => {
    const storage = memoryStorage()
    expect(loadMidiSettings(storage)).toEqual({})
    const settings = { synth: { enabled: true, channel: 3, latencyMs: -5, clock: true } }
    saveMidiSettings(settings, storage)
    expect(loadMidiSettings(storage)).toEqual(settings)
  })

  it('are empty when what is stored cannot be read or used', () => {
    const storage = memoryStorage()
    storage.setItem('cadenza.midiOutputs', '{not json')
    expect(loadMidiSettings(storage)).toEqual({})
    storage.setItem('cadenza.midiOutputs', 'null')
    expect(loadMidiSettings(storage)).toEqual({})
    storage.setItem('cadenza.midiOutputs', JSON.stringify({ synth: { enabled: true, channel: 17 } }))
    expect(loadMidiSettings(storage)).toEqual({})
  })
})

describe('saved MIDI input and thru settings', () => {
  it('come back as saved, and fall back when damaged', () => {
    const storage = memoryStorage()
    expect(loadInputSettings(storage)).toEqual({})
    expect(loadThruSettings(storage)).toEqual({ piano: true, outputs: true })
    saveInputSettings({ keys: { enabled: true, channel: 0 } }, storage)
    saveThruSettings({ piano: false, outputs: true }, storage)
    expect(loadInputSettings(storage)).toEqual({ keys: { enabled: true, channel: 0 } })
    expect(loadThruSettings(storage)).toEqual({ piano: false, outputs: true })
    storage.setItem('cadenza.midiInputs', JSON.stringify({ keys: { enabled: true, channel: -1 } }))
    expect(loadInputSettings(storage)).toEqual({})
  })
})
