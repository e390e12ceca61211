// Node (engine). An LSTM cell's activations as one kernel of the WebAssembly backend (lstmCell.wat). As
// TensorFlow.js ops a cell is eleven ops a step: the backend's tanh is a scalar loop (70 µs for [16, 350]
// against 8 µs for its sigmoid), and at a generation's batch sizes each op's dispatch costs more than its
// arithmetic. The kernel copies the gates in (each gate's rows made one array), runs the activations four
// float32s an instruction, and copies the results out.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { LSTM_CELL_WASM } from './lstmCellWasm'

interface LstmCellExports {
  memory: WebAssembly.Memory
  cell(count: number): void
}

/** The kernel's name, as TensorFlow.js's registry knows it. */
const LSTM_CELL = 'LstmCell'
/** The arrays in the module's memory, each `count` float32s (lstmCell.wat), and the first of the results. */
const ARRAYS = 16
const FIRST_OUTPUT = 5
/** h, c and the five activations. */
const RESULTS = 7
const PAGE_BYTES = 65536

let cellModule: LstmCellExports | undefined

/** The module's memory as float32s, grown to at least `length` of them. */
function reserve(length: number): Float32Array {
  cellModule ??= new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(LSTM_CELL_WASM, 'base64')))
    .exports as unknown as LstmCellExports
  const { memory } = cellModule
  const missing = length * Float32Array.BYTES_PER_ELEMENT - memory.buffer.byteLength
  if (missing > 0) memory.grow(Math.ceil(missing / PAGE_BYTES))
  return new Float32Array(memory.buffer, 0, length)
}

type KernelArguments = Parameters<tf.KernelFunc>[0]

function lstmCellKernel({ inputs, attrs, backend }: KernelArguments): tf.TensorInfo[] {
  const wasm = backend as BackendWasm
  const { gates, c } = inputs as { gates: tf.TensorInfo; c: tf.TensorInfo }
  const [rows, units] = c.shape
  const size = rows * units
  // A multiple of 4, so that each array starts on a SIMD value.
  const count = Math.ceil(size / 4) * 4
  const memory = reserve(ARRAYS * count)
  const gateRows = wasm.typedArrayFromHeap(gates) as Float32Array
  for (let row = 0; row < rows; row++) {
    for (let gate = 0; gate < 4; gate++) {
      const from = (row * 4 + gate) * units
      memory.set(gateRows.subarray(from, from + units), gate * count + row * units)
    }
  }
  memory.set(wasm.typedArrayFromHeap(c) as Float32Array, 4 * count)
  cellModule!.cell(count)
  const outputCount = (attrs as { withActivations: boolean }).withActivations ? RESULTS : 2
  const outputs = Array.from({ length: outputCount }, () => wasm.makeOutput([rows, units], 'float32'))
  // Views are taken after the outputs are allocated, which may grow (and so move) the backend's memory.
  outputs.forEach((output, k) => {
    const at = (FIRST_OUTPUT + k) * count
    ;(wasm.typedArrayFromHeap(output) as Float32Array).set(memory.subarray(at, at + size))
  })
  return outputs
}

let registered = false

/** Registers the cell's kernel with the WebAssembly backend. */
export function registerLstmCell(): void {
  if (registered) return
  registered = true
  tf.registerKernel({ kernelName: LSTM_CELL, backendName: 'wasm', kernelFunc: lstmCellKernel })
}

/** Whether the current backend runs the cell as one kernel. */
export function hasLstmCellKernel(): boolean {
  return tf.getBackend() === 'wasm'
}

/** The cell's results, from its gates' pre-activations (Keras's order) and the previous cell state. */
export interface CellResults {
  h: tf.Tensor2D
  c: tf.Tensor2D
  /** The activations a backward pass needs, where asked for. */
  activations?: { i: tf.Tensor2D; f: tf.Tensor2D; g: tf.Tensor2D; o: tf.Tensor2D; tanhC: tf.Tensor2D }
}

/** The cell on `gates` [rows, 4 * units] and `c` [rows, units], in one kernel (hasLstmCellKernel()). */
export function lstmCell(gates: tf.Tensor2D, c: tf.Tensor2D, withActivations: boolean): CellResults {
  const [h, nextC, i, f, g, o, tanhC] = tf
    .engine()
    .runKernel(LSTM_CELL, { gates, c }, { withActivations }) as tf.Tensor2D[]
  return { h, c: nextC, ...(withActivations && { activations: { i, f, g, o, tanhC } }) }
}
