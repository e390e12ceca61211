// Node (engine). Products over many rows whose backward pass is plain matMuls. On WebAssembly TensorFlow.js's
// own gradients are slow for these shapes: a matMul's gradient multiplies with a transposed operand, several
// times slower than transposing first (lstm.ts), and a sum along the rows transposes the whole matrix
// before it sums (140 ms for [8192, 1024], against 1 ms as a matMul with a row of ones). Its transpose of a
// matrix is a plain loop too, 2.3 times slower at [8192, 256] than its transpose of the same values seen as
// three dimensions.
import * as tf from '@tensorflow/tfjs'

/** The sums of the columns of `x` [rows, columns]: one matMul with a row of ones. */
export function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.ones([1, x.shape[0]]), x), [x.shape[1]])
}

/** `x` [rows, columns] transposed: as [parts, rows / parts, columns] where the rows divide evenly. */
export function transposeRows(x: tf.Tensor2D): tf.Tensor2D {
  const [rows, columns] = x.shape
  const parts = rows % 8 === 0 ? 8 : 1
  return tf.reshape(tf.transpose(tf.reshape(x, [parts, rows / parts, columns]), [2, 0, 1]), [columns, rows])
}

/** `x` [rows, in] times `kernel` [in, out] plus `bias` [out], differentiable with respect to all three. */
export function denseRows(x: tf.Tensor2D, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor2D {
  const dense = tf.customGrad((...args) => {
    const [x, kernel, bias] = args as tf.Tensor2D[]
    ;(args[3] as tf.GradSaveFunc)([x, kernel])
    return {
      value: tf.add(tf.matMul(x, kernel), bias) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor2D, [x, kernel]: tf.Tensor[]) => [
        tf.matMul(dy, tf.transpose(kernel)),
        tf.matMul(transposeRows(x as tf.Tensor2D), dy),
        columnSums(dy),
      ],
    }
  })
  return dense(x, kernel, bias)
}
