import { describe, expect, it } from 'vitest'
import { MidiInputs } from '../midi/midiInputs'
import { LivePlayback } from '../playback/livePlayback'
import { fakeClock } from '../testing/fakeClock'
import { fakeInput, fakeInputBackend } from '../testing/fakeMidiInputs'
import { fakeApi, installServices } from '../testing/fakeServices'
import { useRecorderStore } from './recorder'
import { useTakesStore } from './takes'

const SILENT = { noteOn: () => {}, noteOff: () => {}, allNotesOff: () => {} }

function setup() {
  const keys = fakeInput('keys')
  const backend = fakeInputBackend([keys])
  let now = 0
  const inputs = new MidiInputs(backend, () => now, { keys: { enabled: true, channel: 0 } })
  inputs.start()
  const clock = fakeClock()
  // MIDI timestamps are the audio clock in milliseconds here.
  const live = new LivePlayback({
    now: clock.now,
    every: clock.every,
    toMidiTime: (t) => t * 1000,
    ports: () => [],
    clicks: SILENT,
  })
  installServices({ api: fakeApi({}), inputs, live })
  return {
    keys,
    backend,
    recorder: useRecorderStore(),
    takes: useTakesStore(),
    at: (ms: number) => (now = ms),
  }
}

describe('the recorder store', () => {
  it('records only while armed and makes a take of what was played, at its tempo', () => {
    const { keys, recorder, takes, at } = setup()
    keys.play([0x90, 50, 100], 0)
    recorder.setBpm(60)
    recorder.arm()
    keys.play([0x90, 60, 100], 1000)
    keys.play([0x80, 60, 0], 1500)
    keys.play([0x90, 64, 80], 2000)
    expect(recorder.notesPlayed).toBe(2)
    at(2250)
    recorder.stop()
    expect(takes.current?.name).toBe('Take 1 (played in)')
    expect(takes.current?.origin).toEqual({ kind: 'recorded' })
    expect(takes.current?.piece.notes).toEqual([
      { onset: 0, length: 0.5, pitch: 60, velocity: 100 },
      { onset: 1, length: 0.25, pitch: 64, velocity: 80 },
    ])
    expect(takes.current?.piece.tempos).toEqual([{ time: 0, bpm: 60 }])
  })

  it('starts the take on the downbeat after a count-in, and says so when nothing was played', () => {
    const { keys, recorder, takes, at } = setup()
    recorder.countIn = true
    recorder.arm()
    // Four beats at 120 bpm after the count-in's 100 ms start: the downbeat is at 2100 ms.
    keys.play([0x90, 60, 100], 2350)
    at(2600)
    recorder.stop()
    expect(takes.current?.piece.notes).toEqual([{ onset: 0.5, length: 0.5, pitch: 60, velocity: 100 }])
    recorder.arm()
    recorder.stop()
    expect(recorder.message).toBe('Nothing was played.')
    expect(takes.takes).toHaveLength(1)
  })

  it('keeps what was played when the keyboard is unplugged, its held notes ending there', () => {
    const { keys, backend, recorder, takes, at } = setup()
    recorder.arm()
    keys.play([0x90, 60, 100], 0)
    at(500)
    backend.unplug(keys)
    at(3000)
    recorder.stop()
    expect(takes.current?.piece.notes).toEqual([{ onset: 0, length: 1, pitch: 60, velocity: 100 }])
  })
})
