import { describe, expect, it } from 'vitest'
import { recipeLine } from './recipeLine'
import type { StudioTake } from './stores/takes'
import { pieceOf } from './testing/fakeServices'

const take = (changes: Partial<StudioTake>): StudioTake => ({
  id: 'take-1',
  name: 'Take 1',
  piece: pieceOf(),
  checkpointId: 'default',
  request: { seed: 42, temperature: 1, length: 64, lengthUnit: 'steps', count: 1 },
  variation: 0,
  ...changes,
})

describe('recipeLine', () => {
  it('names the model and every knob', () => {
    expect(recipeLine(take({}), 'Default')).toBe('Default · seed 42 · temperature 1.00 · 64 steps')
  })

  it('names the variation and the primer when there are', () => {
    const line = recipeLine(
      take({
        request: { seed: 7, temperature: 0.5, length: 1, lengthUnit: 'bars', count: 4 },
        variation: 2,
        primerName: 'etude.mid',
      }),
      'Mine',
    )
    expect(line).toBe('Mine · seed 7 · temperature 0.50 · 1 bar · variation 3 of 4 · continues etude.mid')
  })
})
