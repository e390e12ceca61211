// Node (engine). How steps in real units meet a model's tensors, for either kind of generator: the paper's
// regressed values are normalized with the corpus statistics (encoding.ts); a sampling generator's are
// class numbers (toneClasses.ts) that the networks read as one-hot groups. Datasets store steps, G is fed
// primers, and G's output becomes steps again through one codec, chosen by the model's settings.
import type { Normalization } from '../../shared/checkpointMeta'
import type { ModelSettings } from '../../shared/modelSettings'
import type { Step } from '../../shared/music/steps'
import { thresholdsFor } from '../training/calibration'
import { denormalize, encodeSteps, FEATURE_COUNT } from './encoding'
import { METER_GROUPS } from './metricPosition'
import {
  CLASS_COUNTS,
  classesToTone,
  GROUP_OFFSETS,
  oneHotToClasses,
  stepsToClasses,
  TONE_WIDTH,
} from './toneClasses'

export interface StepCodec {
  /** Steps as a dataset keeps them, [steps x (4 * m)]: normalized values, or class numbers. */
  store(steps: readonly Step[]): Float32Array
  /** Steps as G is fed them (a primer), [steps x width]. */
  teacher(steps: readonly Step[]): Float32Array
  /** G's output [steps x width] as steps in real units. */
  decode(values: ArrayLike<number>): Step[]
  /**
   * Per tone slot, the intensity from which a decoded tone sounds, given G's decoded output and how often
   * each slot sounds in the corpus: calibrated for regressed intensities (calibration.ts); for drawn ones
   * every tone sounds but the "no tone" class, whose intensity is 0.
   */
  thresholds(output: readonly Step[], presence: readonly number[]): number[]
}

/** Values per step as a dataset stores them: 4 * m, then a meter model's metric position (metricPosition.ts). */
export function storedWidth(model: ModelSettings): number {
  return model.tonesPerStep * FEATURE_COUNT + (model.meter ? METER_GROUPS : 0)
}

export function stepCodec(model: ModelSettings, normalization: Normalization): StepCodec {
  const { tonesPerStep } = model
  if (model.output !== 'sampled') {
    return {
      store: (steps) => encodeSteps(steps, normalization),
      teacher: (steps) => encodeSteps(steps, normalization),
      decode: (values) => denormalize(values, tonesPerStep, normalization),
      thresholds: thresholdsFor,
    }
  }
  return {
    store: stepsToClasses,
    teacher(steps) {
      const classes = stepsToClasses(steps)
      const out = new Float32Array(steps.length * tonesPerStep * TONE_WIDTH)
      classes.forEach((value, k) => {
        const tone = Math.floor(k / CLASS_COUNTS.length)
        out[tone * TONE_WIDTH + GROUP_OFFSETS[k % CLASS_COUNTS.length] + value] = 1
      })
      return out
    },
    decode: (values) =>
      oneHotToClasses(values, tonesPerStep).map((step) => step.map((tone) => classesToTone(tone))),
    thresholds: (_, presence) => presence.map(() => 1),
  }
}
