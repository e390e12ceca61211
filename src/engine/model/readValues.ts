// Node (engine). Reading tensors back into JavaScript. TensorFlow.js's WebGPU backend reads synchronously
// (dataSync) only in a browser, through an OffscreenCanvas, which Node lacks: under Node only the
// asynchronous read works there. So the engine reads what it needs asynchronously on every backend, and
// code that would read in the middle of a synchronous computation asks canReadSynchronously() first.
import * as tf from '@tensorflow/tfjs'

/** A tensor's values, read without blocking; the tensor is disposed. */
export async function readValues(tensor: tf.Tensor): Promise<Float32Array> {
  try {
    return (await tensor.data()) as Float32Array
  } finally {
    tensor.dispose()
  }
}

/** Whether dataSync works on the current backend (everywhere but WebGPU under Node). */
export function canReadSynchronously(): boolean {
  return tf.getBackend() !== 'webgpu'
}
