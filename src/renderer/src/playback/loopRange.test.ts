import { describe, expect, it } from 'vitest'
import { pieceOf } from '../testing/fakeServices'
import { loopRange } from './loopRange'

describe('loopRange', () => {
  const piece = pieceOf([1, 1, 60, 80], [6, 2, 62, 80], [9, 0.5, 64, 80])

  it("is the selected notes' span when notes are selected", () => {
    expect(loopRange(piece, [0, 1], 1, 1)).toEqual({ start: 1, end: 8 })
  })

  it('is the bar range without a selection, in either order, in 4/4 by default', () => {
    expect(loopRange(piece, [], 2, 3)).toEqual({ start: 4, end: 12 })
    expect(loopRange(piece, [], 3, 2)).toEqual({ start: 4, end: 12 })
  })

  it('falls back to the bars when the selected notes span no time', () => {
    expect(loopRange(pieceOf([2, 0, 60, 80]), [0], 1, 1)).toEqual({ start: 0, end: 4 })
  })

  it("follows the piece's time signatures", () => {
    const waltz = { ...piece, timeSignatures: [{ time: 0, numerator: 3, denominator: 4 }] }
    expect(loopRange(waltz, [], 2, 2)).toEqual({ start: 3, end: 6 })
  })
})
