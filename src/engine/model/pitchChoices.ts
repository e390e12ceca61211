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

/**
 * The `CHOICES_PER_TONE` likeliest keys of each tone in `logits` [steps x (m * TONE_WIDTH)] at `temperature`
 * that `allows` allows (every key without it), with the keys it ruled out that the model found likelier.
 */
export function pitchChoices(
  logits: ArrayLike<number>,
  tonesPerStep: number,
  temperature: number,
  allows: (pitch: number) => boolean = () => true,
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
        const allowed = weights.map((_, c) => c === NO_TONE || allows(LOWEST_KEY + c))
        const total = weights.reduce((a, b) => a + b, 0)
        // Summed as `total` is, so that without a steering the two are the same number.
        const allowedTotal = weights.reduce((sum, weight, c) => sum + (allowed[c] ? weight : 0), 0)
        const keys = weights
          .map((weight, c) => ({ pitch: LOWEST_KEY + c, weight, allowed: allowed[c] }))
          .filter((_, c) => c !== NO_TONE)
        const kept: PitchChoice[] = []
        let allowedKept = 0
        for (const { pitch, weight, allowed } of keys.sort((a, b) => b.weight - a.weight)) {
          if (allowedKept === CHOICES_PER_TONE) break
          if (allowed) {
            kept.push({ pitch, probability: weight / allowedTotal })
            allowedKept++
          } else if (kept.length < 2 * CHOICES_PER_TONE) {
            kept.push({ pitch, probability: weight / total, ruledOut: true })
          }
        }
        return kept
      }),
    )
  }
  return choices
}
