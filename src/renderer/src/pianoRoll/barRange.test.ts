import { describe, expect, it } from 'vitest'
import { barsBetween, barsOfNotes } from './barRange'

const note = (onset: number) => ({ onset, length: 1, pitch: 60, velocity: 80 })
const WALTZ = [{ time: 0, numerator: 3, denominator: 4 }]

describe('bar ranges', () => {
  it('widen a span to the bar lines around it, in either direction', () => {
    expect(barsBetween([], 5, 9.5)).toEqual({ start: 4, end: 12 })
    expect(barsBetween([], 9.5, 5)).toEqual({ start: 4, end: 12 })
    expect(barsBetween(WALTZ, 1, 1)).toEqual({ start: 0, end: 3 })
  })

  it('span the bars in which the notes start', () => {
    expect(barsOfNotes(WALTZ, [note(7), note(3.5)])).toEqual({ start: 3, end: 9 })
    expect(barsOfNotes([], [])).toBeNull()
  })
})
