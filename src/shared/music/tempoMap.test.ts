import { describe, expect, it } from 'vitest'
import { tempoMap } from './tempoMap'

describe('tempoMap', () => {
  it('plays a piece without tempo changes at 120 bpm', () => {
    const map = tempoMap([])
    expect(map.toSeconds(4)).toBe(2)
    expect(map.toQuarters(2)).toBe(4)
  })

  it('follows tempo changes, both ways', () => {
    // 2 quarters at 120 bpm (1 s), then 60 bpm: a quarter a second.
    const map = tempoMap([
      { time: 0, bpm: 120 },
      { time: 2, bpm: 60 },
    ])
    expect(map.toSeconds(1)).toBe(0.5)
    expect(map.toSeconds(2)).toBe(1)
    expect(map.toSeconds(5)).toBe(4)
    for (const quarters of [0, 0.75, 2, 3.5, 9])
      expect(map.toQuarters(map.toSeconds(quarters))).toBeCloseTo(quarters)
  })

  it('starts at 120 bpm until a first change later than the start', () => {
    const map = tempoMap([{ time: 4, bpm: 240 }])
    expect(map.toSeconds(4)).toBe(2)
    expect(map.toSeconds(6)).toBe(2.5)
  })

  it('scales every tempo by the transport tempo factor', () => {
    expect(tempoMap([{ time: 0, bpm: 100 }], 2).toSeconds(10)).toBe(3)
  })
})
