import { describe, expect, it } from 'vitest'
import { midiOutputPort, panic, type MidiSink } from './midiOutputPort'

function recordingSink(withClear: boolean): {
  sink: MidiSink
  sent: [number[], number][]
  cleared: () => number
} {
  const sent: [number[], number][] = []
  let clears = 0
  const sink: MidiSink = { send: (data, timestamp) => sent.push([data, timestamp]) }
  if (withClear) sink.clear = () => clears++
  return { sink, sent, cleared: () => clears }
}

// Audio time 0 is performance.now() 1000 ms here.
const toMidiTime = (audioTime: number) => 1000 + audioTime * 1000

describe('midiOutputPort', () => {
  it('sends note-on and note-off on its channel, with timestamps shifted by its latency', () => {
    const { sink, sent } = recordingSink(true)
    const port = midiOutputPort(sink, { channel: 3, latencyMs: 20, toMidiTime })
    port.noteOn(60, 100.4, 0.5)
    port.noteOff(60, 1)
    port.noteOn(61, 0, 1)
    expect(sent).toEqual([
      [[0x92, 60, 100], 1520],
      [[0x82, 60, 0], 2020],
      [[0x92, 61, 1], 2020],
    ])
  })

  it('on stop, clears what is queued and ends every started note now, then all notes off', () => {
    const { sink, sent, cleared } = recordingSink(true)
    const port = midiOutputPort(sink, { channel: 1, latencyMs: 0, toMidiTime })
    port.noteOn(60, 90, 0)
    port.noteOn(64, 90, 0.1)
    sent.length = 0
    port.allNotesOff(0.05)
    expect(cleared()).toBe(1)
    expect(sent).toEqual([
      [[0x80, 60, 0], 1050],
      [[0x80, 64, 0], 1050],
      [[0xb0, 123, 0], 1050],
    ])
  })

  it('without clear(), also ends a note whose note-on is still queued, after it sounds', () => {
    const { sink, sent } = recordingSink(false)
    const port = midiOutputPort(sink, { channel: 1, latencyMs: 0, toMidiTime })
    port.noteOn(64, 90, 0.1)
    sent.length = 0
    port.allNotesOff(0.05)
    expect(sent).toEqual([
      [[0x80, 64, 0], 1050],
      [[0x80, 64, 0], 1100],
      [[0xb0, 123, 0], 1050],
    ])
  })
})

describe('panic', () => {
  it('sends all notes off on all 16 channels at once', () => {
    const { sink, sent } = recordingSink(true)
    panic(sink)
    expect(sent).toHaveLength(16)
    expect(sent.map(([data]) => data[0])).toEqual(Array.from({ length: 16 }, (_, channel) => 0xb0 + channel))
    expect(sent.every(([data, timestamp]) => data[1] === 123 && timestamp === 0)).toBe(true)
  })
})
