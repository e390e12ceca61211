import { describe, expect, it } from 'vitest'
import { loadMidiSettings, saveMidiSettings } from './savedMidiSettings'

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
