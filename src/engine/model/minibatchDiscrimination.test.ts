// Node, tests only. Minibatch discrimination's features and D with them, on the WebAssembly backend.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../process/backend'
import { MINIBATCH_KERNEL_SIZE, MINIBATCH_KERNELS, MinibatchDiscrimination } from './minibatchDiscrimination'
import { Discriminator, stepWidth } from './networks'

beforeAll(async () => {
  await selectBackend('wasm')
})

const largestAbs = (tensor: tf.Tensor) => Math.max(...Array.from(tensor.abs().dataSync()))

describe('MinibatchDiscrimination', () => {
  it('gives each sequence and step one feature per kernel: how many of its group are alike', () => {
    const layer = new MinibatchDiscrimination('test', 6, 1)
    // Sequences 0 and 1 are equal, and 2 and 3; the pairs differ.
    const [a, b] = [
      tf.randomNormal([1, 3, 6], 0, 1, 'float32', 1),
      tf.randomNormal([1, 3, 6], 0, 1, 'float32', 2),
    ]
    const features = tf.concat([a, a, b, b], 0) as tf.Tensor3D
    const apart = layer.apply(features, 2)
    expect(apart.shape).toEqual([4, 3, MINIBATCH_KERNELS])
    // Each compared with its own pair only: itself and its twin, exp(0) each.
    expect(Array.from(apart.dataSync()).every((o) => Math.abs(o - 2) < 1e-5)).toBe(true)
    const together = Array.from(layer.apply(features, 1).dataSync())
    expect(together.every((o) => o > 2 && o < 4)).toBe(true)
    tf.dispose([a, b, features, apart, layer.kernel])
  })

  it('passes gradients to its kernel and to the features', () => {
    const layer = new MinibatchDiscrimination('test', 6, 1)
    const features = tf.randomNormal([4, 3, 6], 0, 1, 'float32', 3) as tf.Tensor3D
    const { grads } = tf.variableGrads(() => tf.sum(layer.apply(features)) as tf.Scalar, [layer.kernel])
    const [toFeatures] = tf.grads((x: tf.Tensor) => layer.apply(x as tf.Tensor3D))([features])
    expect(largestAbs(grads[layer.kernel.name])).toBeGreaterThan(0)
    expect(largestAbs(toFeatures)).toBeGreaterThan(0)
    tf.dispose([features, toFeatures, layer.kernel, ...Object.values(grads)])
  })
})

describe('the pairs of a group', () => {
  /** The features as written (MinibatchDiscrimination's doc), every pair at once, with automatic gradients. */
  const written = (layer: MinibatchDiscrimination, features: tf.Tensor3D) => {
    const [batch, time, size] = features.shape
    const m = tf.reshape(tf.matMul(tf.reshape(features, [batch * time, size]), layer.kernel), [
      batch,
      time,
      -1,
    ])
    const differences = tf.abs(tf.sub(tf.expandDims(m, 1), tf.expandDims(m, 0)))
    const shape = [batch, batch, time, MINIBATCH_KERNELS, MINIBATCH_KERNEL_SIZE]
    return tf.sum(tf.exp(tf.neg(tf.sum(tf.reshape(differences, shape), 4))), 1)
  }

  // 64 sequences of 64 steps have more pairs than one piece of the work; the float rounding of their sums
  // in another order grows with their count.
  for (const [batch, steps, tolerance] of [
    [4, 3, 1e-5],
    [64, 64, 1e-3],
  ]) {
    it(`are taken a few rows at a time, to the same features and gradients as all at once: ${batch} × ${steps}`, () => {
      const layer = new MinibatchDiscrimination('test', 5, 4)
      const features = tf.randomNormal([batch, steps, 5], 0, 0.3, 'float32', 6) as tf.Tensor3D
      const weights = tf.randomUniform([batch, steps, MINIBATCH_KERNELS], -1, 1, 'float32', 7)
      const loss = (apply: (x: tf.Tensor3D) => tf.Tensor) => (x: tf.Tensor) =>
        tf.sum(tf.mul(apply(x as tf.Tensor3D), weights)) as tf.Scalar
      const values = [layer.apply(features), written(layer, features)].map((o) => Array.from(o.dataSync()))
      expect(values[0]).toEqual(values[1].map((o) => expect.closeTo(o, 3)))
      const [inPieces, atOnce] = [
        tf.grad(loss((x) => layer.apply(x)))(features),
        tf.grad(loss((x) => written(layer, x)))(features),
      ].map((gradient) => Array.from(gradient.dataSync()))
      const largest = Math.max(...atOnce.map(Math.abs))
      expect(largest).toBeGreaterThan(0.1)
      expect(Math.max(...inPieces.map((g, k) => Math.abs(g - atOnce[k])))).toBeLessThan(tolerance * largest)
      tf.dispose([features, weights, layer.kernel])
    })
  }
})

describe('a discriminator with minibatch discrimination', () => {
  const settings = {
    tonesPerStep: 1,
    hiddenUnits: 5,
    layers: 1,
    output: 'continuous' as const,
    meter: false,
    minibatchDiscrimination: true,
  }

  it('reads the minibatch features beside its own before the output layer, and trains them', () => {
    const d = new Discriminator(settings, 7)
    expect(d.namedVariables.map(([name]) => name)).toContain('discriminator/minibatch/kernel')
    const sequence = tf.randomUniform([4, 3, stepWidth(settings)], 0, 1, 'float32', 5) as tf.Tensor3D
    const { grads, value } = tf.variableGrads(() => {
      const { probability, features } = d.run(sequence, true, undefined, 2)
      expect(features.shape).toEqual([4, 3, 2 * 5 + MINIBATCH_KERNELS])
      return tf.mean(probability) as tf.Scalar
    }, d.variables)
    expect(largestAbs(grads[d.minibatch!.kernel.name])).toBeGreaterThan(0)
    // G's step: D's weights held, the gradient reaches the sequence D judged.
    const [toSequence] = tf.grads((x: tf.Tensor) => d.run(x as tf.Tensor3D, false).probability)([sequence])
    expect(largestAbs(toSequence)).toBeGreaterThan(0)
    tf.dispose([sequence, value, toSequence, ...Object.values(grads)])
    d.dispose()
  })

  it('has the weights it always had when the option is off', () => {
    const plain = new Discriminator({ ...settings, minibatchDiscrimination: undefined }, 7)
    const names = plain.namedVariables.map(([name]) => name)
    expect(names.some((name) => name.includes('minibatch'))).toBe(false)
    expect(plain.output.kernel.shape).toEqual([2 * 5, 1])
    plain.dispose()
  })
})
