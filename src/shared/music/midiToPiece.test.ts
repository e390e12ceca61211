import { readFileSync } from 'node:fs'
import { parseMidi, writeMidi, type MidiData, type MidiEvent } from 'midi-file'
import { describe, expect, it } from 'vitest'
import { corpusFile } from '../../../test/corpus'
import { riffChunk, riffFile, riffMidi } from '../../../test/riffMidi'
import { MidiReadError } from './midiStructure'
import { midiToPiece } from './midiToPiece'

type TimedEvent = MidiEvent & { at: number }

/** Builds a track from absolute-tick events with midi-file's writer (a real encoder, not hand-made bytes). */
function track(events: TimedEvent[]): MidiEvent[] {
  let last = 0
  const sorted = [...events].sort((a, b) => a.at - b.at)
  const result = sorted.map(({ at, ...event }) => {
    const withDelta = { ...event, deltaTime: at - last } as MidiEvent
    last = at
    return withDelta
  })
  result.push({ deltaTime: 0, meta: true, type: 'endOfTrack' })
  return result
}

function on(at: number, noteNumber: number, velocity = 100, channel = 0): TimedEvent {
  return { at, deltaTime: 0, type: 'noteOn', channel, noteNumber, velocity }
}

function off(at: number, noteNumber: number, channel = 0): TimedEvent {
  return { at, deltaTime: 0, type: 'noteOff', channel, noteNumber, velocity: 0 }
}

function midiFile(format: 0 | 1 | 2, ticksPerBeat: number, tracks: TimedEvent[][]): Uint8Array {
  const data: MidiData = {
    header: { format, numTracks: tracks.length, ticksPerBeat },
    tracks: tracks.map(track),
  }
  return new Uint8Array(writeMidi(data))
}

function readError(bytes: Uint8Array): string {
  try {
    midiToPiece(bytes)
  } catch (error) {
    expect(error).toBeInstanceOf(MidiReadError)
    return (error as Error).message
  }
  throw new Error('expected the file to be rejected')
}

describe('midiToPiece', () => {
  it('reads format 0 with times in quarter notes and skips channel 10', () => {
    const bytes = midiFile(0, 96, [
      [
        { at: 0, deltaTime: 0, meta: true, type: 'setTempo', microsecondsPerBeat: 500_000 },
        {
          at: 0,
          deltaTime: 0,
          meta: true,
          type: 'timeSignature',
          numerator: 3,
          denominator: 4,
          metronome: 24,
          thirtyseconds: 8,
        },
        on(0, 64, 90),
        on(0, 60, 80),
        on(0, 36, 127, 9),
        off(48, 36, 9),
        off(96, 60),
        off(96, 64),
        on(144, 67, 70, 3),
        off(192, 67, 3),
      ],
    ])
    const piece = midiToPiece(bytes)
    expect(piece.notes).toEqual([
      { onset: 0, length: 1, pitch: 60, velocity: 80 },
      { onset: 0, length: 1, pitch: 64, velocity: 90 },
      { onset: 1.5, length: 0.5, pitch: 67, velocity: 70 },
    ])
    expect(piece.tempos).toEqual([{ time: 0, bpm: 120 }])
    expect(piece.timeSignatures).toEqual([{ time: 0, numerator: 3, denominator: 4 }])
  })

  it('merges every track of format 1 and format 2 files', () => {
    const tracks = [
      [on(0, 72), off(480, 72)],
      [on(240, 48, 50, 1), off(960, 48, 1)],
    ]
    for (const format of [1, 2] as const) {
      const piece = midiToPiece(midiFile(format, 480, tracks))
      expect(piece.notes.map((note) => [note.onset, note.pitch, note.length])).toEqual([
        [0, 72, 1],
        [0.5, 48, 1.5],
      ])
    }
  })

  it('keeps zero-length notes and overlapping notes of the same pitch', () => {
    const piece = midiToPiece(
      midiFile(1, 100, [
        [
          on(0, 60),
          off(0, 60), // zero length
          on(100, 62, 40),
          on(150, 62, 90), // the same key struck again before its first release
          off(200, 62),
          off(300, 62),
        ],
      ]),
    )
    expect(piece.notes).toEqual([
      { onset: 0, length: 0, pitch: 60, velocity: 100 },
      { onset: 1, length: 1, pitch: 62, velocity: 40 },
      { onset: 1.5, length: 1.5, pitch: 62, velocity: 90 },
    ])
  })

  it('gives a file without notes an empty piece', () => {
    const piece = midiToPiece(
      midiFile(1, 480, [[{ at: 0, deltaTime: 0, meta: true, type: 'trackName', text: 'silence' }]]),
    )
    expect(piece.notes).toEqual([])
  })

  it('reads every note-on of a real file', () => {
    const bytes = readFileSync(corpusFile('piano-midi-de/Bach/bach_846.mid'))
    const expected = parseMidi(bytes).tracks.flatMap((events) =>
      events.filter((event) => event.type === 'noteOn' && event.velocity > 0 && event.channel !== 9),
    ).length
    const piece = midiToPiece(bytes)
    expect(expected).toBeGreaterThan(500)
    expect(piece.notes).toHaveLength(expected)
    for (let i = 1; i < piece.notes.length; i++) {
      const [a, b] = [piece.notes[i - 1], piece.notes[i]]
      expect(a.onset < b.onset || (a.onset === b.onset && a.pitch <= b.pitch)).toBe(true)
    }
  })

  it('explains files it cannot read, in one line', () => {
    const good = midiFile(1, 480, [
      [on(0, 60), off(480, 60)],
      [on(0, 64), off(480, 64)],
    ])
    expect(readError(new Uint8Array())).toBe('the file is empty')
    expect(readError(new TextEncoder().encode('<html>not music</html>'))).toMatch(/^not a MIDI file/)
    expect(readError(good.subarray(0, 10))).toBe('truncated: the MIDI header is incomplete')
    expect(readError(good.subarray(0, good.length - 3))).toMatch(
      /^truncated: track 2 of 2 declares \d+ bytes/,
    )
    expect(readError(good.subarray(0, 22 + 4))).toMatch(/^truncated: track 1 of 2/)
    const oneTrackDeclaringTwo = midiFile(1, 480, [[on(0, 60), off(480, 60)]])
    oneTrackDeclaringTwo[11] = 2 // the header's track count
    expect(readError(oneTrackDeclaringTwo)).toBe(
      'truncated: the header declares 2 tracks but the file ends after 1',
    )
  })

  it('reads the Standard MIDI File inside a RIFF MIDI file (RMID) as the file itself', () => {
    const plain = readFileSync(corpusFile('piano-midi-de/Bach/bach_846.mid'))
    // An odd-sized chunk first: the data chunk starts after its pad byte.
    const riff = riffMidi(plain, [riffChunk('DISP', new Uint8Array([1, 0, 0, 0, 65]))])
    const piece = midiToPiece(riff)
    expect(piece.notes.length).toBeGreaterThan(500)
    expect(piece).toEqual(midiToPiece(plain))
  })

  it('explains RIFF files it cannot read, in one line', () => {
    const good = midiFile(0, 480, [[on(0, 60), off(480, 60)]])
    const wave = riffFile('WAVE', [
      riffChunk('fmt ', new Uint8Array(16)),
      riffChunk('data', new Uint8Array(8)),
    ])
    expect(readError(wave)).toBe('not a MIDI file (a RIFF file of type "WAVE", not "RMID")')
    expect(readError(riffFile('RMID', [riffChunk('LIST', new Uint8Array(4))]))).toBe(
      'a RIFF MIDI file (RMID) without a data chunk',
    )
    const cut = riffFile('RMID', [riffChunk('data', good)])
    // The RIFF header (12 bytes), the data chunk's header (8), and all but 3 of its bytes.
    expect(readError(cut.subarray(0, 20 + good.length - 3))).toBe(
      `truncated: the RIFF data chunk declares ${good.length} bytes but only ${good.length - 3} remain`,
    )
    expect(readError(cut.subarray(0, 10))).toBe('truncated: the RIFF header is incomplete')
    expect(readError(riffMidi(new TextEncoder().encode('<html>not music</html>')))).toMatch(
      /^not a MIDI file \(it does not start with an MThd header\)$/,
    )
  })
})
