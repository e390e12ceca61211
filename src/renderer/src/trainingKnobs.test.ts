import { describe, expect, it } from 'vitest'
import { PRESETS } from '../../shared/modelSettings'
import { KNOBS } from './trainingKnobs'

describe('the training knobs', () => {
  it('cover every setting of the presets exactly once, and the minibatch discrimination they leave out', () => {
    const keys = KNOBS.map((knob) => `${knob.group}.${knob.key}`).sort()
    const settings = (['model', 'training'] as const).flatMap((group) =>
      Object.keys(PRESETS.quick[group]).map((key) => `${group}.${key}`),
    )
    expect(keys).toEqual([...settings, 'model.minibatchDiscrimination'].sort())
  })

  it("take their limits from the settings' schemas", () => {
    expect(KNOBS.find((knob) => knob.key === 'hiddenUnits')).toMatchObject({ min: 1, max: 2048, step: 1 })
    expect(KNOBS.find((knob) => knob.key === 'holdout')).toMatchObject({ min: 0, max: 0.5, step: 'any' })
    expect(KNOBS.find((knob) => knob.key === 'optimizer')).toMatchObject({ options: ['adam', 'sgd'] })
  })
})
