import { readFileSync } from 'node:fs'
import { parseMidi } from 'midi-file'
import { describe, expect, it } from 'vitest'
import { corpusFile } from '../../../test/corpus'
import { midiToPiece } from './midiToPiece'
import type { Piece } from './piece'
import { EXPORT_PPQ, pieceToMidi } from './pieceToMidi'

const atExportResolution = (quarters: number): number => Math.round(quarters * EXPORT_PPQ) / EXPORT_PPQ

describe('pieceToMidi', () => {
  it('round-trips notes, tempo, time signature and recipe', () => {
    const piece: Piece = {
      notes: [
        { onset: 0, length: 1, pitch: 48, velocity: 1 },
        { onset: 0, length: 0.5, pitch: 60, velocity: 64 },
        { onset: 0.25, length: 2.75, pitch: 67, velocity: 127 },
        { onset: 3, length: 1 / 3, pitch: 72, velocity: 99 },
      ],
      tempos: [{ time: 0, bpm: 96 }],
      timeSignatures: [{ time: 0, numerator: 6, denominator: 8 }],
      recipe: '{"seed":7,"temperature":0.8}',
    }
    const back = midiToPiece(pieceToMidi(piece))
    expect(back.notes).toEqual(
      piece.notes.map((note) => ({ ...note, length: atExportResolution(note.length) })),
    )
    expect(back.tempos).toHaveLength(1)
    expect(back.tempos[0].bpm).toBeCloseTo(96, 3)
    expect(back.timeSignatures).toEqual(piece.timeSignatures)
    expect(back.recipe).toBe(piece.recipe)
  })

  it('writes one piano track with a program change to piano', () => {
    const bytes = pieceToMidi({
      notes: [{ onset: 0, length: 1, pitch: 60, velocity: 80 }],
      tempos: [],
      timeSignatures: [],
    })
    const data = parseMidi(bytes)
    expect(data.header.ticksPerBeat).toBe(EXPORT_PPQ)
    const noteTracks = data.tracks.filter((events) => events.some((event) => event.type === 'noteOn'))
    expect(noteTracks).toHaveLength(1)
    expect(noteTracks[0]).toContainEqual(expect.objectContaining({ type: 'programChange', programNumber: 0 }))
  })

  it('ends an earlier note of the same pitch where the next starts, and gives zero-length notes a tick', () => {
    const back = midiToPiece(
      pieceToMidi({
        notes: [
          { onset: 0, length: 2, pitch: 60, velocity: 50 },
          { onset: 1, length: 1, pitch: 60, velocity: 60 },
          { onset: 3, length: 0, pitch: 62, velocity: 70 },
        ],
        tempos: [],
        timeSignatures: [],
      }),
    )
    expect(back.notes).toEqual([
      { onset: 0, length: 1, pitch: 60, velocity: 50 },
      { onset: 1, length: 1, pitch: 60, velocity: 60 },
      { onset: 3, length: 1 / EXPORT_PPQ, pitch: 62, velocity: 70 },
    ])
  })

  it('round-trips a real piece at the export resolution', () => {
    const original = midiToPiece(readFileSync(corpusFile('sonata-ish/mozk545a.mid')))
    const back = midiToPiece(pieceToMidi(original))
    expect(back.notes).toHaveLength(original.notes.length)
    back.notes.forEach((note, i) => {
      const source = original.notes[i]
      expect(note.pitch).toBe(source.pitch)
      expect(note.velocity).toBe(source.velocity)
      expect(note.onset).toBe(atExportResolution(source.onset))
      // Lengths are kept unless a later note of the same key cut them short (see above).
      expect(note.length).toBeLessThanOrEqual(Math.max(atExportResolution(source.length), 1 / EXPORT_PPQ))
    })
    const kept = back.notes.filter((note, i) => note.length === atExportResolution(original.notes[i].length))
    expect(kept.length / back.notes.length).toBeGreaterThan(0.95)
  })
})
