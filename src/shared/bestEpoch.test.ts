// Runs under vitest (Node).
import { describe, expect, it } from 'vitest'
import { bestEpoch, combinedDistance } from './bestEpoch'
import type { EpochRecord } from './checkpointMeta'

const record = (epoch: number, realismDistance: number | null, rhythmOverlap: number | null = null) =>
  ({ epoch, realismDistance, rhythmOverlap }) as EpochRecord

describe('combinedDistance', () => {
  it('adds what the rhythm overlap lacks of 1 to the realism distance, where both were measured', () => {
    expect(combinedDistance(record(1, 0.25, 0.75))).toBe(0.5)
    expect(combinedDistance(record(1, 0.25))).toBe(0.25)
    expect(combinedDistance(record(1, null, 0.75))).toBeNull()
  })
})

describe('bestEpoch', () => {
  it('is the epoch of the lowest distance, the first of equals, leaving out epochs not measured', () => {
    const history = [record(1, null), record(2, 0.9), record(3, 0.6), record(4, 0.6), record(5, 1.2)]
    expect(bestEpoch(history)?.epoch).toBe(3)
    expect(bestEpoch([record(1, null)])).toBeNull()
    expect(bestEpoch([])).toBeNull()
  })

  it('chooses by the combined distance, not by the realism distance alone', () => {
    // Epoch 2 is closest in pitch content, epoch 3 once rhythm counts: 0.2 + 0.4 against 0.3 + 0.1.
    const history = [record(1, 0.5, 0.7), record(2, 0.2, 0.6), record(3, 0.3, 0.9)]
    expect(bestEpoch(history)?.epoch).toBe(3)
  })

  it("compares a resumed run's epochs that heard rhythm among themselves only", () => {
    // Epoch 1's realism distance alone is lower than any combined distance, but it is another figure.
    const history = [record(1, 0.2), record(2, 0.3, 0.8), record(3, 0.4, 0.8)]
    expect(bestEpoch(history)?.epoch).toBe(2)
  })
})
