// Node (engine). C-RNN-GAN's two networks (model.md sec. 2): a unidirectional LSTM generator fed with noise
// and its own previous output, and a bidirectional LSTM discriminator with one sigmoid per step. Every
// method that returns tensors must run inside the caller's tf.tidy.
import * as tf from '@tensorflow/tfjs'
import type { ModelSettings } from '../shared/modelSettings'
import { FEATURE_COUNT } from './encoding'
import { glorotVariable, LstmLayer, type NamedVariable } from './lstm'

/** Features per time step: `m` tones of four values each. */
export function stepWidth(settings: ModelSettings): number {
  return settings.tonesPerStep * FEATURE_COUNT
}

/** A dense layer shared across time steps. */
class TimeDense {
  readonly kernel: tf.Variable
  readonly bias: tf.Variable

  constructor(
    readonly name: string,
    inputSize: number,
    outputSize: number,
    seed: number,
  ) {
    this.kernel = glorotVariable([inputSize, outputSize], seed)
    this.bias = tf.tidy(() => tf.variable(tf.zeros([outputSize])))
  }

  get namedVariables(): NamedVariable[] {
    return [
      [`${this.name}/kernel`, this.kernel],
      [`${this.name}/bias`, this.bias],
    ]
  }

  apply(input: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(input, this.kernel), this.bias)
  }

  applySequence(input: tf.Tensor3D): tf.Tensor3D {
    const [batch, time, size] = input.shape
    return this.apply(tf.reshape(input, [batch * time, size])).reshape([batch, time, -1])
  }
}

/** Owns a set of variables: named for checkpoints, disposed together. */
abstract class Network {
  abstract readonly namedVariables: NamedVariable[]

  get variables(): tf.Variable[] {
    return this.namedVariables.map(([, variable]) => variable)
  }

  /** The weights by checkpoint name (the variables themselves, not copies). */
  namedWeights(): tf.NamedTensorMap {
    return Object.fromEntries(this.namedVariables)
  }

  /** Assigns weights by checkpoint name; every variable must be present with its shape. */
  loadWeights(weights: tf.NamedTensorMap): void {
    for (const [name, variable] of this.namedVariables) {
      const value = weights[name]
      if (!value) throw new Error(`the checkpoint has no weight "${name}"`)
      if (!tf.util.arraysEqual(value.shape, variable.shape)) {
        throw new Error(`weight "${name}" has shape [${value.shape}], the model needs [${variable.shape}]`)
      }
      variable.assign(value)
    }
  }

  dispose(): void {
    for (const variable of this.variables) variable.dispose()
  }
}

export class Generator extends Network {
  readonly width: number
  readonly layers: LstmLayer[]
  readonly output: TimeDense
  readonly namedVariables: NamedVariable[]

  constructor(settings: ModelSettings, seed: number) {
    super()
    this.width = stepWidth(settings)
    // Input per step: the noise vector (as wide as a step, as in the paper) and the previous output.
    this.layers = Array.from(
      { length: settings.layers },
      (_, l) =>
        new LstmLayer(
          `generator/lstm_${l}`,
          l === 0 ? 2 * this.width : settings.hiddenUnits,
          settings.hiddenUnits,
          seed + 10 * l,
        ),
    )
    this.output = new TimeDense('generator/output', settings.hiddenUnits, this.width, seed + 1000)
    this.namedVariables = [
      ...this.layers.flatMap((layer) => layer.namedVariables),
      ...this.output.namedVariables,
    ]
  }

  /**
   * Runs G over `noise` [batch, time, width]. For the first steps the previous output is replaced by
   * `teacher` [batch, teacherSteps, width] (pretraining and primed generation): step t sees teacher step
   * t - 1 while there is one, its own output after that. Step 0 sees zeros. Returns [batch, time, width].
   */
  run(noise: tf.Tensor3D, teacher?: tf.Tensor3D): tf.Tensor3D {
    const [batch, time] = noise.shape
    const noiseSteps = tf.unstack(noise, 1) as tf.Tensor2D[]
    const teacherSteps = teacher ? (tf.unstack(teacher, 1) as tf.Tensor2D[]) : []
    let states = this.layers.map((layer) => layer.zeroState(batch))
    let previous: tf.Tensor2D = tf.zeros([batch, this.width])
    const outputs: tf.Tensor2D[] = []
    for (let t = 0; t < time; t++) {
      if (t > 0) previous = t - 1 < teacherSteps.length ? teacherSteps[t - 1] : outputs[t - 1]
      let input = tf.concat([noiseSteps[t], previous], 1)
      states = this.layers.map((layer, l) => {
        const state = layer.step(input, states[l])
        input = state.h
        return state
      })
      outputs.push(this.output.apply(input))
    }
    return tf.stack(outputs, 1) as tf.Tensor3D
  }
}

export interface DiscriminatorOutput {
  /** D(x) per sequence: the mean over steps of the per-step sigmoid, [batch]. */
  probability: tf.Tensor1D
  /** The last hidden layer (before the sigmoid), for feature matching: [batch, time, 2 * units]. */
  features: tf.Tensor3D
}

export class Discriminator extends Network {
  readonly forward: LstmLayer[]
  readonly backward: LstmLayer[]
  readonly output: TimeDense
  readonly namedVariables: NamedVariable[]

  constructor(settings: ModelSettings, seed: number) {
    super()
    const units = settings.hiddenUnits
    const inputSize = (l: number) => (l === 0 ? stepWidth(settings) : 2 * units)
    this.forward = Array.from(
      { length: settings.layers },
      (_, l) => new LstmLayer(`discriminator/forward_${l}`, inputSize(l), units, seed + 10 * l),
    )
    this.backward = Array.from(
      { length: settings.layers },
      (_, l) => new LstmLayer(`discriminator/backward_${l}`, inputSize(l), units, seed + 10 * l + 5),
    )
    this.output = new TimeDense('discriminator/output', 2 * units, 1, seed + 1000)
    this.namedVariables = [
      ...this.forward.flatMap((layer, l) => [...layer.namedVariables, ...this.backward[l].namedVariables]),
      ...this.output.namedVariables,
    ]
  }

  run(sequence: tf.Tensor3D): DiscriminatorOutput {
    let hidden = sequence
    this.forward.forEach((layer, l) => {
      hidden = tf.concat([layer.sequence(hidden), this.backward[l].sequence(hidden, true)], 2)
    })
    const perStep = tf.sigmoid(this.output.applySequence(hidden)) // [batch, time, 1]
    return { probability: tf.mean(perStep, [1, 2]), features: hidden }
  }
}
