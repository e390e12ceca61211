// Node (engine). TensorFlow.js's WebAssembly backend slices by first copying its whole input out of the
// WebAssembly memory into a fresh array, and then the part asked for back in; its split and unstack do so
// once per part. An LSTM step splits its gates in four, so each split copied the gates four times over and
// left the copies to the garbage collector (367 MB in a generation of 16 variations at the paper's sizes),
// and unstacking a sequence into its steps was quadratic in its length. These kernels copy only the part
// asked for, straight from the memory where the input lies, as the backend's own concat does: the same
// values, moved once.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'

type KernelArguments = Parameters<tf.KernelFunc>[0]

/** `shape` elements of `x` from `start` on, into a new tensor of `outShape` (as many elements). */
function copyPart(
  wasm: BackendWasm,
  x: tf.TensorInfo,
  start: number[],
  shape: number[],
  outShape = shape,
): tf.TensorInfo {
  const out = wasm.makeOutput(outShape, x.dtype)
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

/** tf.unstack: each index along the axis, without it. */
function unpack({ inputs, attrs, backend }: KernelArguments): tf.TensorInfo[] {
  const x = inputs.value as tf.TensorInfo
  const [along] = tf.util.parseAxisParam((attrs as { axis: number }).axis, x.shape)
  const shape = x.shape.map((length, axis) => (axis === along ? 1 : length))
  const outShape = x.shape.filter((_, axis) => axis !== along)
  return Array.from({ length: x.shape[along] }, (_, index) => {
    const start = x.shape.map((_, axis) => (axis === along ? index : 0))
    return copyPart(backend as BackendWasm, x, start, shape, outShape)
  })
}

let registered = false

/** Puts the kernels above in place of the WebAssembly backend's own, which stay for strings. */
export function registerWasmSlices(): void {
  if (registered) return
  registered = true
  const replaced: [kernelName: string, input: string, kernelFunc: tf.KernelFunc][] = [
    ['Slice', 'x', slice],
    ['SplitV', 'x', splitV],
    ['Unpack', 'value', unpack],
  ]
  for (const [kernelName, input, kernelFunc] of replaced) {
    const own = tf.getKernel(kernelName, 'wasm')!
    tf.unregisterKernel(kernelName, 'wasm')
    tf.registerKernel({
      ...own,
      kernelFunc: (args) =>
        (args.inputs[input] as tf.TensorInfo).dtype === 'string' ? own.kernelFunc(args) : kernelFunc(args),
    })
  }
}
