// Node (engine). Gumbel noise, whose sum with logits has its largest value at a draw from their softmax: a
// sampling generator's draws (networks.ts). A generation of 16 variations of 512 steps at the paper's sizes
// perturbs 4 million logits, and the WebAssembly backend's log is a scalar loop (two logs a value: 45 ms of a
// generation), so there the noise is one kernel of the engine's own (gumbel.wat), four values an instruction.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { GUMBEL_WASM } from './gumbelWasm'
import { WasmInstance } from './wasmInstance'

interface GumbelExports {
  gumbel(count: number): void
}

const GUMBEL = 'Gumbel'
/** Uniforms are kept within these, so that both logs stay finite (gumbel.wat keeps the same). */
const LOWEST = 1e-10
const HIGHEST = 1 - 1e-7

let instance: WasmInstance<GumbelExports> | undefined

const gumbelKernel: tf.KernelFunc = ({ inputs, backend }) => {
  const wasm = backend as BackendWasm
  const uniform = inputs.uniform as tf.TensorInfo
  const size = tf.util.sizeFromShape(uniform.shape)
  instance ??= new WasmInstance<GumbelExports>(GUMBEL_WASM)
  // A multiple of 4: the module works four values at a time.
  const values = instance.floats(Math.ceil(size / 4) * 4)
  values.set(wasm.typedArrayFromHeap(uniform) as Float32Array)
  instance.exports.gumbel(values.length)
  const noise = wasm.makeOutput(uniform.shape, 'float32')
  ;(wasm.typedArrayFromHeap(noise) as Float32Array).set(values.subarray(0, size))
  return noise
}

/** The kernel, for the WebAssembly backend's registry. */
export const GUMBEL_KERNEL: tf.KernelConfig = {
  kernelName: GUMBEL,
  backendName: 'wasm',
  kernelFunc: gumbelKernel,
}

/** Gumbel noise from uniforms in [0, 1): -log(-log(u)); one kernel where the backend has it, else ops. */
export function gumbel(uniform: tf.Tensor): tf.Tensor {
  if (tf.getKernel(GUMBEL, tf.getBackend())) return tf.engine().runKernel(GUMBEL, { uniform }) as tf.Tensor
  return tf.neg(tf.log(tf.neg(tf.log(tf.clipByValue(uniform, LOWEST, HIGHEST)))))
}
