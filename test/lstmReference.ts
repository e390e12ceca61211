// Node, tests only. The LSTM written out plainly, for checking the hand-written backward pass (lstm.ts)
// against TensorFlow.js's automatic gradients, on any backend.
import * as tf from '@tensorflow/tfjs'
import type { LstmLayer, LstmState } from '../src/engine/model/lstm'

export function referenceStep(layer: LstmLayer, input: tf.Tensor2D, state: LstmState): LstmState {
  const gates = tf.add(
    tf.add(tf.matMul(input, layer.kernel), layer.bias),
    tf.matMul(state.h, layer.recurrentKernel),
  )
  const [i, f, g, o] = tf.split(gates, 4, 1)
  const c = tf.add(tf.mul(tf.sigmoid(f), state.c), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D
  return { h: tf.mul(tf.sigmoid(o), tf.tanh(c)) as tf.Tensor2D, c }
}

export function referenceSequence(layer: LstmLayer, inputs: tf.Tensor3D, reverse: boolean): tf.Tensor3D {
  const steps = tf.unstack(inputs, 1) as tf.Tensor2D[]
  const outputs = new Array<tf.Tensor2D>(steps.length)
  let state = layer.zeroState(inputs.shape[0])
  for (let k = 0; k < steps.length; k++) {
    const t = reverse ? steps.length - 1 - k : k
    state = referenceStep(layer, steps[t], state)
    outputs[t] = state.h
  }
  return tf.stack(outputs, 1) as tf.Tensor3D
}

/** A scalar that weighs every output differently, so each output's gradient matters. */
export function weighted(output: tf.Tensor, seed: number): tf.Scalar {
  return tf.sum(tf.mul(output, tf.randomNormal(output.shape, 0, 1, 'float32', seed)))
}

/** The gradient of `loss` with respect to each of `variables`, read back (asynchronously, as WebGPU needs). */
export async function gradientsOf(variables: tf.Variable[], loss: () => tf.Scalar): Promise<number[][]> {
  const { value, grads } = tf.variableGrads(loss, variables)
  try {
    return await Promise.all(variables.map(async (variable) => Array.from(await grads[variable.name].data())))
  } finally {
    tf.dispose([value, ...Object.values(grads)])
  }
}

/** Whether each value is within `relative` of the largest magnitude of its list in `expected` (plus 1e-6). */
export function closeTo(actual: number[][], expected: number[][], relative: number): boolean {
  return (
    actual.length === expected.length &&
    actual.every((values, k) => {
      const scale = Math.max(...expected[k].map(Math.abs))
      return (
        scale > 0 &&
        values.length === expected[k].length &&
        values.every((value, j) => Math.abs(value - expected[k][j]) < relative * scale + 1e-6)
      )
    })
  )
}
