// Node (engine). What a sampling generator drew each pitch from, for the piano roll's raw-output lane: per
// step and tone, the likeliest keys with their probabilities at the generation's temperature.
import { FEATURES } from '../../shared/checkpointMeta'
import type { PitchChoice } from '../../shared/music/piece'
import { CLASS_COUNTS, GROUP_OFFSETS, LOWEST_KEY, NO_TONE, TONE_WIDTH } from './toneClasses'

/** Per step, per tone: the likeliest keys, most likely first. */
export type PitchChoices = PitchChoice[][][]

/** Enough to show what else a tone might have been; the rest of the distribution is usually a long tail. */
export const CHOICES_PER_TONE = 5

const PITCH = FEATURES.indexOf('pitch')

/** The `CHOICES_PER_TONE` likeliest keys of each tone in `logits` [steps x (m * TONE_WIDTH)] at `temperature`. */
export function pitchChoices(
  logits: ArrayLike<number>,
  tonesPerStep: number,
  temperature: number,
): PitchChoices {
  const width = tonesPerStep * TONE_WIDTH
  const count = CLASS_COUNTS[PITCH]
  const choices: PitchChoices = []
  for (let at = 0; at + width <= logits.length; at += width) {
    choices.push(
      Array.from({ length: tonesPerStep }, (_, j) => {
        const start = at + j * TONE_WIDTH + GROUP_OFFSETS[PITCH]
        const values = Array.from({ length: count }, (_, c) => logits[start + c])
        const largest = Math.max(...values)
        // Temperature 0 draws the likeliest class: all the probability is there.
        const weights = values.map((value) =>
          temperature > 0 ? Math.exp((value - largest) / temperature) : value === largest ? 1 : 0,
        )
        const total = weights.reduce((a, b) => a + b, 0)
        return weights
          .map((weight, c) => ({ pitch: LOWEST_KEY + c, probability: weight / total, c }))
          .filter(({ c }) => c !== NO_TONE)
          .sort((a, b) => b.probability - a.probability)
          .slice(0, CHOICES_PER_TONE)
          .map(({ pitch, probability }) => ({ pitch, probability }))
      }),
    )
  }
  return choices
}
