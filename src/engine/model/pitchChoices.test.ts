import { describe, expect, it } from 'vitest'
import { CHOICES_PER_TONE, pitchChoices } from './pitchChoices'
import { FEATURES } from '../../shared/checkpointMeta'
import { GROUP_OFFSETS, LOWEST_KEY, NO_TONE, TONE_WIDTH } from './toneClasses'

const PITCH = GROUP_OFFSETS[FEATURES.indexOf('pitch')]

/** One step of one tone whose pitch logits favour key 60, then 64, then "no tone". */
function logits(): Float32Array {
  const values = new Float32Array(TONE_WIDTH)
  values[PITCH + 60 - LOWEST_KEY] = 3
  values[PITCH + 64 - LOWEST_KEY] = 2
  values[PITCH + NO_TONE] = 2.5
  return values
}

describe('pitchChoices', () => {
  it('lists the likeliest keys with their probabilities at the temperature, leaving out "no tone"', () => {
    const [[choices]] = pitchChoices(logits(), 1, 1)
    expect(choices).toHaveLength(CHOICES_PER_TONE)
    expect(choices.map(({ pitch }) => pitch).slice(0, 2)).toEqual([60, 64])
    const total = Math.exp(3) + Math.exp(2) + Math.exp(2.5) + 86 * Math.exp(0)
    expect(choices[0].probability).toBeCloseTo(Math.exp(3) / total, 6)
    // Cooler is surer of the likeliest key.
    expect(pitchChoices(logits(), 1, 0.5)[0][0][0].probability).toBeGreaterThan(choices[0].probability)
  })

  it('gives the likeliest key all the probability at temperature 0', () => {
    const [[choices]] = pitchChoices(logits(), 1, 0)
    expect(choices[0]).toEqual({ pitch: 60, probability: 1 })
    expect(choices[1].probability).toBe(0)
  })
})
