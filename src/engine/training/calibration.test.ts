// Runs under vitest (Node). Per-slot intensity thresholds: by hand, and on a real (tiny, untrained) generator.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_DECODE_OPTIONS, soundingTones } from '../../shared/music/decoding'
import type { Step } from '../../shared/music/steps'
import { selectBackend } from '../process/backend'
import {
  CALIBRATION_STEPS,
  CALIBRATION_VARIATIONS,
  calibrationOutput,
  slotPresence,
  thresholdsFor,
} from './calibration'
import { denormalize } from '../model/encoding'
import { Generator } from '../model/networks'
import { createRandom } from '../random'
import { stepCodec } from '../model/stepCodec'
import { slotCounts } from '../data/fileTasks'

beforeAll(async () => {
  await selectBackend('wasm')
})

const tone = (intensity: number) => ({ length: 1, pitch: 60, intensity, delta: 0.5 })
const step = (...intensities: number[]): Step => intensities.map(tone)

describe('slotPresence', () => {
  it('is the share of steps in which each slot sounds, over all pieces', () => {
    const pieces = [
      [step(80, 70, 0), step(80, 0, 0)],
      [step(60, 50, 40), step(60, 0, 0)],
    ]
    expect(slotPresence(pieces.map(slotCounts))).toEqual([1, 0.5, 0.25])
  })
})

describe('thresholdsFor', () => {
  // Slot 1's intensities are 11, 12, ..., 30 and slot 2's are 1, 2, ..., 20.
  const steps = Array.from({ length: 20 }, (_, i) => step(60, 11 + i, 1 + i))

  it('lets the loudest share of each slot sound', () => {
    const thresholds = thresholdsFor(steps, [1, 0.25, 0.5])
    // The loudest 5 of slot 1 are 26..30; the loudest 10 of slot 2 are 11..20.
    expect(thresholds).toEqual([10, 26, 11])
    const sounding = steps.map((s) =>
      soundingTones(s, { ...DEFAULT_DECODE_OPTIONS, intensityThresholds: thresholds }),
    )
    const perSlot = [0, 1, 2].map((j) => steps.filter((s, i) => sounding[i].includes(s[j])).length)
    expect(perSlot).toEqual([20, 5, 10])
  })

  it('never goes below the default threshold, so silent tones stay silent', () => {
    // Slot 2 should sound in 90% of steps, but most of its intensities lie below the default 10.
    expect(thresholdsFor(steps, [1, 1, 0.9])[2]).toBe(DEFAULT_DECODE_OPTIONS.intensityThreshold)
  })

  it('silences a slot that never sounds in the corpus', () => {
    const [, , third] = thresholdsFor(steps, [1, 1, 0])
    expect(steps.every((s) => s[2].intensity < third)).toBe(true)
  })
})

describe('calibrationOutput', () => {
  it("is the generator's own output for the calibration noise, and its thresholds give each slot the corpus's share", async () => {
    const model = { tonesPerStep: 3, hiddenUnits: 8, layers: 2, output: 'continuous' as const, meter: false }
    const generator = new Generator(model, 3)
    // Intensities around 40 with a spread of 20: an untrained generator's output is near 0 (the mean).
    const normalization = { mean: [0.5, 60, 40, 0.3], std: [0.5, 12, 20, 0.3] }
    const before = tf.memory().numTensors
    const variations = await calibrationOutput(generator, stepCodec(model, normalization), 5)
    expect(tf.memory().numTensors).toBe(before)

    // The same output computed directly (same seed), variation by variation.
    const shape: [number, number, number] = [CALIBRATION_VARIATIONS, CALIBRATION_STEPS, generator.width]
    const noise = createRandom(5, 'calibration').fill(new Float32Array(shape[0] * shape[1] * shape[2]))
    const output = tf.tidy(() => generator.run(tf.tensor3d(noise, shape)))
    const steps = denormalize(output.dataSync(), 3, normalization)
    output.dispose()
    expect(variations).toHaveLength(CALIBRATION_VARIATIONS)
    expect(variations.flat()).toEqual(steps)

    const thresholds = thresholdsFor(variations.flat(), [1, 0.46, 0.23])
    expect(thresholds[0]).toBe(DEFAULT_DECODE_OPTIONS.intensityThreshold)
    const options = { ...DEFAULT_DECODE_OPTIONS, intensityThresholds: thresholds }
    const shares = [0, 1, 2].map(
      (j) => steps.filter((s) => soundingTones(s, options).includes(s[j])).length / steps.length,
    )
    expect(shares[1]).toBeCloseTo(0.46, 2)
    expect(shares[2]).toBeCloseTo(0.23, 2)
    generator.dispose()
  })
})
