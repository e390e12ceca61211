// Node (engine). C-RNN-GAN's training steps (model.md sec. 3): next-event pretraining of G, D against G,
// and the adversarial step with freezing, feature matching, label smoothing, L2 and gradient clipping.
// Each step is leak-free: it takes and returns plain numbers and arrays, never live tensors; it reads its
// figures asynchronously once its updates are queued (readValues.ts).
import * as tf from '@tensorflow/tfjs'
import type { CheckpointMeta } from '../../shared/checkpointMeta'
import { adversarialDefaults, type Settings, type TrainingSettings } from '../../shared/modelSettings'
import { Discriminator, Generator, noiseWidth, stepWidth } from './networks'
import { groupCrossEntropy } from './sampledClasses'
import { addAll } from './addAll'
import { oneHotRows, type OneHotRows } from './oneHotRows'
import { canReadSynchronously, readValues } from './readValues'
import { CLASS_COUNTS } from './toneClasses'
import { METER_CLASS_COUNTS, METER_GROUPS, type KnownPositions } from './metricPosition'

/** A training batch's tensors (see CrnnGan.tensors). */
interface Batch {
  real: tf.Tensor3D
  noise: tf.Tensor3D
  positions?: tf.Tensor3D
}

export interface StepInput {
  /** Real sequences as the dataset stores them, [batch x time x storedWidth] row by row (see stepCodec.ts). */
  real: Float32Array
  /** Noise in [0, 1), [batch x time x noiseWidth]. */
  noise: Float32Array
  batch: number
  time: number
}

/** D's loss and G's (as -log D(G(z))) in the last adversarial step: the next step's freezing compares them. */
export type AdversarialLosses = NonNullable<CheckpointMeta['lastAdversarialLosses']>

export interface AdversarialResult {
  /** The loss G minimizes (feature matching or adversarial). */
  generatorLoss: number
  discriminatorLoss: number
  /** Fraction of real and generated sequences D classifies correctly. */
  discriminatorAccuracy: number
  generatorFrozen: boolean
  discriminatorFrozen: boolean
}

const EPSILON = 1e-7
const REAL_LABEL_SMOOTHED = 0.9

function optimizerFor(settings: TrainingSettings, learningRate: number): tf.Optimizer {
  return settings.optimizer === 'adam' ? tf.train.adam(learningRate) : tf.train.sgd(learningRate)
}

/** Sets an optimizer's learning rate: G pretrains at one and fine-tunes at another (adversarialDefaults). */
function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  // Adam reads this field at every update; SGD keeps the rate as a tensor, which its setter makes anew.
  const fields = optimizer as unknown as { learningRate: number; setLearningRate?: (rate: number) => void }
  if (fields.learningRate === rate) return
  if (fields.setLearningRate) fields.setLearningRate(rate)
  else fields.learningRate = rate
}

function l2Penalty(variables: readonly tf.Variable[], weight: number): tf.Scalar {
  return tf.mul(weight, addAll(variables.map((variable) => tf.sum(tf.square(variable))))) as tf.Scalar
}

/** A scalar's value, read asynchronously (see readValues), and the scalar disposed. */
async function readScalar(scalar: tf.Scalar): Promise<number> {
  return (await readValues(scalar))[0]
}

const log = (p: tf.Tensor) => tf.log(tf.clipByValue(p, EPSILON, 1 - EPSILON))

/** Gradients scaled down together so that their global norm is at most `clipNorm`. */
function clipByGlobalNorm(gradients: tf.NamedTensorMap, clipNorm: number): tf.NamedTensorMap {
  return tf.tidy(() => {
    const norm = tf.sqrt(addAll(Object.values(gradients).map((gradient) => tf.sum(tf.square(gradient)))))
    const scale = tf.div(clipNorm, tf.maximum(norm, clipNorm))
    return Object.fromEntries(
      Object.entries(gradients).map(([name, gradient]) => [name, tf.mul(gradient, scale)]),
    )
  })
}

export class CrnnGan {
  readonly generator: Generator
  readonly discriminator: Discriminator
  readonly generatorOptimizer: tf.Optimizer
  readonly discriminatorOptimizer: tf.Optimizer
  readonly width: number
  /** Uniforms per step of noise. */
  readonly noiseWidth: number
  /** Losses of the last adversarial step, for freezing; checkpoints keep them for a resumed run. */
  lastLosses: AdversarialLosses | null = null

  constructor(readonly settings: Settings) {
    const { model, training } = settings
    this.width = stepWidth(model)
    this.noiseWidth = noiseWidth(model)
    this.generator = new Generator(model, training.seed * 7919 + 1)
    this.discriminator = new Discriminator(model, training.seed * 7919 + 5000)
    this.generatorOptimizer = optimizerFor(training, training.generatorLearningRate)
    this.discriminatorOptimizer = optimizerFor(training, training.discriminatorLearningRate)
  }

  /**
   * The real batch as the networks see it (a sampling G's classes as one-hot groups), the noise, and a meter
   * model's metric positions of the real steps, one-hot.
   */
  private tensors({ real, noise, batch, time }: StepInput): Batch {
    const noiseTensor = tf.tensor3d(noise, [batch, time, this.noiseWidth])
    if (this.settings.model.output !== 'sampled') {
      return { real: tf.tensor3d(real, [batch, time, this.width]), noise: noiseTensor }
    }
    const toneColumns = this.settings.model.tonesPerStep * CLASS_COUNTS.length
    const classCount = (k: number) =>
      k < toneColumns ? CLASS_COUNTS[k % CLASS_COUNTS.length] : METER_CLASS_COUNTS[k - toneColumns]
    const [realTensor, positions] = tf.tidy(() => {
      const classes = tf.tensor2d(real, [batch * time, real.length / (batch * time)], 'int32')
      const oneHot = tf.unstack(classes, 1).map((column, k) => tf.oneHot(column, classCount(k)).toFloat())
      const sequence = (groups: tf.Tensor[]) =>
        tf.reshape(tf.concat(groups, 1), [batch, time, -1]) as tf.Tensor3D
      const meter = oneHot.slice(toneColumns)
      return [sequence(oneHot.slice(0, toneColumns)), meter.length > 0 ? sequence(meter) : undefined]
    })
    return { real: realTensor, noise: noiseTensor, positions }
  }

  /** A meter model's metric position of each real sequence's first step, where G starts its own. */
  private startsOf({ real, batch, time }: StepInput): KnownPositions | undefined {
    if (!this.generator.meterWidth) return undefined
    const stored = real.length / (batch * time)
    const classes = new Float32Array(batch * METER_GROUPS)
    for (let b = 0; b < batch; b++) {
      const first = b * time * stored + stored - METER_GROUPS
      classes.set(real.subarray(first, first + METER_GROUPS), b * METER_GROUPS)
    }
    return { classes, rows: batch, steps: 1 }
  }

  /** What D reads: a sequence and, for a meter model, each step's metric position beside it. */
  private judged(sequence: tf.Tensor3D, positions?: tf.Tensor3D): tf.Tensor3D {
    return positions ? (tf.concat([sequence, positions], 2) as tf.Tensor3D) : sequence
  }

  /**
   * Where a sampling model's ones are in what D reads (`judged`), on backends that read values
   * synchronously: D's first layer then sums kernel rows rather than multiplying (oneHotRows.ts).
   */
  private onesOf(input: tf.Tensor3D): OneHotRows | undefined {
    if (!this.generator.sampling || !canReadSynchronously()) return undefined
    const { tonesPerStep, meter } = this.settings.model
    const perRow = tonesPerStep * CLASS_COUNTS.length + (meter ? METER_GROUPS : 0)
    return oneHotRows(input.dataSync() as Float32Array, input.shape[2], perRow)
  }

  /**
   * Evaluates `loss` and, unless `frozen`, updates `variables` to lower it, with L2 and clipping. Returns the
   * loss before the update without the L2 term, so frozen and updated steps report the same quantity.
   */
  private async step(
    optimizer: tf.Optimizer,
    variables: tf.Variable[],
    frozen: boolean,
    loss: () => tf.Scalar,
  ): Promise<number> {
    if (frozen) return readScalar(tf.tidy(loss))
    const { l2, clipNorm } = this.settings.training
    let objective: tf.Scalar | undefined
    const { value, grads } = tf.variableGrads(() => {
      const unregularized = loss()
      objective = tf.keep(unregularized)
      return tf.add(unregularized, l2Penalty(variables, l2)) as tf.Scalar
    }, variables)
    const clipped = clipByGlobalNorm(grads, clipNorm)
    optimizer.applyGradients(clipped)
    tf.dispose([value, grads, clipped])
    return readScalar(objective!)
  }

  /**
   * Pretraining: G predicts each next real event from the previous one (teacher forcing), by squared error,
   * or a sampling G by the cross-entropy of its distributions (summed over a step's values).
   */
  async pretrainGeneratorStep(input: StepInput): Promise<number> {
    const { real, noise, positions } = this.tensors(input)
    setLearningRate(this.generatorOptimizer, this.settings.training.generatorLearningRate)
    const loss = await this.step(this.generatorOptimizer, this.generator.variables, false, () =>
      this.pretrainingLoss(noise, real, positions),
    )
    tf.dispose([real, noise, positions])
    return loss
  }

  /** G's loss at predicting each next real step from the previous one; also the adversarial step's anchor. */
  private pretrainingLoss(noise: tf.Tensor3D, real: tf.Tensor3D, positions?: tf.Tensor3D): tf.Scalar {
    return this.generator.sampling
      ? groupCrossEntropy(this.generator.teacherForcedLogits(noise, real, positions), real)
      : tf.losses.meanSquaredError(real, this.generator.run(noise, real))
  }

  /**
   * D's loss on real and generated sequences (binary cross-entropy, real label 0.9 with smoothing), its
   * accuracy, and its mean features on the real half (for feature matching).
   */
  private discriminatorLoss(
    real: tf.Tensor3D,
    fake: tf.Tensor3D,
  ): { loss: tf.Scalar; accuracy: tf.Scalar; realFeatures: tf.Tensor } {
    const label = this.settings.training.labelSmoothing ? REAL_LABEL_SMOOTHED : 1
    // One pass over both halves: twice the rows per matMul, half the steps.
    const batch = real.shape[0]
    const both = tf.concat([real, fake], 0) as tf.Tensor3D
    const { probability, features } = this.discriminator.run(both, true, this.onesOf(both), 2)
    const [pReal, pFake] = [tf.slice(probability, 0, batch), tf.slice(probability, batch, batch)]
    const realTerm = tf.add(tf.mul(label, log(pReal)), tf.mul(1 - label, log(tf.sub(1, pReal))))
    const loss = tf.mean(tf.neg(tf.add(realTerm, log(tf.sub(1, pFake))))) as tf.Scalar
    const correct = tf.add(tf.sum(tf.greater(pReal, 0.5).toFloat()), tf.sum(tf.less(pFake, 0.5).toFloat()))
    const accuracy = tf.div(correct, 2 * batch) as tf.Scalar
    const realFeatures = tf.mean(tf.slice(features, 0, batch), 0)
    return { loss, accuracy, realFeatures }
  }

  /** D against the current G; used for D pretraining. Returns D's loss and accuracy before the update. */
  async discriminatorStep(input: StepInput): Promise<{ loss: number; accuracy: number }> {
    const { real, noise, positions } = this.tensors(input)
    const pass = tf.tidy(() => this.generator.record(noise, undefined, this.startsOf(input)))
    const [judgedReal, judgedFake] = [this.judged(real, positions), this.judged(pass.output, pass.positions)]
    let accuracy: tf.Scalar | undefined
    const loss = await this.step(this.discriminatorOptimizer, this.discriminator.variables, false, () => {
      const result = this.discriminatorLoss(judgedReal, judgedFake)
      accuracy = tf.keep(result.accuracy)
      return result.loss
    })
    tf.dispose([real, noise, positions, pass.output, pass.positions, ...pass.saved, judgedReal, judgedFake])
    return { loss, accuracy: await readScalar(accuracy!) }
  }

  /**
   * One adversarial step. Freezing (paper sec. 3): D skips its update while its last loss was below
   * `freezeThreshold` of G's, and G likewise. G's loss for that comparison is -log D(G(z)), on the same
   * scale as D's cross-entropy whichever loss G minimizes. G's own loss adds the anchor's weight times its
   * pretraining loss on the real batch, at its fine-tuning learning rate (adversarialDefaults).
   */
  async adversarialStep(input: StepInput): Promise<AdversarialResult> {
    const { freezeThreshold, featureMatching, nonSaturatingLoss } = this.settings.training
    const { anchor, generatorLearningRate } = adversarialDefaults(this.settings)
    setLearningRate(this.generatorOptimizer, generatorLearningRate)
    const last = this.lastLosses
    const discriminatorFrozen = last !== null && last.discriminator < freezeThreshold * last.generator
    const generatorFrozen = last !== null && last.generator < freezeThreshold * last.discriminator
    const { real, noise, positions } = this.tensors(input)
    // G's weights stay as they are until its own half, which differentiates this same pass.
    const pass = tf.tidy(() => this.generator.record(noise, undefined, this.startsOf(input)))
    const [judgedReal, fake] = [this.judged(real, positions), this.judged(pass.output, pass.positions)]

    // G matches the features D had on this real batch in D's own pass, before D's update (as when both
    // updates come from one pass over the batch); a third pass of D would cost a fifth of the step.
    let discriminatorAccuracy: tf.Scalar | undefined
    let realFeatures: tf.Tensor | undefined
    const discriminatorLoss = await this.step(
      this.discriminatorOptimizer,
      this.discriminator.variables,
      discriminatorFrozen,
      () => {
        const result = this.discriminatorLoss(judgedReal, fake)
        discriminatorAccuracy = tf.keep(result.accuracy)
        realFeatures = tf.keep(result.realFeatures)
        return result.loss
      },
    )

    let adversarialLoss: tf.Scalar | undefined
    const fakeOnes = this.onesOf(fake)
    const generatorLoss = await this.step(
      this.generatorOptimizer,
      this.generator.variables,
      generatorFrozen,
      () => {
        const generated = this.judged(this.generator.replay(pass), pass.positions)
        const { probability, features } = this.discriminator.run(generated, false, fakeOnes)
        adversarialLoss = tf.keep(tf.mean(tf.neg(log(probability))) as tf.Scalar)
        const loss = featureMatching
          ? tf.mean(tf.square(tf.sub(realFeatures!, tf.mean(features, 0))))
          : nonSaturatingLoss
            ? tf.mean(tf.neg(log(probability)))
            : tf.mean(log(tf.sub(1, probability)))
        if (anchor === 0) return loss as tf.Scalar
        return tf.add(loss, tf.mul(anchor, this.pretrainingLoss(noise, real, positions))) as tf.Scalar
      },
    )
    tf.dispose([
      real,
      noise,
      positions,
      judgedReal,
      fake,
      pass.output,
      pass.positions,
      ...pass.saved,
      realFeatures!,
    ])

    this.lastLosses = { generator: await readScalar(adversarialLoss!), discriminator: discriminatorLoss }
    return {
      generatorLoss,
      discriminatorLoss,
      discriminatorAccuracy: await readScalar(discriminatorAccuracy!),
      generatorFrozen,
      discriminatorFrozen,
    }
  }

  /**
   * G's output for `noise` [count x time x noiseWidth] (a sampling G's draws as one-hot groups), optionally
   * continuing `primer` [count x steps x width]: the pass generation makes, at temperature 1.
   */
  async generate(
    noise: Float32Array,
    count: number,
    time: number,
    primer?: Float32Array,
    primerSteps = 0,
  ): Promise<Float32Array> {
    const output = tf.tidy(() => {
      const noiseTensor = tf.tensor3d(noise, [count, time, this.noiseWidth])
      const teacher =
        primer && primerSteps > 0 ? tf.tensor3d(primer, [count, primerSteps, this.width]) : undefined
      return this.generator.runWithLogits(noiseTensor, { teacher }).emitted
    })
    return readValues(output)
  }

  dispose(): void {
    this.generator.dispose()
    this.discriminator.dispose()
    this.generatorOptimizer.dispose()
    this.discriminatorOptimizer.dispose()
  }
}
