import { describe, expect, it } from 'vitest'
import { describeTokensPerSecond, tokensPerSecond, tokensPerTrainingStep } from './trainingSpeed'

describe('training speed', () => {
  it('counts every tone of every step of the batch', () => {
    expect(tokensPerTrainingStep(128, 64, 1)).toBe(8192)
    expect(tokensPerTrainingStep(32, 16, 3)).toBe(1536)
  })

  it('gives tokens per second of training, and 0 before any time has passed', () => {
    expect(tokensPerSecond(3 * 8192, 2)).toBe(12288)
    expect(tokensPerSecond(8192, 0)).toBe(0)
  })

  it('shows a whole number with thousands separated', () => {
    expect(describeTokensPerSecond(3139.4)).toBe('3,139 tokens/s')
    expect(describeTokensPerSecond(12.6)).toBe('13 tokens/s')
  })
})
