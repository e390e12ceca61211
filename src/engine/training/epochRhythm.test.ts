// Runs under vitest (Node). The rhythm half of the epoch's measure, on real pieces and on packed windows made
// up to be counted.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { SONATA_DIR } from '../../../test/corpus'
import { midiToPiece } from '../../shared/music/midiToPiece'
import {
  barWindowStatistics,
  packWindows,
  WINDOW_STATISTIC_NAMES,
  type WindowStatistics,
} from '../../shared/music/rhythm'
import { useCpuForTwoSampleTests } from '../twoSampleTest'
import { classifierAccuracy, MAX_REFERENCE_WINDOWS, rhythmOverlap, rhythmReference } from './epochRhythm'

beforeAll(useCpuForTwoSampleTests)

const windows = readdirSync(SONATA_DIR)
  .filter((name) => name.endsWith('.mid'))
  .sort()
  .slice(0, 16)
  .map((name) => barWindowStatistics(midiToPiece(readFileSync(join(SONATA_DIR, name)))))
const reference = rhythmReference(windows.slice(4).map(packWindows))!

/** `count` windows whose every statistic is `value`, packed. */
const packed = (count: number, value: number) =>
  new Float32Array(count * WINDOW_STATISTIC_NAMES.length).fill(value)

describe('rhythmReference', () => {
  it('leaves out pieces without a window, and is null when none has one', () => {
    expect(rhythmReference([packed(0, 0), packed(0, 0)])).toBeNull()
    const { pieces, values } = rhythmReference([packed(2, 1), packed(0, 0), packed(3, 2)])!
    expect(pieces).toHaveLength(2)
    expect(values.velocity_spread.sort()).toEqual([1, 1, 2, 2, 2])
  })

  it('keeps every piece for the classifier, and a seeded choice of at most MAX_REFERENCE_WINDOWS for the overlaps', () => {
    const many = Array.from({ length: 10 }, (_, i) => packed(1000, i))
    const { pieces, values } = rhythmReference(many)!
    expect(pieces).toHaveLength(10)
    expect(values.on_grid).toHaveLength(MAX_REFERENCE_WINDOWS)
    // An even choice: every piece's value about as often as the others.
    for (let i = 0; i < 10; i++) {
      const share = values.on_grid.filter((value) => value === i).length / MAX_REFERENCE_WINDOWS
      expect(share).toBeGreaterThan(0.07)
      expect(share).toBeLessThan(0.13)
    }
    expect(rhythmReference(many)!.values.on_grid).toEqual(values.on_grid)
  })

  it('reads each statistic from its column of the packed windows', () => {
    const window = Object.fromEntries(
      WINDOW_STATISTIC_NAMES.map((name, i) => [name, i / 4]),
    ) as WindowStatistics
    const { values } = rhythmReference([packWindows([window])])!
    expect(values.groove).toEqual([window.groove])
    expect(values.bar_repeats).toEqual([window.bar_repeats])
  })
})

describe('rhythmOverlap', () => {
  it('is high for other pieces of the same music, and 0 for output without a window', () => {
    // Not near 1: four pieces differ from twelve others in tempo, texture and dynamics (0.74).
    expect(rhythmOverlap(windows.slice(0, 4).flat(), reference)).toBeGreaterThan(0.65)
    expect(rhythmOverlap([], reference)).toBe(0)
  })

  it('falls when every window plays at one loudness', () => {
    const flat = windows
      .slice(0, 4)
      .flat()
      .map((window) => ({ ...window, velocity_spread: 0.5 }))
    expect(rhythmOverlap(flat, reference)).toBeLessThan(
      rhythmOverlap(windows.slice(0, 4).flat(), reference) - 0.05,
    )
  })
})

describe('classifierAccuracy', () => {
  it('tells made-up windows from real ones, not real ones from real ones, and needs two pieces', async () => {
    const real = windows.slice(0, 4)
    const madeUp = real.map((piece) => piece.map((window) => ({ ...window, on_grid: 0.3, groove: 0.5 })))
    expect(await classifierAccuracy(madeUp, reference)).toBeGreaterThan(0.9)
    expect(await classifierAccuracy(real, reference)).toBeLessThan(0.75)
    expect(await classifierAccuracy(real.slice(0, 1), reference)).toBeNull()
  })
})
