// Runs anywhere. The progress events of a training run, as the engine streams them to its host.
//
// A schema rather than only a type: the host validates what the engine sends like any other message
// crossing a process boundary.
import { z } from 'zod'
import { DatasetReportSchema, EpochRecordSchema } from './checkpointMeta'

const count = z.number().int().min(0)

/** A TensorFlow.js backend as the engine names it: its name, in words, and why it was chosen. */
export const BackendInfoSchema = z.object({ name: z.string(), description: z.string(), reason: z.string() })

export const TrainingEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reading'), done: count, total: count }),
  // `backend`: the one this run trains on, which after a GPU fault is not the one the engine started on;
  // `history`: the epochs a resumed run had completed (none for a new run), so its charts start with them;
  // `samples`: the sample files of each of those epochs that are still on disk.
  z.object({
    type: z.literal('dataset'),
    backend: BackendInfoSchema,
    report: DatasetReportSchema,
    history: z.array(EpochRecordSchema),
    samples: z.array(z.array(z.string())),
  }),
  z.object({
    type: z.literal('step'),
    phase: EpochRecordSchema.shape.phase,
    /** 1-based, counted over all phases. */
    epoch: count,
    epochs: count,
    step: count,
    steps: count,
    generatorLoss: z.number().nullable(),
    discriminatorLoss: z.number().nullable(),
    discriminatorAccuracy: z.number().nullable(),
    generatorFrozen: z.boolean(),
    discriminatorFrozen: z.boolean(),
    tokensPerSecond: z.number(),
    secondsLeft: z.number(),
  }),
  z.object({
    type: z.literal('epoch'),
    record: EpochRecordSchema,
    checkpoint: z.string(),
    samples: z.array(z.string()),
  }),
  // The training was paused (it makes no step after the one under way) or continued; the figures of its
  // steps leave the time paused out.
  z.object({ type: z.literal('paused'), paused: z.boolean() }),
  // An adversarial epoch collapsed: what was seen and which epoch the run keeps, in one line; the run stops.
  z.object({ type: z.literal('collapse'), message: z.string() }),
])
export type TrainingEvent = z.infer<typeof TrainingEventSchema>
