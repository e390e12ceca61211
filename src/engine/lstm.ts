// Node (engine). The LSTM layer both networks are built from, written with plain TensorFlow.js ops so
// that the engine controls every matMul and copy (tf.layers' LSTM is too slow on CPU for this model).
import * as tf from '@tensorflow/tfjs'

export interface LstmState {
  h: tf.Tensor2D
  c: tf.Tensor2D
}

/** A variable with the name it has in checkpoints. TensorFlow.js's own variable names must be unique
 * in the whole process, so they are left to it and two models of the same shape can live side by side. */
export type NamedVariable = [name: string, variable: tf.Variable]

/** Seeded Glorot-uniform weights, so the same seed always starts from the same network. */
export function glorotVariable(shape: [number, number], seed: number): tf.Variable {
  const limit = Math.sqrt(6 / (shape[0] + shape[1]))
  return tf.tidy(() => tf.variable(tf.randomUniform(shape, -limit, limit, 'float32', seed)))
}

/**
 * One LSTM layer: gates in the order input, forget, cell, output (Keras's), with the forget gate's bias
 * starting at 1 so that early training remembers rather than forgets.
 */
export class LstmLayer {
  readonly kernel: tf.Variable
  readonly recurrentKernel: tf.Variable
  readonly bias: tf.Variable

  constructor(
    readonly name: string,
    inputSize: number,
    readonly units: number,
    seed: number,
  ) {
    this.kernel = glorotVariable([inputSize, 4 * units], seed)
    this.recurrentKernel = glorotVariable([units, 4 * units], seed + 1)
    this.bias = tf.tidy(() =>
      tf.variable(tf.concat([tf.zeros([units]), tf.ones([units]), tf.zeros([2 * units])])),
    )
  }

  get namedVariables(): NamedVariable[] {
    return [
      [`${this.name}/kernel`, this.kernel],
      [`${this.name}/recurrent_kernel`, this.recurrentKernel],
      [`${this.name}/bias`, this.bias],
    ]
  }

  zeroState(batch: number): LstmState {
    return { h: tf.zeros([batch, this.units]), c: tf.zeros([batch, this.units]) }
  }

  /** One step from an input that is already multiplied by the kernel (plus bias): [batch, 4 * units]. */
  stepProjected(projected: tf.Tensor2D, state: LstmState): LstmState {
    const gates = tf.add(projected, tf.matMul(state.h, this.recurrentKernel))
    const [i, f, g, o] = tf.split(gates, 4, 1) as tf.Tensor2D[]
    const c = tf.add(tf.mul(tf.sigmoid(f), state.c), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D
    const h = tf.mul(tf.sigmoid(o), tf.tanh(c)) as tf.Tensor2D
    return { h, c }
  }

  /** One step from a raw input [batch, inputSize]. */
  step(input: tf.Tensor2D, state: LstmState): LstmState {
    return this.stepProjected(tf.add(tf.matMul(input, this.kernel), this.bias), state)
  }

  /**
   * The whole sequence [batch, time, inputSize] to outputs [batch, time, units]. The input projection of all
   * time steps is one matMul; only the recurrent part runs step by step. `reverse` reads the sequence
   * backwards (for the backward half of a bidirectional layer) and returns outputs in forward order.
   */
  sequence(inputs: tf.Tensor3D, reverse = false): tf.Tensor3D {
    const [batch, time, inputSize] = inputs.shape
    const projected = tf
      .add(tf.matMul(tf.reshape(inputs, [batch * time, inputSize]), this.kernel), this.bias)
      .reshape([batch, time, 4 * this.units])
    const perStep = tf.unstack(projected, 1) as tf.Tensor2D[]
    const outputs: tf.Tensor2D[] = new Array<tf.Tensor2D>(time)
    let state = this.zeroState(batch)
    for (let k = 0; k < time; k++) {
      const t = reverse ? time - 1 - k : k
      state = this.stepProjected(perStep[t], state)
      outputs[t] = state.h
    }
    return tf.stack(outputs, 1) as tf.Tensor3D
  }
}
