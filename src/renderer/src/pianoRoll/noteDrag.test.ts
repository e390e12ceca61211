import { describe, expect, it } from 'vitest'
import { dragMove } from './noteDrag'
import type { Viewport } from './viewport'

const VIEW: Viewport = {
  startQuarter: 0,
  pixelsPerQuarter: 40,
  topPitch: 80,
  pixelsPerPitch: 10,
  width: 800,
  height: 400,
}

describe('dragMove', () => {
  it('lands the grabbed note on the nearest sixteenth and follows the rows', () => {
    // 45 px is 1.125 quarters: 1.3 + 1.125 = 2.425, nearest sixteenth 2.5.
    const move = dragMove(VIEW, 1.3, { x: 52, y: 105 }, { x: 97, y: 75 })
    expect(move.quarters).toBeCloseTo(1.2)
    expect(move.semitones).toBe(3)
  })

  it('moves nothing for a small wobble on a note already on the grid', () => {
    expect(dragMove(VIEW, 2, { x: 80, y: 5 }, { x: 83, y: 8 })).toEqual({ quarters: 0, semitones: 0 })
  })
})
