// Runs anywhere. Every setting of the model and its training (model.md sec. 2-3), with their ranges, the
// "quick" and "paper" presets, and the schemas that validate them wherever they cross a boundary
// (command line, IPC, checkpoint files).
import { z } from 'zod'

const count = (min: number, max: number) => z.number().int().min(min).max(max)
const rate = z.number().positive().max(10)

/** The shape of the networks; a checkpoint's weights only fit the settings they were trained with. */
export const ModelSettingsSchema = z
  .object({
    /** Tones per time step, `m` (C-RNN-GAN-3 has 3; 1 is plain C-RNN-GAN). */
    tonesPerStep: count(1, 8),
    /** LSTM units per layer in G, and per direction in D. */
    hiddenUnits: count(1, 2048),
    /** LSTM layers in G and in D. */
    layers: count(1, 8),
    /**
     * What G emits per tone: 'continuous', the paper's four regressed values, or 'sampled', a distribution
     * over each value's classes that G draws from (model.md sec. 2a). Defaulted, as checkpoints from before
     * sampling are continuous.
     */
    output: z.enum(['continuous', 'sampled']).default('continuous'),
    /**
     * Whether G and D read each step's metric position, where in the bar its delta counts from (model.md
     * sec. 2b), so that G knows where the beat is. A sampling generator's option; defaulted, as checkpoints
     * from before it have none.
     */
    meter: z.boolean().default(false),
    /**
     * Minibatch discrimination (paper sec. 2; Salimans et al. 2016): D also reads, per step, how alike each
     * sequence is to the others of its batch, so a G that plays one thing for every noise is easy to tell.
     * Optional and off when absent, so checkpoints from before it keep their bytes.
     */
    minibatchDiscrimination: z.boolean().optional(),
  })
  .refine(({ output, meter }) => !meter || output === 'sampled', {
    path: ['meter'],
    message: "the metric position is an option of a sampling generator (output 'sampled')",
  })
export type ModelSettings = z.infer<typeof ModelSettingsSchema>

/** Whether G and D of `a` and `b` have one shape; minibatch discrimination left out is off. */
export function sameModel(a: ModelSettings, b: ModelSettings): boolean {
  const valueOf = (settings: ModelSettings, key: keyof ModelSettings) =>
    key === 'minibatchDiscrimination' ? settings[key] === true : settings[key]
  const keys = Object.keys(ModelSettingsSchema.shape) as (keyof ModelSettings)[]
  return keys.every((key) => valueOf(a, key) === valueOf(b, key))
}

export const TrainingSettingsSchema = z.object({
  /** The only source of randomness: initial weights, shuffling, noise. */
  seed: count(0, 2 ** 31 - 1),
  /** Adversarial epochs. */
  epochs: count(0, 100_000),
  /** Batches per epoch; 0 means one pass over the training sequences. */
  stepsPerEpoch: count(0, 1_000_000),
  batchSize: count(1, 4096),
  /** Time steps per training sequence (the curriculum's final length). */
  sequenceLength: count(2, 4096),
  /** Epochs of next-event pretraining of G, with the sequence length growing from `curriculumStartLength`. */
  pretrainEpochs: count(0, 10_000),
  curriculumStartLength: count(2, 4096),
  /** Epochs of D against the pretrained G before adversarial training. */
  pretrainDiscriminatorEpochs: count(0, 10_000),
  optimizer: z.enum(['adam', 'sgd']),
  generatorLearningRate: rate,
  discriminatorLearningRate: rate,
  /** G matches D's last hidden features on real and generated batches instead of fooling D directly. */
  featureMatching: z.boolean(),
  /** Real label 0.9 instead of 1 for D. */
  labelSmoothing: z.boolean(),
  /** G minimizes -log D(G(z)) instead of log(1 - D(G(z))). */
  nonSaturatingLoss: z.boolean(),
  /** L2 weight regularization on G and D. */
  l2: z.number().min(0).max(1),
  /** Gradients are clipped to this global norm. */
  clipNorm: z.number().positive().max(1e6),
  /** Freezing: skip D's update while its loss is below this fraction of G's, and the reverse for G. */
  freezeThreshold: z.number().min(0).max(1),
  /** Pieces generated after every epoch to listen to and to measure (model.md sec. 5). */
  samplesPerEpoch: count(0, 64),
  /**
   * Fraction of the readable files held out of training, to measure the model on pieces it never saw;
   * defaulted so that checkpoints from before this setting still load.
   */
  holdout: z.number().min(0).max(0.5).default(0),
  /**
   * The anchor: in adversarial steps G's loss adds this weight times its pretraining loss on the real batch
   * (teacher-forced cross-entropy, or squared error for the paper's G), so fine-tuning stays near what
   * pretraining learned; 0 is the paper's loss. Absent: adversarialDefaults. Optional, so that checkpoints
   * from before it keep their bytes.
   */
  anchor: z.number().min(0).max(100).optional(),
  /** G's learning rate in adversarial epochs (fine-tuning); absent: adversarialDefaults. */
  adversarialGeneratorLearningRate: rate.optional(),
})
export type TrainingSettings = z.infer<typeof TrainingSettingsSchema>

/**
 * What G's adversarial epochs use where the settings leave it out. A sampling G fine-tunes its pretrained
 * self: anchored with weight 1, at a learning rate of 1e-4 (one adversarial epoch at the pretraining rate
 * without the anchor made it loop: docs/model-experiments.md). The paper's G keeps the paper's loss and one
 * learning rate throughout, as it always has.
 */
export function adversarialDefaults({ model, training }: Settings): {
  anchor: number
  generatorLearningRate: number
} {
  const sampling = model.output === 'sampled'
  return {
    anchor: training.anchor ?? (sampling ? 1 : 0),
    generatorLearningRate:
      training.adversarialGeneratorLearningRate ?? (sampling ? 1e-4 : training.generatorLearningRate),
  }
}

export const SettingsSchema = z.object({ model: ModelSettingsSchema, training: TrainingSettingsSchema })
export type Settings = z.infer<typeof SettingsSchema>

/** Every epoch a run of these settings trains, pretraining included (a checkpoint with fewer was interrupted). */
export const plannedEpochs = ({ training }: Settings) =>
  training.pretrainEpochs + training.pretrainDiscriminatorEpochs + training.epochs

export const PRESET_NAMES = ['quick', 'paper'] as const
export type PresetName = (typeof PRESET_NAMES)[number]

/**
 * "paper": the sizes and schedule of Mogren 2016 sec. 3 (depth 2, 350 units, learning rate 0.1 with SGD,
 * 6 pretraining epochs, freezing at 70%, feature matching as in its best variant), with its continuous
 * generator. "quick": a sampling generator (model.md sec. 2a) small enough that a laptop's CPU learns
 * music in key from a few dozen files in minutes, by cross-entropy alone: an adversarial epoch made a sampling
 * G loop in the run measured (docs/model-experiments.md), so they are left to `--epochs`; Adam, on batches of
 * 128, which two cores train at twice the time of 32 for four times the sequences.
 */
export const PRESETS: Record<PresetName, Settings> = {
  paper: {
    model: { tonesPerStep: 3, hiddenUnits: 350, layers: 2, output: 'continuous', meter: false },
    training: {
      seed: 1,
      epochs: 100,
      stepsPerEpoch: 0,
      batchSize: 32,
      sequenceLength: 64,
      pretrainEpochs: 6,
      curriculumStartLength: 8,
      pretrainDiscriminatorEpochs: 0,
      optimizer: 'sgd',
      generatorLearningRate: 0.1,
      discriminatorLearningRate: 0.1,
      featureMatching: true,
      labelSmoothing: false,
      nonSaturatingLoss: false,
      l2: 1e-4,
      clipNorm: 5,
      freezeThreshold: 0.7,
      samplesPerEpoch: 4,
      holdout: 0,
    },
  },
  quick: {
    model: { tonesPerStep: 1, hiddenUnits: 128, layers: 2, output: 'sampled', meter: true },
    training: {
      seed: 1,
      epochs: 0,
      stepsPerEpoch: 40,
      batchSize: 128,
      sequenceLength: 64,
      pretrainEpochs: 20,
      curriculumStartLength: 16,
      pretrainDiscriminatorEpochs: 0,
      optimizer: 'adam',
      generatorLearningRate: 0.003,
      discriminatorLearningRate: 0.002,
      featureMatching: true,
      labelSmoothing: true,
      nonSaturatingLoss: false,
      l2: 1e-5,
      clipNorm: 5,
      freezeThreshold: 0.7,
      samplesPerEpoch: 2,
      holdout: 0,
    },
  },
}
