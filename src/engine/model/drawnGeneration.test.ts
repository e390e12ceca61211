import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PRESETS } from '../../shared/modelSettings'
import { closeTo } from '../../../test/lstmReference'
import { selectBackend } from '../process/backend'
import { Generator } from './networks'

// Generation (`runWithLogits`) draws on the CPU (drawnGeneration.ts) on a backend that reads values
// synchronously; training's `run` adds and draws tensors, and lstm.test.ts checks it against the
// straightforward recurrence. The two must draw the same classes from the same noise.

/** More steps than one matMul projects the noise for, so that the second block is used too. */
const STEPS = 70
const BATCH = 3

let generator: Generator
beforeAll(async () => {
  await selectBackend('wasm')
  generator = new Generator(
    { ...PRESETS.quick.model, tonesPerStep: 2, hiddenUnits: 6, output: 'sampled' },
    31,
  )
})
afterAll(() => generator.dispose())

const noiseFor = (seed: number) =>
  tf.randomUniform([BATCH, STEPS, generator.noiseWidth], 0, 1, 'float32', seed) as tf.Tensor3D

describe('DrawnGeneration', () => {
  for (const primerSteps of [0, 5]) {
    it(`draws what adding the tensors draws, step by step, after a primer of ${primerSteps} steps`, () => {
      const noise = noiseFor(7 + primerSteps)
      const teacher = primerSteps
        ? (tf.randomNormal([BATCH, primerSteps, generator.width], 0, 1, 'float32', 8) as tf.Tensor3D)
        : undefined
      try {
        const generated = tf.tidy(() => generator.runWithLogits(noise, teacher).emitted.arraySync())
        const trained = tf.tidy(() => generator.run(noise, teacher).arraySync())
        for (let v = 0; v < BATCH; v++) {
          // A step whose successor is fed the primer's draws nothing; after the primer, each step draws one
          // class in each of its two tones' four groups.
          const drawing = generated[v].slice(primerSteps)
          expect(
            generated[v]
              .slice(0, primerSteps)
              .flat()
              .every((x) => x === 0),
          ).toBe(true)
          expect(drawing.flat().reduce((a, b) => a + b, 0)).toBe((STEPS - primerSteps) * 2 * 4)
          expect(drawing).toEqual(trained[v].slice(primerSteps))
        }
      } finally {
        tf.dispose([noise, ...(teacher ? [teacher] : [])])
      }
    })
  }

  it("keeps every step's logits: those of the teacher-forced sequence when every step is fed the teacher's", () => {
    const noise = noiseFor(9)
    const teacher = tf.randomNormal([BATCH, STEPS, generator.width], 0, 1, 'float32', 10) as tf.Tensor3D
    try {
      const kept = tf.tidy(() => generator.runWithLogits(noise, teacher).logits!.arraySync())
      const forced = tf.tidy(() => generator.teacherForcedLogits(noise, teacher).arraySync())
      expect(closeTo(kept.flat(), forced.flat(), 1e-4)).toBe(true)
    } finally {
      tf.dispose([noise, teacher])
    }
  })
})
