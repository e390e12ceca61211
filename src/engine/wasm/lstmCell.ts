// Node (engine). An LSTM cell as one kernel of the WebAssembly backend (lstmCell.wat). As TensorFlow.js ops a
// cell is a dozen ops a step: the backend's tanh is a scalar loop (70 µs for [16, 350] against 8 µs for its
// sigmoid), and at a generation's batch sizes each op's dispatch costs more than its arithmetic. The kernel
// copies its inputs in (each gate's rows made one array), adds the projections and runs the activations
// four float32s an instruction, and copies the results out.
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

/** Whether the current backend runs the cell as one kernel. */
export function hasLstmCellKernel(): boolean {
  return tf.getKernel(LSTM_CELL, tf.getBackend()) !== undefined
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
