// Node (engine). A sampling generator's generation on a backend whose values can be read synchronously
// (readValues.ts). Each step's draw is made on the CPU from its logits read back (groupDraw.ts), and the
// work around it with as few tensor ops a step as it takes, since for one variation a step's ops cost more
// in dispatch than in arithmetic:
// - layer 0's input is [noise, previous draw]. The draw's product with its kernel rows is the sum of the
//   rows its ones pick (oneHotRows.ts), not a matMul that reads the whole kernel (those rows are 40 times
//   the noise's); the noise's product is one matMul for many steps, read back, and the row sums start from
//   it, so that a step's projection is one upload.
// - The Gumbel perturbation is read once and added to each step's logits as they are read.
// - The drawn one-hots and the logits are kept as values and uploaded once at the end.
// - A meter model's metric position (metricPosition.ts) follows the draws on the CPU, and its ones join the
//   draw's in the row sums.
// The perturbed logits are stored in a Float32Array, which rounds each sum as the backend's float32 Add
// does: the draws are those that adding the tensors would give.
import * as tf from '@tensorflow/tfjs'
import type { RowRules } from './drawRules'
import { drawnClasses } from './groupDraw'
import type { LstmLayer } from './lstm'
import { deltaClassesOf, METER_GROUPS, METER_WIDTH, type MeterClock } from './metricPosition'
import { OneHotKernel, type OneHotRows } from './oneHotRows'

/** Steps whose noise goes through layer 0's kernel in one matMul, its products kept as values until used. */
const PROJECTED_STEPS = 64

export class DrawnGeneration {
  private readonly batch: number
  private readonly time: number
  private readonly width: number
  private readonly gateWidth: number
  private readonly noiseKernel: tf.Tensor2D
  private readonly feedbackKernel: tf.Tensor2D
  /** The feedback kernel, placed for the sums of its rows that each fed-back draw picks. */
  private readonly feedbackRows: OneHotKernel
  /** The draws' perturbation, the emitted one-hots and the logits: [batch, time, width] each. */
  private readonly perturbation: Float32Array
  private readonly emitted: Float32Array
  private readonly logits: Float32Array
  /** A step's logits plus their perturbation, [batch, width]: the values drawn from. */
  private readonly perturbed: Float32Array
  /** Each drawn step's ones, which the next step's projection adds up. */
  private readonly drawnOnes: OneHotRows[] = []
  /** Layer 0's noise projections, bias included, of the current block of steps: [steps, batch, gateWidth]. */
  private projected: Float32Array = new Float32Array(0)

  /**
   * For `layer` (G's first) generating from `inputNoise` [batch, time, noise] (the noise G reads) and
   * `perturbation` [batch, time, width] (the draws' scaled Gumbel noise), its draws under `rules` where
   * given (with their fixed exclusions `fixed` [width], drawRules.ts), and a meter model's metric positions
   * on `meter`. Its tensors live in the caller's tf.tidy.
   */
  constructor(
    private readonly layer: LstmLayer,
    private readonly inputNoise: tf.Tensor3D,
    perturbation: tf.Tensor3D,
    private readonly rules?: RowRules,
    private readonly meter?: MeterClock,
    private readonly fixed?: Float32Array | null,
  ) {
    const noiseWidth = inputNoise.shape[2]
    const [inputWidth, gateWidth] = layer.kernel.shape
    ;[this.batch, this.time, this.width] = perturbation.shape
    this.gateWidth = gateWidth
    this.noiseKernel = tf.slice(layer.kernel, [0, 0], [noiseWidth, gateWidth]) as tf.Tensor2D
    this.feedbackKernel = tf.slice(
      layer.kernel,
      [noiseWidth, 0],
      [inputWidth - noiseWidth, gateWidth],
    ) as tf.Tensor2D
    this.feedbackRows = new OneHotKernel(this.feedbackKernel.dataSync() as Float32Array, gateWidth)
    this.perturbation = perturbation.dataSync() as Float32Array
    this.emitted = new Float32Array(this.perturbation.length)
    this.logits = new Float32Array(this.perturbation.length)
    this.perturbed = new Float32Array(this.batch * this.width)
  }

  /**
   * Layer 0's projection at step `t`, whose previous output is nothing at step 0, else `teacherStep` where
   * given, else step t - 1's draw. Asked for every step in turn, from 0. Its values may be a view that the
   * next step's overwrites (TensorFlow.js's CPU backend keeps such a view): the step is done with it by then.
   */
  project(t: number, teacherStep?: tf.Tensor2D): tf.Tensor2D {
    const shape: [number, number] = [this.batch, this.gateWidth]
    const noise = this.noiseProjection(t)
    const { meter } = this
    if (t === 0)
      return tf.tensor2d(meter ? this.feedbackRows.times(this.withPositions(t), noise) : noise, shape)
    if (teacherStep) {
      this.rules?.followOneHot(teacherStep.dataSync() as Float32Array)
      const fed = meter ? tf.concat([teacherStep, this.positionsOneHot(t)], 1) : teacherStep
      return tf.add(tf.tensor2d(noise, shape), tf.matMul(fed, this.feedbackKernel))
    }
    return tf.tensor2d(this.feedbackRows.times(this.withPositions(t, this.drawnOnes[t - 1]), noise), shape)
  }

  /** The ones fed at step `t`: step t - 1's drawn `ones`, if any, then a meter model's metric position. */
  private withPositions(t: number, ones?: OneHotRows): OneHotRows {
    const { meter, batch, width } = this
    if (!meter) return ones!
    const drawnPerRow = ones?.perRow ?? 0
    const perRow = drawnPerRow + METER_GROUPS
    const columns = new Int32Array(batch * perRow)
    for (let b = 0; b < batch; b++) {
      if (ones) columns.set(ones.columns.subarray(b * drawnPerRow, (b + 1) * drawnPerRow), b * perRow)
      meter.writeColumns(t, b, width, columns, b * perRow + drawnPerRow)
    }
    return { columns, perRow }
  }

  /** Step `t`'s metric positions as one-hot values, [batch, METER_WIDTH]. */
  private positionsOneHot(t: number): tf.Tensor2D {
    const { batch, width } = this
    const oneHot = new Float32Array(batch * METER_WIDTH)
    const { columns } = this.withPositions(t)
    columns.forEach((column, k) => (oneHot[Math.floor(k / METER_GROUPS) * METER_WIDTH + column - width] = 1))
    return tf.tensor2d(oneHot, [batch, METER_WIDTH])
  }

  /**
   * Keeps step `t`'s `logits` [batch, width] and, if it `draws`, draws from them perturbed (the logits kept
   * are those drawn from, rewritten by the rules, but for the fixed exclusions that only the draw adds).
   */
  read(t: number, logits: tf.Tensor2D, draws: boolean): void {
    const { batch, time, width, perturbation } = this
    const values = logits.dataSync() as Float32Array
    for (let b = 0; b < batch; b++) {
      const at = (b * time + t) * width
      this.logits.set(values.subarray(b * width, (b + 1) * width), at)
      if (draws) this.rules?.restrict(this.logits, perturbation, at, b)
    }
    if (!draws) return
    const { perturbed, fixed } = this
    for (let b = 0; b < batch; b++) {
      const at = (b * time + t) * width
      for (let c = 0; c < width; c++) perturbed[b * width + c] = this.logits[at + c] + perturbation[at + c]
      if (fixed) for (let c = 0; c < width; c++) perturbed[b * width + c] += fixed[c]
    }
    const ones = drawnClasses(perturbed, width)
    for (let b = 0; b < batch; b++) {
      const at = (b * time + t) * width
      for (let k = b * ones.perRow; k < (b + 1) * ones.perRow; k++) this.emitted[at + ones.columns[k]] = 1
      this.rules?.followDrawn(b, ones)
      this.meter?.advance(t, b, deltaClassesOf(ones.columns.subarray(b * ones.perRow, (b + 1) * ones.perRow)))
    }
    this.drawnOnes[t] = ones
  }

  /** The generation's draws as one-hots (zeros at steps that did not draw) and its logits. */
  result(): { emitted: tf.Tensor3D; logits: tf.Tensor3D } {
    const shape: [number, number, number] = [this.batch, this.time, this.width]
    return { emitted: tf.tensor3d(this.emitted, shape), logits: tf.tensor3d(this.logits, shape) }
  }

  /** Step `t`'s noise through layer 0's kernel, plus its bias: [batch, gateWidth]. */
  private noiseProjection(t: number): Float32Array {
    const { batch, gateWidth } = this
    const offset = t % PROJECTED_STEPS
    if (offset === 0) {
      const steps = Math.min(PROJECTED_STEPS, this.time - t)
      const noiseWidth = this.inputNoise.shape[2]
      const projected = tf.tidy(() => {
        const noise = tf.slice(this.inputNoise, [0, t, 0], [batch, steps, noiseWidth])
        const rows = tf.reshape(tf.transpose(noise, [1, 0, 2]), [steps * batch, noiseWidth]) as tf.Tensor2D
        return tf.fused.matMul({ a: rows, b: this.noiseKernel, bias: this.layer.bias })
      })
      this.projected = projected.dataSync() as Float32Array
      projected.dispose()
    }
    const size = batch * gateWidth
    return this.projected.subarray(offset * size, (offset + 1) * size)
  }
}
