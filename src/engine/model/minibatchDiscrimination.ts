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
    const groups = Array.from({ length: parts }, (_, part) => {
      const m = tf.slice(rows, [part * n, 0, 0], [n, time, width])
      // |M_i - M_j| for every pair of the group, [n, n, time, B, C], summed over C.
      const differences = tf.abs(tf.sub(tf.expandDims(m, 1), tf.expandDims(m, 0)))
      const shape = [n, n, time, MINIBATCH_KERNELS, MINIBATCH_KERNEL_SIZE]
      return tf.sum(tf.exp(tf.neg(tf.sum(tf.reshape(differences, shape), 4))), 1)
    })
    return tf.concat(groups, 0) as tf.Tensor3D
  }
}
