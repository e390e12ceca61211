import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../process/backend'
import { drawnFeedbackProjection } from './drawnFeedback'
import { LstmLayer } from './lstm'

const NOISE = 3
const FEEDBACK = 10
const UNITS = 4
/** Two rows of a one-hot feedback, three ones each: the columns as the draw gives them, and the matrix. */
const COLUMNS = new Int32Array([0, 4, 9, 2, 4, 7])
const ONE_HOT = tf.tidy(() =>
  tf.tensor2d(
    Array.from({ length: 2 * FEEDBACK }, (_, i) =>
      COLUMNS.slice(3 * Math.floor(i / FEEDBACK), 3 * Math.floor(i / FEEDBACK) + 3).includes(i % FEEDBACK)
        ? 1
        : 0,
    ),
    [2, FEEDBACK],
  ),
)

let layer: LstmLayer
beforeAll(async () => {
  await selectBackend('wasm')
  layer = new LstmLayer('test', NOISE + FEEDBACK, UNITS, 7)
  // A bias that is not the forget gate's ones and zeros, so that adding it in the wrong place shows.
  layer.bias.assign(tf.randomUniform([4 * UNITS], -1, 1, 'float32', 3))
})

describe('drawnFeedbackProjection', () => {
  const noise = tf.randomUniform([2, NOISE], 0, 1, 'float32', 2) as tf.Tensor2D
  const expected = (previous: tf.Tensor2D) =>
    Array.from(layer.project(tf.concat([noise, previous], 1)).dataSync())
  const close = (values: number[]) => values.map((value) => expect.closeTo(value, 5))

  it("is layer 0's projection of [noise, drawn one-hot], given the drawn columns", () => {
    const project = drawnFeedbackProjection(layer, NOISE)
    expect(Array.from(project(noise, { columns: COLUMNS, perRow: 3 }).dataSync())).toEqual(
      close(expected(ONE_HOT)),
    )
  })

  it("is the projection of a teacher's step, given as a tensor, and of zeros at the first step", () => {
    const project = drawnFeedbackProjection(layer, NOISE)
    expect(Array.from(project(noise, ONE_HOT).dataSync())).toEqual(close(expected(ONE_HOT)))
    expect(Array.from(project(noise, null).dataSync())).toEqual(close(expected(tf.zeros([2, FEEDBACK]))))
  })
})
