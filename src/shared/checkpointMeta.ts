// Runs anywhere. The schema of a checkpoint's `checkpoint.json`: what a checkpoint is, how it was trained
// and what it learned. The engine writes it; the engine, the CLI and the studio's checkpoint library read
// and validate it.
import { z } from 'zod'
import { SettingsSchema } from './modelSettings'
import { RepetitionSchema } from './music/steering'
import { STATISTIC_NAMES } from './music/statistics'

/** Raised when the layout of checkpoint.json or the weight files changes incompatibly. */
export const CHECKPOINT_FORMAT_VERSION = 1

/** Features per tone, in this order, in every tensor and in the normalization statistics. */
export const FEATURES = ['length', 'pitch', 'intensity', 'delta'] as const

const finite = z.number().refine(Number.isFinite, 'must be a finite number')
const perFeature = z.array(finite).length(FEATURES.length)
/** A temperature per value (FEATURES order), as a factor of the one temperature (engine/temperature.ts). */
const temperatureScales = z.array(z.number().positive().max(4)).length(FEATURES.length)

export const NormalizationSchema = z.object({
  /** Mean and standard deviation of each feature over the training tones. */
  mean: perFeature,
  std: perFeature.refine(
    (values) => values.every((value) => value > 0),
    'standard deviations must be positive',
  ),
})
export type Normalization = z.infer<typeof NormalizationSchema>

const StatisticsSchema = z.object(Object.fromEntries(STATISTIC_NAMES.map((name) => [name, finite])))

export const FileProblemSchema = z.object({ file: z.string(), error: z.string() })

export const DatasetReportSchema = z.object({
  /** Readable files, held-out ones included; the numbers below count the training files only. */
  filesRead: z.number().int().min(0),
  filesSkipped: z.array(FileProblemSchema),
  /**
   * Readable files kept out of training (setting `holdout`), named like the skipped ones. Defaulted, as
   * checkpoints from before held-out files have none.
   */
  heldOut: z.array(z.string()).default([]),
  notes: z.number().int().min(0),
  /** Fraction of distinct onsets where two or more notes start (model.md sec. 5), over the whole set. */
  polyphony: z.number().min(0).max(1),
  /** The slowest and fastest tempo found, in bpm (120 when no file sets one). */
  tempoRange: z.tuple([z.number(), z.number()]),
  /** Time steps after grouping simultaneous notes `tonesPerStep` at a time. */
  steps: z.number().int().min(0),
  /** Training sequences of `sequenceLength` steps that the steps give. */
  sequences: z.number().int().min(0),
  /**
   * The medians of model.md sec. 5's statistics over the training files cut into windows as long as an
   * epoch's sample (corpusStatistics.ts), for comparing samples with; null when no file is that long.
   * Optional, as checkpoints from before it have none.
   */
  corpusStatistics: StatisticsSchema.nullable().optional(),
})
export type DatasetReport = z.infer<typeof DatasetReportSchema>

export const EpochRecordSchema = z.object({
  /** 1-based; pretraining epochs are recorded with phase 'pretrain'. */
  epoch: z.number().int().min(1),
  phase: z.enum(['pretrain', 'pretrain-discriminator', 'adversarial']),
  /** Mean losses over the epoch; null for a network that did not train in this phase. */
  generatorLoss: finite.nullable(),
  discriminatorLoss: finite.nullable(),
  discriminatorAccuracy: finite.nullable(),
  /** Steps in the epoch in which G or D was frozen (skipped). */
  generatorFrozenSteps: z.number().int().min(0),
  discriminatorFrozenSteps: z.number().int().min(0),
  /** Median of each statistic over the epoch's sample pieces (the data of the paper's Figure 3). */
  sampleStatistics: StatisticsSchema.nullable(),
  /**
   * The realism distance (model.md sec. 5) of G's output after the epoch to the training pieces; null where
   * it could not be measured, and in checkpoints written before it was recorded.
   */
  realismDistance: finite.nullable().default(null),
  /**
   * For a sampling generator, the temperature of the candidates (engine/temperature.ts) at which its
   * output came closest to the training pieces, at which the figures below were measured; null for the
   * paper's generator, measured at 1, and in checkpoints written before it was recorded.
   */
  temperature: finite.nullable().default(null),
  /**
   * For a sampling generator, each value's temperature scale (FEATURES order) of the candidate that
   * `temperature` goes with; null for the paper's generator and in checkpoints written before it.
   */
  temperatureScales: temperatureScales.nullable().default(null),
  /**
   * For a sampling generator, the repetition (steering.ts) of the candidate that `temperature` goes with;
   * null for the paper's generator and in checkpoints written before it.
   */
  repetition: RepetitionSchema.nullable().default(null),
  /**
   * The mean overlapping area (model.md sec. 5b) of the rhythm and dynamics measures of the same output's
   * windows of bars with the training pieces' (1: distributed alike); with `realismDistance`, what the
   * epoch's closeness is (bestEpoch.ts). Null where the training pieces have no whole window, and in
   * checkpoints written before it was recorded.
   */
  rhythmOverlap: finite.nullable().default(null),
  /**
   * How often a classifier tells a window of the same output from one of the training pieces (0.5: never
   * better than chance); null where it could not be measured, and in checkpoints written before it.
   */
  classifierAccuracy: finite.nullable().default(null),
  seconds: z.number().min(0),
})
export type EpochRecord = z.infer<typeof EpochRecordSchema>

export const CheckpointMetaSchema = z.object({
  format: z.literal('cadenza-checkpoint'),
  formatVersion: z.literal(CHECKPOINT_FORMAT_VERSION),
  appVersion: z.string(),
  /** 'training' holds G, D and optimizer state and can resume; 'generator' holds G alone, for sharing. */
  kind: z.enum(['training', 'generator']),
  settings: SettingsSchema,
  normalization: NormalizationSchema,
  dataset: z.object({
    /** A hash of the training files' names and contents: resuming on other data is refused. */
    fingerprint: z.string(),
    report: DatasetReportSchema,
  }),
  /** Completed epochs, pretraining included, in order. */
  history: z.array(EpochRecordSchema),
  /**
   * The losses of the last adversarial step (null before any), so that a resumed run freezes D or G in its
   * first step as an uninterrupted one would. Checkpoints from before it have none.
   */
  lastAdversarialLosses: z.object({ generator: finite, discriminator: finite }).nullable().optional(),
  /**
   * How G's output becomes notes: per tone slot, the intensity from which a tone sounds, calibrated after
   * the last epoch (engine/calibration.ts). Checkpoints from before calibration have none and use the
   * default threshold.
   */
  decoding: z
    .object({
      intensityThresholds: z.array(finite).min(1),
      /** Where generation's temperature starts: the last epoch's `temperature`, when it has one. */
      temperature: z.number().min(0).max(2).optional(),
      /**
       * A sampling generator's draws of each value (FEATURES order) at the generation's temperature times
       * this scale, so that the one temperature a user sets moves them together; all 1 without it. The
       * last epoch's `temperatureScales`, when it has them.
       */
      temperatureScales: temperatureScales.optional(),
      /**
       * A sampling generator's own repetition (steering.ts), where a steering asks for none: the last epoch's
       * `repetition`, when it leans.
       */
      repetition: RepetitionSchema.optional(),
    })
    .optional(),
  /** The TensorFlow.js backend that trained it (generation is byte-identical only on the same one). */
  backend: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
})
export type CheckpointMeta = z.infer<typeof CheckpointMetaSchema>

/** The temperature generation starts at with this checkpoint: its own, or 1 (as trained) without one. */
export function checkpointTemperature(meta: Pick<CheckpointMeta, 'decoding'>): number {
  return meta.decoding?.temperature ?? 1
}

/**
 * A temperature in words, with the values drawn at another (`scales`, FEATURES order) and the repetition
 * the draws lean by: "0.8" or "0.8, intensity ×1.25, repetition 0.3".
 */
export function describeTemperature(
  temperature: number,
  scales?: readonly number[] | null,
  repetition?: number | null,
): string {
  const scaled = FEATURES.flatMap((feature, f) =>
    scales && scales[f] !== 1 ? [`${feature} ×${scales[f]}`] : [],
  )
  return [String(temperature), ...scaled, ...(repetition ? [`repetition ${repetition}`] : [])].join(', ')
}
