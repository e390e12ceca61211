import { describe, expect, it } from 'vitest'
import { settingsFrom } from './trainCommand'

const base = { data: 'midi', out: 'runs/mine', preset: 'quick' as const }

describe('settingsFrom', () => {
  it("takes the adversarial phase's flags, and leaves them out of the settings when not given", () => {
    const plain = settingsFrom(base)
    expect(plain.training).not.toHaveProperty('anchor')
    expect(plain.training).not.toHaveProperty('adversarialGeneratorLearningRate')
    expect(plain.model).not.toHaveProperty('minibatchDiscrimination')
    const given = settingsFrom({ ...base, anchor: '0', advGLr: '0.0002', minibatchDiscrimination: true })
    expect(given.training).toMatchObject({ anchor: 0, adversarialGeneratorLearningRate: 0.0002 })
    expect(given.model.minibatchDiscrimination).toBe(true)
  })

  it('refuses a negative anchor in one line that names the flag', () => {
    expect(() => settingsFrom({ ...base, anchor: '-1' })).toThrow(/^--anchor: /)
  })
})
