import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../process/backend'
import { columnSums, denseRows, transposeRows } from './denseRows'

beforeAll(async () => {
  await selectBackend('wasm')
})

/** The largest difference between two tensors, relative to the largest value of `expected`. */
function relativeDifference(actual: tf.Tensor, expected: tf.Tensor): number {
  return tf.tidy(
    () => tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0] / tf.max(tf.abs(expected)).dataSync()[0],
  )
}

describe('columnSums', () => {
  it('sums each column over the rows', () => {
    const x = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ])
    expect(Array.from(columnSums(x).dataSync())).toEqual([5, 7, 9])
    x.dispose()
  })
})

describe('transposeRows', () => {
  it.each([
    [16, 3],
    [10, 3],
  ])('transposes [%i, %i] as the backend does', (rows, columns) => {
    const x = tf.randomNormal([rows, columns], 0, 1, 'float32', 5) as tf.Tensor2D
    const [actual, expected] = [transposeRows(x), tf.transpose(x)]
    expect(actual.shape).toEqual([columns, rows])
    expect(Array.from(actual.dataSync())).toEqual(Array.from(expected.dataSync()))
    tf.dispose([x, actual, expected])
  })
})

describe('denseRows', () => {
  it('gives the product and the gradients of matMul plus bias as TensorFlow.js differentiates them', () => {
    const [x, kernel, bias, upstream] = [
      tf.randomNormal([37, 11], 0, 1, 'float32', 1),
      tf.randomNormal([11, 7], 0, 1, 'float32', 2),
      tf.randomNormal([7], 0, 1, 'float32', 3),
      tf.randomNormal([37, 7], 0, 1, 'float32', 4),
    ]
    // A weighted sum, so that every value's gradient differs.
    const loss = (dense: (x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor) => tf.Tensor) =>
      tf.grads((x, kernel, bias) => tf.sum(tf.mul(dense(x, kernel, bias), upstream)))([x, kernel, bias])
    const expected = loss((x, kernel, bias) => tf.add(tf.matMul(x, kernel), bias))
    const actual = loss((x, kernel, bias) => denseRows(x as tf.Tensor2D, kernel, bias))
    expect(expected.map((gradient) => gradient.shape)).toEqual([x.shape, kernel.shape, bias.shape])
    actual.forEach((gradient, k) => expect(relativeDifference(gradient, expected[k])).toBeLessThan(1e-5))
    const product = tf.tidy(() =>
      relativeDifference(denseRows(x as tf.Tensor2D, kernel, bias), tf.add(tf.matMul(x, kernel), bias)),
    )
    expect(product).toBeLessThan(1e-5)
    tf.dispose([x, kernel, bias, upstream, ...expected, ...actual])
  })
})
