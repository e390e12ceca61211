import { describe, expect, it } from 'vitest'
import { pieceOf } from '../testing/fakeServices'
import { boxBetween, indexer, noteAt, notesInBox } from './hitTest'
import type { Viewport } from './viewport'
import { indexNotes } from './visibleNotes'

// 10 px per quarter, 10 px per pitch, pitch 70's row at the top.
const VIEW: Viewport = {
  startQuarter: 0,
  pixelsPerQuarter: 10,
  topPitch: 70,
  pixelsPerPitch: 10,
  width: 200,
  height: 100,
}
const { notes } = pieceOf([0, 4, 68, 80], [2, 0, 68, 80], [8, 2, 65, 80], [30, 2, 65, 80])
const index = indexNotes(notes)
const indexOf = indexer(notes)

describe('piano-roll hit testing', () => {
  it('finds the note under the pointer, the topmost where notes overlap', () => {
    expect(noteAt(VIEW, index, indexOf, 5, 25)).toBe(0)
    expect(noteAt(VIEW, index, indexOf, 21, 25)).toBe(1)
    expect(noteAt(VIEW, index, indexOf, 85, 55)).toBe(2)
    expect(noteAt(VIEW, index, indexOf, 85, 45)).toBe(-1)
    expect(noteAt(VIEW, index, indexOf, 45, 25)).toBe(-1)
  })

  it('finds the notes a box meets, dragged in any direction', () => {
    expect(notesInBox(VIEW, index, indexOf, boxBetween(90, 60, 15, 22))).toEqual([0, 1, 2])
    expect(notesInBox(VIEW, index, indexOf, boxBetween(45, 0, 75, 100))).toEqual([])
    expect(notesInBox(VIEW, index, indexOf, boxBetween(0, 50, 200, 60))).toEqual([2])
  })
})
