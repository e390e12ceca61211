// Node (engine). The LSTM layer both networks are built from, with a hand-written backward pass through time.
// TensorFlow.js's automatic gradients copy every weight matrix at every time step while recording, and its
// matMul with transpose flags is several times slower than a plain one on CPU; so the recurrences here run
// inside tf.customGrad (nothing is recorded step by step), transpose weights explicitly once per pass, and
// compute weight gradients for all steps in one matMul each. A whole sequence's input gradient is one
// matMul too, and is skipped where the input is data (D's own step, G's pretraining).
import * as tf from '@tensorflow/tfjs'
import { hasLstmCellKernel, lstmCell, lstmCellGradients, type CellResults } from '../wasm/lstmCell'
import { oneHotMatMul, sumByColumn, timeMajor, type OneHotRows } from './oneHotRows'
import { columnSums, transposeRows } from './denseRows'

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

/** Splits [batch, time, size] into `time` tensors of [batch, size]. */
export function unstackTime(x: tf.Tensor3D): tf.Tensor2D[] {
  return tf.unstack(x, 1) as tf.Tensor2D[]
}

/** What the backward pass of one step needs from its forward pass. */
export interface StepCache {
  input: tf.Tensor2D
  hPrev: tf.Tensor2D
  cPrev: tf.Tensor2D
  /** Gate activations: input, forget, cell candidate, output. */
  i: tf.Tensor2D
  f: tf.Tensor2D
  g: tf.Tensor2D
  o: tf.Tensor2D
  tanhC: tf.Tensor2D
}

const CACHE_KEYS = ['input', 'hPrev', 'cPrev', 'i', 'f', 'g', 'o', 'tanhC'] as const

/** customGrad's `save` takes a flat list of tensors; caches go in and come out in the same order. */
export function packCaches(caches: readonly StepCache[]): tf.Tensor[] {
  return caches.flatMap((cache) => CACHE_KEYS.map((key) => cache[key]))
}

export function unpackCaches(saved: readonly tf.Tensor[], steps: number): StepCache[] {
  return Array.from(
    { length: steps },
    (_, t) =>
      Object.fromEntries(
        CACHE_KEYS.map((key, k) => [key, saved[t * CACHE_KEYS.length + k]]),
      ) as unknown as StepCache,
  )
}

export const CACHE_TENSORS_PER_STEP = CACHE_KEYS.length

export interface GateGradients {
  dhPrev: tf.Tensor2D
  dcPrev: tf.Tensor2D
  /** Gradient of the gate pre-activations, [batch, 4 * units]. */
  dGates: tf.Tensor2D
}

export interface StepGradients extends GateGradients {
  dInput: tf.Tensor2D
}

/** Which gradients a pass through a whole sequence must give (see `LstmLayer.sequence`). */
export interface SequenceGradients {
  input: boolean
  weights: boolean
}

const BOTH: SequenceGradients = { input: true, weights: true }

/** The weights transposed once per backward pass, so every per-step matMul is a plain one. */
export interface TransposedWeights {
  kernel: tf.Tensor2D
  recurrentKernel: tf.Tensor2D
}

/** Back through one cell as ops: the gradients of the gates' pre-activations and of the previous c. */
function cellGradientOps(
  { cPrev, i, f, g, o, tanhC }: StepCache,
  dh: tf.Tensor2D,
  dc: tf.Tensor2D,
): { dGates: tf.Tensor2D; dcPrev: tf.Tensor2D } {
  const sigmoidGrad = (s: tf.Tensor2D) => tf.mul(s, tf.sub(1, s))
  const dcTotal = tf.add(dc, tf.mul(tf.mul(dh, o), tf.sub(1, tf.square(tanhC))))
  const dGates = tf.concat(
    [
      tf.mul(tf.mul(dcTotal, g), sigmoidGrad(i)),
      tf.mul(tf.mul(dcTotal, cPrev), sigmoidGrad(f)),
      tf.mul(tf.mul(dcTotal, i), tf.sub(1, tf.square(g))),
      tf.mul(tf.mul(dh, tanhC), sigmoidGrad(o)),
    ],
    1,
  ) as tf.Tensor2D
  return { dGates, dcPrev: tf.mul(dcTotal, f) as tf.Tensor2D }
}

/**
 * One LSTM layer: gates in the order input, forget, cell, output (Keras's), with the forget gate's bias
 * starting at 1 so that early training remembers rather than forgets. With `oneKernelCell`, its cell runs
 * as one kernel, and its backward pass as another, where the backend has them (lstmCell.ts), a few units
 * in the last place from the ops' values: a sampling model's layers do so, while the paper's keep the ops, whose values its checkpoints
 * have always given.
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
    private readonly oneKernelCell = false,
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

  /** The input's contribution to the gates, with the bias: [rows, 4 * units]. */
  project(input: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(input, this.kernel), this.bias)
  }

  /** One step; `projected` is `project(input)`, possibly computed for many steps at once. */
  forwardStep(
    input: tf.Tensor2D,
    projected: tf.Tensor2D,
    state: LstmState,
  ): { state: LstmState; cache: StepCache } {
    return tf.tidy(() => {
      const { h, c, activations } = this.cell(projected, state, true)
      return { state: { h, c }, cache: { input, hPrev: state.h, cPrev: state.c, ...activations! } }
    })
  }

  /** `forwardStep` where no backward pass follows: the next state only. */
  nextState(projected: tf.Tensor2D, state: LstmState): LstmState {
    return tf.tidy(() => {
      const { h, c } = this.cell(projected, state, false)
      return { h, c }
    })
  }

  /**
   * The cell's next state and activations from the input's projection and the previous state: in one kernel
   * where this layer and the backend can.
   */
  private cell(projected: tf.Tensor2D, state: LstmState, withActivations: boolean): CellResults {
    const recurrent = tf.matMul(state.h, this.recurrentKernel) as tf.Tensor2D
    if (this.oneKernelCell && hasLstmCellKernel()) {
      return lstmCell(projected, recurrent, state.c, withActivations)
    }
    const gates = tf.add(projected, recurrent)
    const [iRaw, fRaw, gRaw, oRaw] = tf.split(gates, 4, 1) as tf.Tensor2D[]
    const [i, f, o] = [tf.sigmoid(iRaw), tf.sigmoid(fRaw), tf.sigmoid(oRaw)]
    const g = tf.tanh(gRaw)
    const c = tf.add(tf.mul(f, state.c), tf.mul(i, g)) as tf.Tensor2D
    const tanhC = tf.tanh(c)
    const h = tf.mul(o, tanhC) as tf.Tensor2D
    return { h, c, activations: { i, f, g, o, tanhC } }
  }

  transposed(): TransposedWeights {
    return {
      kernel: tf.transpose(this.kernel) as tf.Tensor2D,
      recurrentKernel: tf.transpose(this.recurrentKernel) as tf.Tensor2D,
    }
  }

  /**
   * Back through one step, given the gradients arriving at its h and c, short of the input's gradient: a
   * layer whose inputs are known in advance gets that for all steps at once (`sequence`).
   */
  gateGradients(
    cache: StepCache,
    dh: tf.Tensor2D,
    dc: tf.Tensor2D,
    weights: TransposedWeights,
  ): GateGradients {
    return tf.tidy(() => {
      const { dGates, dcPrev } =
        this.oneKernelCell && hasLstmCellKernel()
          ? lstmCellGradients(dh, dc, cache.cPrev, cache)
          : cellGradientOps(cache, dh, dc)
      return { dhPrev: tf.matMul(dGates, weights.recurrentKernel) as tf.Tensor2D, dcPrev, dGates }
    })
  }

  /** Back through one step, the input's gradient included. */
  backwardStep(
    cache: StepCache,
    dh: tf.Tensor2D,
    dc: tf.Tensor2D,
    weights: TransposedWeights,
  ): StepGradients {
    const step = this.gateGradients(cache, dh, dc, weights)
    return { ...step, dInput: tf.matMul(step.dGates, weights.kernel) as tf.Tensor2D }
  }

  /**
   * Weight gradients summed over all steps, one matMul each, in `namedVariables` order. `allGates` is every
   * step's gate gradient, [steps * batch, 4 * units], in the order of `caches`; `oneHot`, where the inputs
   * are one-hot rows, says where their ones are, in the same order.
   */
  weightGradients(caches: readonly StepCache[], allGates: tf.Tensor2D, oneHot?: OneHotRows): tf.Tensor[] {
    return tf.tidy(() => {
      const rows = (tensors: tf.Tensor2D[]) => tf.concat(tensors, 0)
      const [inputSize, gateWidth] = this.kernel.shape
      const kernelGradient = oneHot
        ? tf.tensor2d(sumByColumn(allGates.dataSync() as Float32Array, gateWidth, oneHot, inputSize), [
            inputSize,
            gateWidth,
          ])
        : tf.matMul(transposeRows(rows(caches.map((cache) => cache.input))), allGates)
      return [
        kernelGradient,
        tf.matMul(transposeRows(rows(caches.map((cache) => cache.hPrev))), allGates),
        columnSums(allGates),
      ]
    })
  }

  /**
   * The whole sequence [batch, time, inputSize] to outputs [batch, time, units], differentiable with respect
   * to what `gradients` names: the weights, the inputs or both. D's own step and G's pretraining need no
   * gradient of their first layer's input, which is data; G's adversarial step needs D's input gradient
   * only. `reverse` reads the sequence backwards (the backward half of a bidirectional layer) and returns
   * outputs in forward order. Where the inputs are one-hot rows and `oneHot` says where their ones are (in
   * [batch, time] order), the input's products with the kernel are sums of its rows (oneHotRows.ts).
   */
  sequence(
    inputs: tf.Tensor3D,
    reverse = false,
    gradients: SequenceGradients = BOTH,
    oneHot?: OneHotRows,
  ): tf.Tensor3D {
    const [batch, time, inputSize] = inputs.shape
    const order = Array.from({ length: time }, (_, k) => (reverse ? time - 1 - k : k))
    const recurrence = tf.customGrad((...args) => {
      const save = args[args.length - 1] as tf.GradSaveFunc
      const rows = tf.reshape(inputs, [batch * time, inputSize]) as tf.Tensor2D
      const projectedRows = oneHot ? tf.add(oneHotMatMul(oneHot, this.kernel), this.bias) : this.project(rows)
      const projected = unstackTime(projectedRows.reshape([batch, time, 4 * this.units]))
      const steps = unstackTime(inputs)
      const caches = new Array<StepCache>(time)
      const outputs = new Array<tf.Tensor2D>(time)
      let state = this.zeroState(batch)
      for (const t of order) {
        const step = this.forwardStep(steps[t], projected[t], state)
        caches[t] = step.cache
        state = step.state
        outputs[t] = state.h
      }
      save(packCaches(caches))

      const gradFunc = (dy: tf.Tensor3D, saved: tf.Tensor[]): tf.Tensor[] => {
        const cached = unpackCaches(saved, time)
        const dOutputs = unstackTime(dy)
        const weights = this.transposed()
        const dGates = new Array<tf.Tensor2D>(time)
        let dhNext: tf.Tensor2D = tf.zeros([batch, this.units])
        let dcNext: tf.Tensor2D = tf.zeros([batch, this.units])
        for (const t of [...order].reverse()) {
          const step = this.gateGradients(cached[t], tf.add(dOutputs[t], dhNext), dcNext, weights)
          ;({ dhPrev: dhNext, dcPrev: dcNext } = step)
          dGates[t] = step.dGates
        }
        const allGates = tf.concat(dGates, 0) // time-major rows
        const dInputs = () =>
          tf.transpose(tf.reshape(tf.matMul(allGates, weights.kernel), [time, batch, inputSize]), [1, 0, 2])
        return [
          ...(gradients.input ? [dInputs()] : []),
          ...(gradients.weights
            ? this.weightGradients(cached, allGates, oneHot && timeMajor(oneHot, batch, time))
            : []),
        ]
      }
      return { value: tf.stack(outputs, 1) as tf.Tensor3D, gradFunc }
    })
    // Only what is passed in here gets a gradient; `inputs` is read by the closure either way.
    return recurrence(
      ...(gradients.input ? [inputs] : []),
      ...(gradients.weights ? [this.kernel, this.recurrentKernel, this.bias] : []),
    ) as tf.Tensor3D
  }
}
