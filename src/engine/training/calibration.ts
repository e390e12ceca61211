// Node (engine). When a generated tone sounds. In real music a step's second and third tones are absent
// (intensity 0) in most steps, but G's output is continuous and its intensity for those tones seldom falls
// that far: with one fixed threshold nearly every step would sound as a full chord. So after every epoch
// each tone slot gets the intensity from which it sounds in as many steps of G's own output as it does in
// the training corpus; the checkpoint keeps these thresholds, and decoding uses them.
import * as tf from '@tensorflow/tfjs'
import { DEFAULT_DECODE_OPTIONS } from '../../shared/music/decoding'
import type { Step } from '../../shared/music/steps'
import type { SlotCounts } from '../data/fileTasks'
import type { Generator } from '../model/networks'
import { createRandom } from '../random'
import type { StepCodec } from '../model/stepCodec'
import { readValues } from '../model/readValues'
import { runTempered } from '../model/temperature'
import { DrawRules } from '../model/drawRules'

/**
 * G's output that the thresholds are read from and each epoch is measured on: enough steps that each slot's
 * share is exact to a percent, and enough variations that the classifier's figure moves by about 0.03 from
 * noise to noise rather than 0.06 (docs/model-experiments.md), for a third more time than 16.
 */
export const CALIBRATION_VARIATIONS = 32
export const CALIBRATION_STEPS = 256

/** For each tone slot, the fraction of steps in which it sounds, over the pieces counted. */
export function slotPresence(parts: readonly SlotCounts[]): number[] {
  const steps = parts.reduce((total, part) => total + part.steps, 0)
  const slots = parts[0]?.sounding.length ?? 0
  return Array.from(
    { length: slots },
    (_, j) => parts.reduce((total, part) => total + part.sounding[j], 0) / Math.max(1, steps),
  )
}

/**
 * Per slot, the intensity from which the loudest `presence[j]` share of `steps`' tones in that slot sound;
 * never below the default threshold, so a tone the model leaves silent stays silent, and the default for a
 * slot that always sounds.
 */
export function thresholdsFor(steps: readonly Step[], presence: readonly number[]): number[] {
  const floor = DEFAULT_DECODE_OPTIONS.intensityThreshold
  return presence.map((share, j) => {
    const loudestFirst = steps.map((step) => step[j].intensity).sort((a, b) => b - a)
    const sounding = Math.round(share * loudestFirst.length)
    if (sounding === loudestFirst.length) return floor
    if (sounding === 0) return Math.max(floor, loudestFirst[0] + 1)
    return Math.max(floor, loudestFirst[sounding - 1])
  })
}

/**
 * G's output for a fixed noise at `temperature`, each value's draws scaled by `scales` (runTempered), one
 * list of steps per variation, in real units: the thresholds are read from it, and the epoch is measured on
 * it (epochRealism.ts).
 */
export async function calibrationOutput(
  generator: Generator,
  codec: StepCodec,
  seed: number,
  temperature = 1,
  scales?: readonly number[],
  repetition = 0,
): Promise<Step[][]> {
  const shape: [number, number] = [CALIBRATION_VARIATIONS, CALIBRATION_STEPS]
  const noise = createRandom(seed, 'calibration').fill(
    new Float32Array(shape[0] * shape[1] * generator.noiseWidth),
  )
  const values = await readValues(
    tf.tidy(
      () =>
        runTempered(generator, noise, shape, temperature, { scales, rules: new DrawRules({ repetition }) })
          .emitted,
    ),
  )
  const perVariation = CALIBRATION_STEPS * generator.width
  return Array.from({ length: CALIBRATION_VARIATIONS }, (_, i) =>
    codec.decode(values.subarray(i * perVariation, (i + 1) * perVariation)),
  )
}
