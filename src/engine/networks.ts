// Node (engine). C-RNN-GAN's two networks (model.md sec. 2): a unidirectional LSTM generator fed with noise
// and its own previous output, and a bidirectional LSTM discriminator with one sigmoid per step. Every
// method that returns tensors must run inside the caller's tf.tidy.
import * as tf from '@tensorflow/tfjs'
import type { ModelSettings } from '../shared/modelSettings'
import { FEATURE_COUNT } from './encoding'
import {
  CACHE_TENSORS_PER_STEP,
  glorotVariable,
  LstmLayer,
  packCaches,
  unpackCaches,
  unstackTime,
  type NamedVariable,
  type StepCache,
} from './lstm'

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
  readonly units: number
  readonly layers: LstmLayer[]
  readonly output: TimeDense
  readonly namedVariables: NamedVariable[]

  constructor(settings: ModelSettings, seed: number) {
    super()
    this.width = stepWidth(settings)
    this.units = settings.hiddenUnits
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
   * t - 1 while there is one, its own output after that. Step 0 sees zeros. Returns [batch, time, width],
   * differentiable with respect to G's weights (not the noise or the teacher).
   */
  run(noise: tf.Tensor3D, teacher?: tf.Tensor3D): tf.Tensor3D {
    const [batch, time] = noise.shape
    const teacherLength = teacher?.shape[1] ?? 0
    const depth = this.layers.length
    /** Step t's input includes output t - 1 (rather than a teacher step) from here on. */
    const feedsBack = (t: number) => t - 1 >= teacherLength

    const recurrence = tf.customGrad((...args) => {
      const save = args[args.length - 1] as tf.GradSaveFunc
      const noiseSteps = unstackTime(noise)
      const teacherSteps = teacher ? unstackTime(teacher) : []
      const states = this.layers.map((layer) => layer.zeroState(batch))
      const caches: StepCache[][] = this.layers.map(() => [])
      const tops: tf.Tensor2D[] = []
      const outputs: tf.Tensor2D[] = []
      for (let t = 0; t < time; t++) {
        const previous =
          t === 0 ? tf.zeros([batch, this.width]) : feedsBack(t) ? outputs[t - 1] : teacherSteps[t - 1]
        let input = tf.concat([noiseSteps[t], previous], 1) as tf.Tensor2D
        this.layers.forEach((layer, l) => {
          const step = layer.forwardStep(input, layer.project(input), states[l])
          caches[l].push(step.cache)
          states[l] = step.state
          input = step.state.h
        })
        tops.push(input)
        outputs.push(this.output.apply(input))
      }
      save([...caches.flatMap(packCaches), ...tops])

      const gradFunc = (dy: tf.Tensor3D, saved: tf.Tensor[]): tf.Tensor[] => {
        const perLayer = time * CACHE_TENSORS_PER_STEP
        const cached = this.layers.map((_, l) => unpackCaches(saved.slice(l * perLayer), time))
        const savedTops = saved.slice(depth * perLayer) as tf.Tensor2D[]
        const dOutputs = unstackTime(dy)
        const weights = this.layers.map((layer) => layer.transposed())
        const outputKernel = tf.transpose(this.output.kernel)
        const dh = this.layers.map(() => tf.zeros([batch, this.units]) as tf.Tensor2D)
        const dc = this.layers.map(() => tf.zeros([batch, this.units]) as tf.Tensor2D)
        const dGates: tf.Tensor2D[][] = this.layers.map(() => new Array<tf.Tensor2D>(time))
        let feedback: tf.Tensor | null = null
        for (let t = time - 1; t >= 0; t--) {
          if (feedback) dOutputs[t] = tf.add(dOutputs[t], feedback)
          let dAbove = tf.matMul(dOutputs[t], outputKernel) as tf.Tensor2D
          for (let l = depth - 1; l >= 0; l--) {
            const step = this.layers[l].backwardStep(cached[l][t], tf.add(dAbove, dh[l]), dc[l], weights[l])
            ;({ dhPrev: dh[l], dcPrev: dc[l], dInput: dAbove } = step)
            dGates[l][t] = step.dGates
          }
          // Layer 0's input is [noise, previous output]: the second half flows back into output t - 1.
          feedback = feedsBack(t) ? tf.slice(dAbove, [0, this.width], [batch, this.width]) : null
        }
        const allOutputs = tf.concat(dOutputs, 0)
        return [
          ...this.layers.flatMap((layer, l) => layer.weightGradients(cached[l], dGates[l])),
          tf.matMul(tf.transpose(tf.concat(savedTops, 0)), allOutputs),
          tf.sum(allOutputs, 0),
        ]
      }
      return { value: tf.stack(outputs, 1) as tf.Tensor3D, gradFunc }
    })
    return recurrence(...this.variables) as tf.Tensor3D
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

  /** D on `sequence`; with `trainable` false, gradients flow only into the input (see LstmLayer.sequence). */
  run(sequence: tf.Tensor3D, trainable = true): DiscriminatorOutput {
    let hidden = sequence
    this.forward.forEach((layer, l) => {
      const backward = this.backward[l].sequence(hidden, true, trainable)
      hidden = tf.concat([layer.sequence(hidden, false, trainable), backward], 2)
    })
    const perStep = tf.sigmoid(this.output.applySequence(hidden)) // [batch, time, 1]
    return { probability: tf.mean(perStep, [1, 2]), features: hidden }
  }
}
