// Node (engine). An LSTM cell as one kernel of the WebAssembly backend (lstmCell.wat). As TensorFlow.js ops a
// cell is a dozen ops a step: the backend's tanh is a scalar loop (70 µs for [16, 350] against 8 µs for its
// sigmoid), and at a generation's batch sizes each op's dispatch costs more than its arithmetic. The kernel
// copies its inputs in (each gate's rows made one array), adds the projections and runs the activations
// four float32s an instruction, and copies the results out. The cell's backward pass is a kernel too, in
// JavaScript on the backend's memory.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { LSTM_CELL_WASM } from './lstmCellWasm'
import { WasmInstance } from './wasmInstance'

interface LstmCellExports {
  cell(count: number): void
}

/** The kernel's name, as TensorFlow.js's registry knows it. */
const LSTM_CELL = 'LstmCell'
/** The arrays in the module's memory, each `count` float32s (lstmCell.wat): where each input and result is. */
const ARRAYS = 16
const PROJECTED = 0
const PREVIOUS_C = 4
const RESULTS = 5
const RECURRENT = 12
/** How many results are asked for: h and c, or those and the five activations a backward pass needs. */
const STATE_RESULTS = 2
const ALL_RESULTS = 7

let instance: WasmInstance<LstmCellExports> | undefined

const lstmCellKernel: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const wasm = backend as BackendWasm
  const { projected, recurrent, c } = inputs as Record<string, tf.TensorInfo>
  const [rows, units] = c.shape
  const size = rows * units
  // A multiple of 4, so that each array starts on a SIMD value.
  const count = Math.ceil(size / 4) * 4
  instance ??= new WasmInstance<LstmCellExports>(LSTM_CELL_WASM)
  const memory = instance.floats(ARRAYS * count)
  for (const [input, first] of [
    [projected, PROJECTED],
    [recurrent, RECURRENT],
  ] as const) {
    const gateRows = wasm.typedArrayFromHeap(input) as Float32Array
    for (let row = 0; row < rows; row++) {
      for (let gate = 0; gate < 4; gate++) {
        const from = (row * 4 + gate) * units
        memory.set(gateRows.subarray(from, from + units), (first + gate) * count + row * units)
      }
    }
  }
  memory.set(wasm.typedArrayFromHeap(c) as Float32Array, PREVIOUS_C * count)
  instance.exports.cell(count)
  const resultCount = (attrs as { withActivations: boolean }).withActivations ? ALL_RESULTS : STATE_RESULTS
  const results = Array.from({ length: resultCount }, () => wasm.makeOutput([rows, units], 'float32'))
  // Views are taken after the results are allocated, which may grow (and so move) the backend's memory.
  results.forEach((result, k) => {
    const at = (RESULTS + k) * count
    ;(wasm.typedArrayFromHeap(result) as Float32Array).set(memory.subarray(at, at + size))
  })
  return results
}

/** The kernel, for the WebAssembly backend's registry. */
export const LSTM_CELL_KERNEL: tf.KernelConfig = {
  kernelName: LSTM_CELL,
  backendName: 'wasm',
  kernelFunc: lstmCellKernel,
}

/** The backward pass's kernel's name. */
const LSTM_CELL_GRADIENTS = 'LstmCellGradients'

/**
 * Back through one cell, from the gradients at its h and c and the forward pass's activations: the gradients
 * of the gates' pre-activations [rows, 4 * units] and of the previous c. In JavaScript on the backend's
 * memory, which needs no copies: as ops it was a dozen a step and a join of the gates, about 4 times slower.
 */
const lstmCellGradientsKernel: tf.KernelFunc = ({ inputs, backend }) => {
  const wasm = backend as BackendWasm
  const { dh, dc, cPrev, i, f, g, o, tanhC } = inputs as Record<string, tf.TensorInfo>
  const [rows, units] = dh.shape
  const results = [wasm.makeOutput([rows, 4 * units], 'float32'), wasm.makeOutput([rows, units], 'float32')]
  // Views are taken after the results are allocated, as above.
  const [dH, dC, C, I, F, G, O, T, dGates, dcPrev] = [dh, dc, cPrev, i, f, g, o, tanhC, ...results].map(
    (tensor) => wasm.typedArrayFromHeap(tensor) as Float32Array,
  )
  for (let row = 0; row < rows; row++) {
    const gates = row * 4 * units
    for (let u = 0, at = row * units; u < units; u++, at++) {
      const dcTotal = dC[at] + dH[at] * O[at] * (1 - T[at] * T[at])
      dGates[gates + u] = dcTotal * G[at] * I[at] * (1 - I[at])
      dGates[gates + units + u] = dcTotal * C[at] * F[at] * (1 - F[at])
      dGates[gates + 2 * units + u] = dcTotal * I[at] * (1 - G[at] * G[at])
      dGates[gates + 3 * units + u] = dH[at] * T[at] * O[at] * (1 - O[at])
      dcPrev[at] = dcTotal * F[at]
    }
  }
  return results
}

export const LSTM_CELL_GRADIENTS_KERNEL: tf.KernelConfig = {
  kernelName: LSTM_CELL_GRADIENTS,
  backendName: 'wasm',
  kernelFunc: lstmCellGradientsKernel,
}

/** Whether the current backend runs the cell, and its backward pass, as one kernel each. */
export function hasLstmCellKernel(): boolean {
  return [LSTM_CELL, LSTM_CELL_GRADIENTS].every((name) => tf.getKernel(name, tf.getBackend()) !== undefined)
}

/** The cell's next state and, where asked for, the activations a backward pass needs. */
export interface CellResults {
  h: tf.Tensor2D
  c: tf.Tensor2D
  activations?: { i: tf.Tensor2D; f: tf.Tensor2D; g: tf.Tensor2D; o: tf.Tensor2D; tanhC: tf.Tensor2D }
}

/**
 * The cell in one kernel (hasLstmCellKernel()), from its gates' input and recurrent projections [rows,
 * 4 * units] each (Keras's gate order) and the previous cell state `c` [rows, units].
 */
export function lstmCell(
  projected: tf.Tensor2D,
  recurrent: tf.Tensor2D,
  c: tf.Tensor2D,
  withActivations: boolean,
): CellResults {
  const [h, nextC, i, f, g, o, tanhC] = tf
    .engine()
    .runKernel(LSTM_CELL, { projected, recurrent, c }, { withActivations }) as tf.Tensor2D[]
  return { h, c: nextC, ...(withActivations && { activations: { i, f, g, o, tanhC } }) }
}

/**
 * Back through the cell in one kernel (hasLstmCellKernel()), given the gradients at its h and c [rows,
 * units], its previous c and its activations: the gradients of the gates' pre-activations [rows, 4 * units]
 * and of the previous c.
 */
export function lstmCellGradients(
  dh: tf.Tensor2D,
  dc: tf.Tensor2D,
  cPrev: tf.Tensor2D,
  { i, f, g, o, tanhC }: NonNullable<CellResults['activations']>,
): { dGates: tf.Tensor2D; dcPrev: tf.Tensor2D } {
  const [dGates, dcPrev] = tf
    .engine()
    .runKernel(LSTM_CELL_GRADIENTS, { dh, dc, cPrev, i, f, g, o, tanhC }) as tf.Tensor2D[]
  return { dGates, dcPrev }
}
