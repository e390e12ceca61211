// Node (engine). C-RNN-GAN's training steps (model.md sec. 3): next-event pretraining of G, D against G,
// and the adversarial step with freezing, feature matching, label smoothing, L2 and gradient clipping.
// Each step is leak-free: it takes and returns plain numbers and arrays, never live tensors; it reads its
// figures asynchronously once its updates are queued (readValues.ts).
import * as tf from '@tensorflow/tfjs'
import type { CheckpointMeta } from '../../shared/checkpointMeta'
import type { Settings, TrainingSettings } from '../../shared/modelSettings'
import { Discriminator, Generator, groupCrossEntropy, noiseWidth, stepWidth } from './networks'
import { addAll } from './addAll'
import { oneHotRows, type OneHotRows } from './oneHotRows'
import { canReadSynchronously, readValues } from './readValues'
import { CLASS_COUNTS } from './toneClasses'

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

  /** The real batch as the networks see it (a sampling G's classes as one-hot groups), and the noise. */
  private tensors({ real, noise, batch, time }: StepInput): [tf.Tensor3D, tf.Tensor3D] {
    const noiseTensor = tf.tensor3d(noise, [batch, time, this.noiseWidth])
    if (this.settings.model.output !== 'sampled') {
      return [tf.tensor3d(real, [batch, time, this.width]), noiseTensor]
    }
    const realTensor = tf.tidy(() => {
      const classes = tf.tensor2d(real, [batch * time, real.length / (batch * time)], 'int32')
      const oneHot = tf
        .unstack(classes, 1)
        .map((column, k) => tf.oneHot(column, CLASS_COUNTS[k % CLASS_COUNTS.length]).toFloat())
      return tf.reshape(tf.concat(oneHot, 1), [batch, time, this.width]) as tf.Tensor3D
    })
    return [realTensor, noiseTensor]
  }

  /**
   * Where a sampling model's one-hot sequence [batch, time, width] has its ones, on backends that read
   * values synchronously: D's first layer then sums kernel rows rather than multiplying (oneHotRows.ts).
   */
  private onesOf(sequence: tf.Tensor3D): OneHotRows | undefined {
    if (!this.generator.sampling || !canReadSynchronously()) return undefined
    const perRow = this.settings.model.tonesPerStep * CLASS_COUNTS.length
    return oneHotRows(sequence.dataSync() as Float32Array, this.width, perRow)
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
    const [real, noise] = this.tensors(input)
    const loss = await this.step(this.generatorOptimizer, this.generator.variables, false, () =>
      this.generator.sampling
        ? groupCrossEntropy(this.generator.teacherForcedLogits(noise, real), real)
        : tf.losses.meanSquaredError(real, this.generator.run(noise, real)),
    )
    tf.dispose([real, noise])
    return loss
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
    const both = tf.concat([real, fake], 0)
    const { probability, features } = this.discriminator.run(both, true, this.onesOf(both))
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
    const [real, noise] = this.tensors(input)
    const fake = tf.tidy(() => this.generator.run(noise))
    let accuracy: tf.Scalar | undefined
    const loss = await this.step(this.discriminatorOptimizer, this.discriminator.variables, false, () => {
      const result = this.discriminatorLoss(real, fake)
      accuracy = tf.keep(result.accuracy)
      return result.loss
    })
    tf.dispose([real, noise, fake])
    return { loss, accuracy: await readScalar(accuracy!) }
  }

  /**
   * One adversarial step. Freezing (paper sec. 3): D skips its update while its last loss was below
   * `freezeThreshold` of G's, and G likewise. G's loss for that comparison is -log D(G(z)), on the same
   * scale as D's cross-entropy whichever loss G minimizes.
   */
  async adversarialStep(input: StepInput): Promise<AdversarialResult> {
    const { freezeThreshold, featureMatching, nonSaturatingLoss } = this.settings.training
    const last = this.lastLosses
    const discriminatorFrozen = last !== null && last.discriminator < freezeThreshold * last.generator
    const generatorFrozen = last !== null && last.generator < freezeThreshold * last.discriminator
    const [real, noise] = this.tensors(input)
    // G's weights stay as they are until its own half, which differentiates this same pass.
    const pass = tf.tidy(() => this.generator.record(noise))
    const fake = pass.output

    // G matches the features D had on this real batch in D's own pass, before D's update (as when both
    // updates come from one pass over the batch); a third pass of D would cost a fifth of the step.
    let discriminatorAccuracy: tf.Scalar | undefined
    let realFeatures: tf.Tensor | undefined
    const discriminatorLoss = await this.step(
      this.discriminatorOptimizer,
      this.discriminator.variables,
      discriminatorFrozen,
      () => {
        const result = this.discriminatorLoss(real, fake)
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
        const { probability, features } = this.discriminator.run(this.generator.replay(pass), false, fakeOnes)
        adversarialLoss = tf.keep(tf.mean(tf.neg(log(probability))) as tf.Scalar)
        if (featureMatching) return tf.mean(tf.square(tf.sub(realFeatures!, tf.mean(features, 0))))
        return nonSaturatingLoss ? tf.mean(tf.neg(log(probability))) : tf.mean(log(tf.sub(1, probability)))
      },
    )
    tf.dispose([real, noise, fake, ...pass.saved, realFeatures!])

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
      return this.generator.runWithLogits(noiseTensor, teacher).emitted
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
