import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../process/backend'
import { oneHotMatMul, oneHotRows, sumByColumn, sumKernelRows, timeMajor } from './oneHotRows'

const COLUMNS = 10
/** The kernel's and the gradients' row width: the sums take multiples of 4, as an LSTM's four gates are. */
const WIDTH = 12
/** Three rows of five ones each. */
const ONES = [
  [0, 2, 4, 6, 8],
  [1, 2, 3, 5, 9],
  [0, 1, 2, 3, 4],
]
const oneHot = () =>
  tf.tensor2d(
    ONES.flatMap((ones) => Array.from({ length: COLUMNS }, (_, c) => (ones.includes(c) ? 1 : 0))),
    [ONES.length, COLUMNS],
  )
const rows = { columns: new Int32Array(ONES.flat()), perRow: 5 }
const close = (values: ArrayLike<number>) => Array.from(values).map((value) => expect.closeTo(value, 5))

beforeAll(async () => {
  await selectBackend('wasm')
})

describe('one-hot rows', () => {
  it('are found where the ones are, and a row with too few ones is refused', () => {
    expect(oneHotRows(oneHot().dataSync() as Float32Array, COLUMNS, 5)).toEqual(rows)
    expect(() => oneHotRows(new Float32Array(COLUMNS).fill(0, 0), COLUMNS, 1)).toThrow(
      'expected 1 ones, found 0',
    )
  })

  it('times a kernel as a matMul of the one-hot rows does', () => {
    const kernel = tf.randomUniform([COLUMNS, WIDTH], -1, 1, 'float32', 1)
    const product = tf.matMul(oneHot(), kernel).dataSync()
    expect(Array.from(sumKernelRows(kernel.dataSync() as Float32Array, WIDTH, rows))).toEqual(close(product))
    expect(Array.from(oneHotMatMul(rows, kernel).dataSync())).toEqual(close(product))
  })

  it("give a one-hot input's kernel gradient: the transposed rows times the gradients", () => {
    const gradients = tf.randomUniform([ONES.length, WIDTH], -1, 1, 'float32', 2)
    const expected = tf.matMul(tf.transpose(oneHot()), gradients).dataSync()
    expect(Array.from(sumByColumn(gradients.dataSync() as Float32Array, WIDTH, rows, COLUMNS))).toEqual(
      close(expected),
    )
  })

  it('of a [batch, time] sequence are put in time-major order', () => {
    const sequence = { columns: new Int32Array([10, 11, 20, 21, 30, 31, 40, 41, 50, 51, 60, 61]), perRow: 2 }
    // Batch 2, time 3: rows b0t0 b0t1 b0t2 b1t0 b1t1 b1t2 become b0t0 b1t0 b0t1 b1t1 b0t2 b1t2.
    expect(Array.from(timeMajor(sequence, 2, 3).columns)).toEqual([
      10, 11, 40, 41, 20, 21, 50, 51, 30, 31, 60, 61,
    ])
  })
})
