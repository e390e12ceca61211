import * as tf from '@tensorflow/tfjs'
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { compiledModuleSource, MODULES } from '../../../scripts/compileWasm'
import { selectBackend } from '../process/backend'
import { gumbel } from './gumbel'

beforeAll(async () => {
  await selectBackend('wasm')
})

/** The noise as TensorFlow.js's ops compute it. */
const gumbelOps = (uniform: tf.Tensor) =>
  tf.neg(tf.log(tf.neg(tf.log(tf.clipByValue(uniform, 1e-10, 1 - 1e-7)))))

describe('Gumbel noise', () => {
  it("is the ops' noise to a few units in the last place, from the smallest uniforms to the largest", () => {
    // Every stretch of [0, 1): the smallest uniforms and those nearest 1 as well as the ordinary ones;
    // 5 by 7, not a multiple of 4.
    const uniforms = [0, 1e-12, 1e-10, 3e-8, 1e-4, 0.01, 0.1, 0.25, 0.3, 0.36788, 0.5, 0.7, 0.9, 0.99, 0.9999]
    const values = Float32Array.from(
      { length: 35 },
      (_, k) => uniforms[k % uniforms.length] + (k >= 15 ? 1e-6 * k : 0),
    )
    values[34] = 1 - 2 ** -24 // the largest float32 below 1
    const [noise, expected] = tf.tidy(() => {
      const uniform = tf.tensor2d(values, [5, 7])
      return [gumbel(uniform), gumbelOps(uniform)].map((t) => t.dataSync())
    })
    expect(noise.length).toBe(35)
    noise.forEach((value, k) => {
      const reference = expected[k]
      // Within 4e-7 of its own size, and of 1 near zero (where -log(-log u) crosses it).
      expect(Math.abs(value - reference), `u = ${values[k]}`).toBeLessThan(
        4e-7 * Math.max(1, Math.abs(reference)),
      )
    })
  })

  it('has the Gumbel distribution: its mean is the Euler-Mascheroni constant and its variance π²/6', () => {
    const { mean, variance } = tf.tidy(() => {
      const noise = gumbel(tf.randomUniform([200_000], 0, 1, 'float32', 11))
      const moments = tf.moments(noise)
      return { mean: moments.mean.dataSync()[0], variance: moments.variance.dataSync()[0] }
    })
    expect(mean).toBeCloseTo(0.5772, 2)
    expect(variance).toBeCloseTo(Math.PI ** 2 / 6, 1)
  })

  it('runs the module compiled from gumbel.wat as it stands (npm run wasm)', async () => {
    const module = MODULES.find(({ source }) => source === 'gumbel.wat')!
    expect(readFileSync(module.compiled, 'utf8')).toBe(await compiledModuleSource(module))
  })
})
