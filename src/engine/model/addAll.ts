// Node (engine). Sums of many tensors. TensorFlow.js's WebGPU addN binds each input as a storage buffer
// of one shader, and WebGPU allows 8 of them per shader unless a device asks for more; the engine's sums
// (an L2 penalty over D's 14 weights, a global norm over as many gradients, a cross-entropy over 12
// groups) have more, and its pipeline fails to build. Added one at a time they work everywhere, and give
// the same float32 values as addN does on the CPU backends, which also add the inputs in order.
import * as tf from '@tensorflow/tfjs'

export function addAll<T extends tf.Tensor>(tensors: readonly T[]): T {
  return tensors.slice(1).reduce((sum, tensor) => tf.add(sum, tensor), tensors[0])
}
