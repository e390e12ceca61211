// Node (engine). A sampling generator's first layer, as generation feeds it: its input is [noise, previous
// output], and the previous output is a drawn one-hot. A matMul over that row reads the whole kernel at
// every step (its feedback rows are 40 times the noise's); the same product is the sum of the kernel rows
// of the drawn columns, which the draw knows already on the CPU (oneHotRows.ts). So only the noise goes
// through a matMul.
import * as tf from '@tensorflow/tfjs'
import type { LstmLayer } from './lstm'
import { sumKernelRows, type OneHotRows } from './oneHotRows'

/** What layer 0 was fed as the previous output: nothing yet, a drawn step's ones, or a teacher's step. */
export type Feedback = null | OneHotRows | tf.Tensor2D

/**
 * Layer 0's projection (`LstmLayer.project` of [noise, previous]) for generation on a backend whose values
 * can be read synchronously. Tensors it makes live in the caller's tf.tidy.
 */
export function drawnFeedbackProjection(
  layer: LstmLayer,
  noiseWidth: number,
): (noise: tf.Tensor2D, previous: Feedback) => tf.Tensor2D {
  const [inputWidth, gateWidth] = layer.kernel.shape
  const noiseKernel = tf.slice(layer.kernel, [0, 0], [noiseWidth, gateWidth]) as tf.Tensor2D
  const feedbackKernel = tf.slice(
    layer.kernel,
    [noiseWidth, 0],
    [inputWidth - noiseWidth, gateWidth],
  ) as tf.Tensor2D
  const feedbackRows = feedbackKernel.dataSync() as Float32Array
  return (noise, previous) => {
    const projected = tf.fused.matMul({ a: noise, b: noiseKernel, bias: layer.bias }) as tf.Tensor2D
    if (previous === null) return projected
    const fed =
      previous instanceof tf.Tensor
        ? tf.matMul(previous, feedbackKernel)
        : tf.tensor2d(sumKernelRows(feedbackRows, gateWidth, previous), [noise.shape[0], gateWidth])
    return tf.add(projected, fed) as tf.Tensor2D
  }
}
