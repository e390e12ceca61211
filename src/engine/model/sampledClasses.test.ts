import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../process/backend'
import { groupCrossEntropy } from './sampledClasses'
import { CLASS_COUNTS, TONE_WIDTH } from './toneClasses'

beforeAll(async () => {
  await selectBackend('wasm')
})

/** The cross-entropy as it was first written: a logSoftmax of each group's slice, differentiated by TensorFlow.js. */
function referenceCrossEntropy(logits: tf.Tensor3D, targets: tf.Tensor3D): tf.Scalar {
  const [batch, time, width] = logits.shape
  const sizes = Array.from({ length: width / TONE_WIDTH }, () => CLASS_COUNTS).flat()
  const split = (x: tf.Tensor3D) => tf.split(tf.reshape(x, [batch * time, width]), sizes, 1)
  const targetGroups = split(targets)
  const terms = split(logits).map((group, k) => tf.neg(tf.sum(tf.mul(targetGroups[k], tf.logSoftmax(group)))))
  return tf.div(tf.addN(terms), batch * time) as tf.Scalar
}

/** One-hot targets [batch, time, tones * TONE_WIDTH]: a seeded class in each group. */
function randomTargets(batch: number, time: number, tones: number, seed: number): tf.Tensor3D {
  return tf.tidy(() => {
    const groups = Array.from({ length: tones }, () => CLASS_COUNTS).flat()
    const columns = groups.map((count, k) =>
      tf.oneHot(tf.randomUniformInt([batch * time], 0, count, seed + k), count),
    )
    return tf.reshape(tf.concat(columns, 1).toFloat(), [batch, time, -1])
  })
}

/** The value and the gradient with respect to the logits of `loss`. */
function withGradient(
  loss: (logits: tf.Tensor3D, targets: tf.Tensor3D) => tf.Scalar,
  logits: tf.Tensor3D,
  targets: tf.Tensor3D,
) {
  const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => loss(x as tf.Tensor3D, targets))(logits)
  const result = { value: value.dataSync()[0], gradient: Array.from(grad.dataSync()) }
  tf.dispose([value, grad])
  return result
}

describe('groupCrossEntropy', () => {
  it.each([
    ['one tone a step', 1, 1],
    ['two tones a step, and logits far apart from group to group', 2, 60],
  ])('gives the value and gradient of a logSoftmax per group: %s', (_, tones, spread) => {
    const [batch, time] = [3, 5]
    // Each group's logits around its own level, up to `spread` apart, as a trained G's can be.
    const logits = tf.tidy(() => {
      const noise = tf.randomNormal([batch, time, tones * TONE_WIDTH], 0, 2, 'float32', 7)
      const levels = tf.randomUniform([1, 1, tones * TONE_WIDTH], -spread, spread, 'float32', 8)
      return tf.add(noise, levels) as tf.Tensor3D
    })
    const targets = randomTargets(batch, time, tones, 11)
    const expected = withGradient(referenceCrossEntropy, logits, targets)
    const actual = withGradient(groupCrossEntropy, logits, targets)
    expect(Number.isFinite(expected.value)).toBe(true)
    expect(Math.abs(actual.value - expected.value)).toBeLessThan(1e-5 * Math.abs(expected.value))
    const largest = Math.max(...expected.gradient.map(Math.abs))
    expect(largest).toBeGreaterThan(0)
    actual.gradient.forEach((value, k) =>
      expect(Math.abs(value - expected.gradient[k])).toBeLessThan(1e-5 * largest),
    )
    tf.dispose([logits, targets])
  })
})
