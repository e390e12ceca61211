import { describe, expect, it } from 'vitest'
import { describeTemperature } from './checkpointMeta'

describe('describeTemperature', () => {
  it('names the temperature, then each value drawn at another and the repetition, where there are any', () => {
    expect(describeTemperature(0.8)).toBe('0.8')
    expect(describeTemperature(0.8, [1, 1, 1, 1], 0)).toBe('0.8')
    expect(describeTemperature(0.7, [1, 1, 1.25, 1], 0.3)).toBe('0.7, intensity ×1.25, repetition 0.3')
  })
})
