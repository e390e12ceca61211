// Node (engine). TensorFlow.js's WebAssembly backend slices by first copying its whole input out of the
// WebAssembly memory into a fresh array, and then the part asked for back in. An LSTM step splits its gates
// in four, so each split copied the gates four times over and left the copies to the garbage collector
// (367 MB in a generation of 16 variations at the paper's sizes). These kernels copy only the part asked
// for, straight from the memory where the input lies, as the backend's own concat does: the same values,
// moved once.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'

type KernelArguments = Parameters<tf.KernelFunc>[0]

/** `shape` elements of `x` from `start` on, into a new tensor. */
function copyPart(wasm: BackendWasm, x: tf.TensorInfo, start: number[], shape: number[]): tf.TensorInfo {
  const out = wasm.makeOutput(shape, x.dtype)
  // Views are taken after the output is allocated, which may grow (and so move) the memory.
  const from = wasm.typedArrayFromHeap(x)
  const to = wasm.typedArrayFromHeap(out)
  // tf.slice refuses scalars, so there is a last axis, whose runs lie one after another in the input.
  const rank = shape.length
  const strides = tf.util.computeStrides(x.shape)
  const run = shape[rank - 1]
  /** Where the next run of the last axis lies within `shape`, axis by axis but the last. */
  const index = new Array<number>(rank - 1).fill(0)
  for (let written = 0; written < to.length; written += run) {
    let offset = start[rank - 1]
    for (let axis = 0; axis < rank - 1; axis++) offset += (start[axis] + index[axis]) * strides[axis]
    to.set(from.subarray(offset, offset + run), written)
    for (let axis = rank - 2; axis >= 0 && ++index[axis] === shape[axis]; axis--) index[axis] = 0
  }
  return out
}

function slice({ inputs, attrs, backend }: KernelArguments): tf.TensorInfo {
  const x = inputs.x as tf.Tensor
  const { begin, size } = attrs as { begin: number[]; size: number[] }
  const [start, shape] = tf.slice_util.parseSliceParams(x, begin, size)
  return copyPart(backend as BackendWasm, x, start, shape)
}

function splitV({ inputs, attrs, backend }: KernelArguments): tf.TensorInfo[] {
  const x = inputs.x as tf.Tensor
  const { numOrSizeSplits, axis } = attrs as { numOrSizeSplits: number | number[]; axis: number }
  const [along] = tf.util.parseAxisParam(axis, x.shape)
  const start = x.shape.map(() => 0)
  return tf.backend_util.prepareSplitSize(x, numOrSizeSplits, along).map((length) => {
    const shape = x.shape.slice()
    shape[along] = length
    const part = copyPart(backend as BackendWasm, x, start, shape)
    start[along] += length
    return part
  })
}

let registered = false

/** Puts the kernels above in place of the WebAssembly backend's own (whose slice stays for strings). */
export function registerWasmSlices(): void {
  if (registered) return
  registered = true
  const own = { slice: tf.getKernel('Slice', 'wasm')!, splitV: tf.getKernel('SplitV', 'wasm')! }
  tf.unregisterKernel('Slice', 'wasm')
  tf.unregisterKernel('SplitV', 'wasm')
  tf.registerKernel({
    ...own.slice,
    kernelFunc: (args) =>
      (args.inputs.x as tf.TensorInfo).dtype === 'string' ? own.slice.kernelFunc(args) : slice(args),
  })
  // tf.split takes no strings.
  tf.registerKernel({ ...own.splitV, kernelFunc: splitV })
}
