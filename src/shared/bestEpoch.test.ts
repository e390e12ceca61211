// Runs under vitest (Node).
import { describe, expect, it } from 'vitest'
import { bestEpoch } from './bestEpoch'
import type { EpochRecord } from './checkpointMeta'

describe('bestEpoch', () => {
  const record = (epoch: number, realismDistance: number | null) =>
    ({ epoch, realismDistance }) as EpochRecord

  it('is the epoch of the lowest distance, the first of equals, leaving out epochs not measured', () => {
    const history = [record(1, null), record(2, 0.9), record(3, 0.6), record(4, 0.6), record(5, 1.2)]
    expect(bestEpoch(history)?.epoch).toBe(3)
    expect(bestEpoch([record(1, null)])).toBeNull()
    expect(bestEpoch([])).toBeNull()
  })
})
