import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { corpusFile } from '../../../test/corpus'
import { barIndexAt, barLength, barLineTime } from './bars'
import { midiToPiece } from './midiToPiece'

const signaturesOf = (file: string) => midiToPiece(readFileSync(corpusFile(file))).timeSignatures

describe('bars', () => {
  it('measures bars in quarter notes', () => {
    expect(barLength({ time: 0, numerator: 3, denominator: 4 })).toBe(3)
    expect(barLength({ time: 0, numerator: 6, denominator: 8 })).toBe(3)
    expect(barLength({ time: 0, numerator: 3, denominator: 8 })).toBe(1.5)
  })

  it('counts 4/4 bars when a piece has no time signature', () => {
    expect(barLineTime([], 0)).toBe(0)
    expect(barLineTime([], 3)).toBe(12)
    expect(barIndexAt([], 0)).toBe(0)
    expect(barIndexAt([], 11.5)).toBe(2)
    expect(barIndexAt([], 12)).toBe(3)
  })

  it('follows the time signature of a real file, repeated at time 0 as some files do', () => {
    const signatures = signaturesOf('sonata-ish/mozartromancestev.mid')
    expect(signatures.map(({ numerator, denominator }) => `${numerator}/${denominator}`)).toEqual([
      '6/8',
      '6/8',
      '6/8',
    ])
    expect(barLineTime(signatures, 4)).toBe(12)
    expect(barIndexAt(signatures, 8.9)).toBe(2)
  })

  it('starts a new bar at every change, such as the end of a pickup bar', () => {
    // 2/4 for the pickup, then 4/4 from quarter 2.
    const signatures = signaturesOf('sonata-ish/241Brondo.mid')
    expect(signatures.map(({ time, numerator }) => [time, numerator])).toEqual([
      [0, 2],
      [2, 4],
    ])
    expect([0, 1, 2, 3].map((bar) => barLineTime(signatures, bar))).toEqual([0, 2, 6, 10])
    expect([0, 1.9, 2, 5.9, 6].map((time) => barIndexAt(signatures, time))).toEqual([0, 0, 1, 1, 2])
  })

  it('cuts a bar short where a change falls inside it', () => {
    const signatures = [{ time: 6, numerator: 3, denominator: 4 }]
    // 4/4 from 0: bar 0 is [0, 4), bar 1 is [4, 6), then 3/4 bars from 6.
    expect([1, 2, 3].map((bar) => barLineTime(signatures, bar))).toEqual([4, 6, 9])
    expect([5.5, 6, 8.9, 9].map((time) => barIndexAt(signatures, time))).toEqual([1, 2, 2, 3])
  })

  it('ignores a signature of no length', () => {
    expect(barLineTime([{ time: 0, numerator: 0, denominator: 4 }], 2)).toBe(8)
  })
})
