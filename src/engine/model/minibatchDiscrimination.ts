// Node (engine). Minibatch discrimination (Salimans et al. 2016, as C-RNN-GAN's D uses it, paper sec. 2):
// at every step each sequence's features f [A] are projected by a learned tensor T [A, B·C] to B rows of C,
// M; for kernel b, c_b(i, j) = exp(-||M_i,b - M_j,b||_L1), and o(i)_b = sum over j of c_b(i, j). A batch of
// a G that plays the same thing for every noise has large o, which D learns to tell from real batches.
import * as tf from '@tensorflow/tfjs'
import { glorotVariable, type NamedVariable } from './lstm'

/** Kernels B and their dimension C: small, for the pairwise differences cost batch² × steps × B·C. */
export const MINIBATCH_KERNELS = 8
export const MINIBATCH_KERNEL_SIZE = 4

export class MinibatchDiscrimination {
  readonly kernel: tf.Variable

  constructor(
    readonly name: string,
    inputSize: number,
    seed: number,
  ) {
    this.kernel = glorotVariable([inputSize, MINIBATCH_KERNELS * MINIBATCH_KERNEL_SIZE], seed)
  }

  get namedVariables(): NamedVariable[] {
    return [[`${this.name}/kernel`, this.kernel]]
  }

  /**
   * o for each sequence and step of `features` [batch, time, A], [batch, time, B]. The batch is `parts`
   * equal groups (real and generated sequences judged in one pass) and each sequence is compared with those
   * of its own group only, as Salimans et al. compute the features apart for real and generated samples.
   */
  apply(features: tf.Tensor3D, parts = 1): tf.Tensor3D {
    const [batch, time, size] = features.shape
    const width = MINIBATCH_KERNELS * MINIBATCH_KERNEL_SIZE
    const rows = tf.reshape(tf.matMul(tf.reshape(features, [batch * time, size]), this.kernel), [
      batch,
      time,
      width,
    ])
    const n = batch / parts
    // Sliced rather than split: TensorFlow.js's gradient of this split fails (SplitV's concat of none).
    const groups = Array.from({ length: parts }, (_, part) =>
      alikeness(tf.slice(rows, [part * n, 0, 0], [n, time, width]) as tf.Tensor3D),
    )
    return tf.concat(groups, 0) as tf.Tensor3D
  }
}

/** Values a piece of the pairs' work holds at once: the pairs of a few rows, about 16 MB. */
const PAIR_VALUES_AT_ONCE = 4 * 1024 * 1024

/** M_i - M_j for each of rows [i, i + count) of `m` [n, time, B·C] and every row j: [count, n, time, B, C]. */
function pairDifferences(m: tf.Tensor3D, i: number, count: number): tf.Tensor {
  const [n, time] = m.shape
  const rows = tf.slice(m, [i, 0, 0], [count, -1, -1])
  const difference = tf.sub(tf.expandDims(rows, 1), tf.expandDims(m, 0))
  return tf.reshape(difference, [count, n, time, MINIBATCH_KERNELS, MINIBATCH_KERNEL_SIZE])
}

/**
 * o [n, time, B] of the rows `m` [n, time, B·C] of one group: for each row i and kernel b, the sum over rows
 * j of exp(-||M_i,b - M_j,b||_L1). Every pair's difference at once is [n, n, time, B, C], 134 MB at a batch
 * of 128 and 64 steps, and TensorFlow.js's own gradient keeps several such tensors: more than WebAssembly's
 * memory holds beside the rest of the step. So both passes take a few rows at a time, and the gradient
 * recomputes the pairs rather than keeping them.
 */
const alikeness = tf.customGrad((...args) => {
  const m = args[0] as tf.Tensor3D
  const save = args[1] as tf.GradSaveFunc
  const [n, time, width] = m.shape
  const rowsAtOnce = Math.max(1, Math.floor(PAIR_VALUES_AT_ONCE / (n * time * width)))
  const pieces = Array.from({ length: Math.ceil(n / rowsAtOnce) }, (_, k) => [
    k * rowsAtOnce,
    Math.min(rowsAtOnce, n - k * rowsAtOnce),
  ])
  const closeness = (differences: tf.Tensor) => tf.exp(tf.neg(tf.sum(tf.abs(differences), 4)))
  save([m])
  const value = tf.concat(
    pieces.map(([i, count]) => tf.tidy(() => tf.sum(closeness(pairDifferences(m, i, count)), 1))),
    0,
  )
  // d o_i / d M_k summed with dy: with c_ij = c_ji, -sum over j of (dy_k + dy_j) c_kj sign(M_k - M_j).
  const gradFunc = (dy: tf.Tensor, [saved]: tf.Tensor[]) =>
    tf.concat(
      pieces.map(([i, count]) =>
        tf.tidy(() => {
          const differences = pairDifferences(saved as tf.Tensor3D, i, count)
          const rowsDy = tf.slice(dy, [i, 0, 0], [count, -1, -1])
          const weights = tf.mul(
            tf.add(tf.expandDims(rowsDy, 1), tf.expandDims(dy, 0)),
            closeness(differences),
          )
          const gradient = tf.neg(tf.sum(tf.mul(tf.expandDims(weights, 4), tf.sign(differences)), 1))
          return tf.reshape(gradient, [count, time, width])
        }),
      ),
      0,
    )
  return { value: value as tf.Tensor3D, gradFunc }
})
