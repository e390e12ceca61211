import { describe, expect, it } from 'vitest'
import { pieceOf } from '../testing/fakeServices'
import { deleteNotes, moveNotes, quantizeNotes, setVelocity } from './edits'

// Notes as [onset, length, pitch, velocity].
const PIECE = pieceOf([0, 1, 60, 80], [1, 1, 62, 80], [2, 1, 64, 80])

describe('note edits', () => {
  it('moves notes, re-sorts them and follows the selection', () => {
    const { piece, selection } = moveNotes(PIECE, [0], 1.5, 12)
    expect(piece.notes.map((note) => [note.onset, note.pitch])).toEqual([
      [1, 62],
      [1.5, 72],
      [2, 64],
    ])
    expect(selection).toEqual([1])
  })

  it('shortens a move for the whole group at the edges, keeping its shape', () => {
    const high = pieceOf([1, 1, 120, 80], [2, 1, 126, 80])
    const { piece } = moveNotes(high, [0, 1], -5, 12)
    expect(piece.notes.map((note) => [note.onset, note.pitch])).toEqual([
      [0, 121],
      [1, 127],
    ])
    expect(moveNotes(PIECE, [0], 0, -100).piece.notes[0].pitch).toBe(0)
  })

  it('leaves the piece alone without a selection', () => {
    expect(moveNotes(PIECE, [], 1, 1).piece).toBe(PIECE)
  })

  it('deletes the selected notes', () => {
    const { piece, selection } = deleteNotes(PIECE, [0, 2])
    expect(piece.notes.map((note) => note.pitch)).toEqual([62])
    expect(selection).toEqual([])
  })

  it('sets velocity within 1-127', () => {
    expect(setVelocity(PIECE, [1], 200).piece.notes.map((note) => note.velocity)).toEqual([80, 127, 80])
    expect(setVelocity(PIECE, [2, 0], 0).piece.notes.map((note) => note.velocity)).toEqual([1, 80, 1])
  })

  it('keeps tempos, time signatures and the recipe', () => {
    const piece = { ...PIECE, tempos: [{ time: 0, bpm: 90 }], recipe: '{}' }
    const moved = moveNotes(piece, [1], 1, 0).piece
    expect([moved.tempos, moved.recipe]).toEqual([piece.tempos, '{}'])
  })

  it('quantizes the selected onsets to the grid, keeping lengths and the others', () => {
    const piece = pieceOf([0.1, 0.3, 60, 90], [0.9, 0.2, 62, 90], [1.13, 1, 64, 90])
    const { piece: quantized, selection } = quantizeNotes(piece, [0, 1], 0.25)
    expect(quantized.notes.map(({ onset, length }) => [onset, length])).toEqual([
      [0, 0.3],
      [1, 0.2],
      [1.13, 1],
    ])
    expect(selection).toEqual([0, 1])
    expect(() => quantizeNotes(piece, [0], 0)).toThrow(RangeError)
  })
})
