// Node (engine). A sampling generator's output (model.md sec. 2a): each step's tones as one-hot groups of
// classes (toneClasses.ts). Here is what is particular to it: drawing each group's class from perturbed
// logits (on values read back, or on the device), the straight-through gradient of a draw, and the
// cross-entropy that pretraining minimizes. Every function that returns tensors runs inside the caller's
// tf.tidy.
import * as tf from '@tensorflow/tfjs'
import { EXCLUDED } from './drawRules'
import { drawGroups } from './groupDraw'
import { canReadSynchronously } from './readValues'
import { CLASS_COUNTS, GROUP_OFFSETS, TONE_WIDTH } from './toneClasses'

/** For each of a step's `width` one-hot values, `valueOf` its group's feature (FEATURES order). */
export function groupColumns(width: number, valueOf: (feature: number) => number): Float32Array {
  const out = new Float32Array(width)
  for (let at = 0; at < width; at += TONE_WIDTH) {
    CLASS_COUNTS.forEach((count, f) =>
      out.fill(valueOf(f), at + GROUP_OFFSETS[f], at + GROUP_OFFSETS[f] + count),
    )
  }
  return out
}

/** Splits the last axis of [rows, m * TONE_WIDTH] into its one-hot groups, tone by tone. */
function groups(x: tf.Tensor2D): tf.Tensor2D[] {
  const [rows, width] = x.shape
  const parts: tf.Tensor2D[] = []
  for (let at = 0; at < width; at += TONE_WIDTH) {
    let start = at
    for (const count of CLASS_COUNTS) {
      parts.push(tf.slice(x, [0, start], [rows, count]))
      start += count
    }
  }
  return parts
}

interface Drawn {
  oneHot: tf.Tensor2D
  softmax?: tf.Tensor2D
}

/**
 * Each group's largest value as one-hot (the drawn class, when `perturbed` is logits plus Gumbel noise)
 * and, if asked, each group's softmax: on the values read back in one go (groupDraw.ts) or, where values
 * cannot be read back synchronously (WebGPU, readValues.ts), on the device.
 */
export function draw(perturbed: tf.Tensor2D, withSoftmax: boolean): Drawn {
  if (!canReadSynchronously()) return drawOnDevice(perturbed, withSoftmax)
  const [rows, width] = perturbed.shape
  const { oneHot, softmax } = drawGroups(perturbed.dataSync() as Float32Array, width, withSoftmax)
  return {
    oneHot: tf.tensor2d(oneHot, [rows, width]),
    ...(softmax && { softmax: tf.tensor2d(softmax, [rows, width]) }),
  }
}

const LARGEST_GROUP = Math.max(...CLASS_COUNTS)

/**
 * Where each group's classes go when every group is padded to LARGEST_GROUP columns (`toPadded`, with
 * `width` standing for a padding column), and where each of the `width` columns lands there (`fromPadded`).
 */
function paddedLayout(width: number): { toPadded: tf.Tensor1D; fromPadded: tf.Tensor1D } {
  const toPadded: number[] = []
  const fromPadded: number[] = []
  for (let start = 0; start < width;) {
    for (const count of CLASS_COUNTS) {
      for (let c = 0; c < LARGEST_GROUP; c++) {
        if (c < count) fromPadded.push(toPadded.length)
        toPadded.push(c < count ? start + c : width)
      }
      start += count
    }
  }
  return { toPadded: tf.tensor1d(toPadded, 'int32'), fromPadded: tf.tensor1d(fromPadded, 'int32') }
}

/**
 * The draw as a few tensor ops whatever the number of groups: the groups are gathered into rows of equal
 * length (padded far below every value), drawn and softmaxed along that axis, and gathered back.
 */
function drawOnDevice(perturbed: tf.Tensor2D, withSoftmax: boolean): Drawn {
  const [rows, width] = perturbed.shape
  const { toPadded, fromPadded } = paddedLayout(width)
  const padded = tf.reshape(tf.gather(tf.concat([perturbed, tf.fill([rows, 1], EXCLUDED)], 1), toPadded, 1), [
    rows,
    -1,
    LARGEST_GROUP,
  ])
  const unpad = (x: tf.Tensor) => tf.gather(tf.reshape(x, [rows, -1]), fromPadded, 1) as tf.Tensor2D
  return {
    oneHot: unpad(tf.oneHot(tf.argMax(padded, 2), LARGEST_GROUP).toFloat()),
    ...(withSoftmax && { softmax: unpad(tf.softmax(padded)) }),
  }
}

/**
 * A function that gives, for each of a step's values [rows, width], the sum of its group: two matMuls with
 * a [width, groups] matrix that is 1 where a value belongs to a group, rather than a dozen ops per group.
 */
export function groupSums(width: number): (x: tf.Tensor2D) => tf.Tensor2D {
  const groupCount = (width / TONE_WIDTH) * CLASS_COUNTS.length
  const values = new Float32Array(width * groupCount)
  let value = 0
  for (let group = 0; group < groupCount; group++) {
    const count = CLASS_COUNTS[group % CLASS_COUNTS.length]
    for (let c = 0; c < count; c++) values[value++ * groupCount + group] = 1
  }
  const membership = tf.tensor2d(values, [width, groupCount])
  const spread = tf.transpose(membership)
  return (x) => tf.matMul(tf.matMul(x, membership), spread)
}

/**
 * Straight-through Gumbel-softmax: the gradient arriving at a drawn one-hot is passed to the logits as if
 * the draw had been `relaxed`, the softmax of the same perturbed logits (Jang et al. 2017): within each
 * group, s * (dy - sum(dy * s)).
 */
export function straightThrough(
  dOneHot: tf.Tensor2D,
  relaxed: tf.Tensor2D,
  sums: (x: tf.Tensor2D) => tf.Tensor2D,
): tf.Tensor2D {
  return tf.mul(relaxed, tf.sub(dOneHot, sums(tf.mul(dOneHot, relaxed))))
}

/** Which of a step's `width` values is in which of its one-hot groups (tone by tone): [width, groups]. */
function groupMembership(width: number): tf.Tensor2D {
  const features = CLASS_COUNTS.length
  const groupOf = groupColumns(width, (feature) => feature).map(
    (feature, column) => feature + features * Math.floor(column / TONE_WIDTH),
  )
  return tf.oneHot(tf.tensor1d(groupOf, 'int32'), (width / TONE_WIDTH) * features).toFloat() as tf.Tensor2D
}

/**
 * Summed over a sampling G's groups: each group's softmax cross-entropy against one-hot `targets`, averaged
 * over the steps. For a step and group that is log Σ exp(logits) less the target's logit, whose gradient is
 * the softmax less the targets: written out for every group at once, the sums of exps one matMul with the
 * groups' membership, rather than a logSoftmax of each group's slice and a pad of each in its gradient.
 */
export function groupCrossEntropy(logits: tf.Tensor3D, targets: tf.Tensor3D): tf.Scalar {
  const [batch, time, width] = logits.shape
  const rows = batch * time
  const crossEntropy = tf.customGrad((...args) => {
    const x = args[0] as tf.Tensor2D
    const oneHot = tf.reshape(targets, [rows, width])
    const membership = groupMembership(width)
    const spread = tf.transpose(membership)
    // Each group's largest logit is taken out before the exp, so that no group's sum overflows or vanishes;
    // stacked group by group and transposed, as the backend joins columns row by row, 8192 rows slowly.
    const largest = tf.transpose(tf.stack(groups(x).map((group) => tf.max(group, 1))))
    const exps = tf.exp(tf.sub(x, tf.matMul(largest, spread)))
    const sums = tf.matMul(exps, membership)
    ;(args[1] as tf.GradSaveFunc)([exps, sums, spread, oneHot])
    const logSumExps = tf.sum(tf.add(tf.log(sums), largest))
    return {
      value: tf.div(tf.sub(logSumExps, tf.sum(tf.mul(oneHot, x))), rows),
      gradFunc: (dy: tf.Tensor, [exps, sums, spread, oneHot]: tf.Tensor[]) =>
        tf.mul(tf.sub(tf.div(exps, tf.matMul(sums, spread)), oneHot), tf.div(dy, rows)),
    }
  })
  return crossEntropy(tf.reshape(logits, [rows, width])) as tf.Scalar
}
