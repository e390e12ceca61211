// Runs anywhere. The protocol between the engine process and its host (Electron main; the tests), typed
// once as zod schemas so that each side validates what it receives (architecture.md, "One protocol, typed
// once"). Messages are plain data: they cross structured clone (utilityProcess) and JSON (fork) alike.
//
//   host -> engine   hello first, then train | readDataset | generate | inspect | cancel | pause, each with an id
//                    the host chooses
//   engine -> host   ready (to hello) | progress (of a training or a dataset's reading) | result | error, each
//                    with its request's id
//
// Every request gets exactly one final reply: ready, result or error. A training streams progress before
// its result; cancelling one ends it early with a result whose `cancelled` is true. Pausing one holds it
// between steps until it is continued or cancelled. Reading a dataset streams 'reading' progress (files read
// of all), and cancelling it ends it with a null report.
import { z } from 'zod'
import { CheckpointMetaSchema, DatasetReportSchema } from './checkpointMeta'
import { GenerateRequestSchema } from './generateRequest'
import { SettingsSchema } from './modelSettings'
import { PieceSchema } from './music/piece'
import { BackendInfoSchema, TrainingEventSchema } from './trainingEvent'

/** Raised whenever a message changes incompatibly. The hello message itself must never change. */
export const PROTOCOL_VERSION = 6

const id = z.string().min(1)
const path = z.string().min(1)

// ------------------------------------------------------------------------------------ host -> engine

export const HostMessageSchema = z.discriminatedUnion('type', [
  // Not tied to PROTOCOL_VERSION here, so that a mismatch is answered as one rather than as bad input.
  z.object({ type: z.literal('hello'), id, protocolVersion: z.number().int() }),
  // Trains into `outDir` (resuming the checkpoint there, if any) on the MIDI files under `dataDir`.
  z.object({ type: z.literal('train'), id, dataDir: path, outDir: path, settings: SettingsSchema }),
  // Reads the MIDI files under `dataDir` as `train` would, for the report shown before training starts.
  // Streams 'reading' progress; cancel stops it.
  z.object({ type: z.literal('readDataset'), id, dataDir: path, settings: SettingsSchema }),
  // `checkpoint`: a checkpoint or a training run folder. With `outDir`, also writes variation-NN.mid there.
  z.object({
    type: z.literal('generate'),
    id,
    checkpoint: path,
    request: GenerateRequestSchema,
    outDir: path.optional(),
  }),
  z.object({ type: z.literal('inspect'), id, checkpoint: path }),
  // Stops the training whose request id is `job` after its current step, or the dataset reading.
  z.object({ type: z.literal('cancel'), id, job: id }),
  // Pauses the training whose request id is `job` after its current step, or continues it.
  z.object({ type: z.literal('pause'), id, job: id, paused: z.boolean() }),
])
export type HostMessage = z.infer<typeof HostMessageSchema>
/** The requests that run a job and end with a result. */
export type JobRequest = Exclude<HostMessage, { type: 'hello' }>

// ------------------------------------------------------------------------------------ engine -> host

/** A result is tagged with the type of the request it answers. */
const JobResultSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('train'),
    checkpoint: path,
    completedEpochs: z.number().int().min(0),
    cancelled: z.boolean(),
  }),
  // `report`: null when the reading was cancelled.
  z.object({ type: z.literal('readDataset'), report: DatasetReportSchema.nullable() }),
  // `files`: the written MIDI files, one per piece, or none without an `outDir`.
  z.object({ type: z.literal('generate'), pieces: z.array(PieceSchema), files: z.array(path) }),
  // `checkpoint`: the folder actually read (a run folder's checkpoint/).
  z.object({ type: z.literal('inspect'), checkpoint: path, meta: CheckpointMetaSchema }),
  // `found`: whether a training or reading with that id was running (it may have just finished).
  z.object({ type: z.literal('cancel'), job: id, found: z.boolean() }),
  // `found`: as for cancel.
  z.object({ type: z.literal('pause'), job: id, found: z.boolean() }),
])
export type JobResult = z.infer<typeof JobResultSchema>
export type ResultOf<T extends JobRequest['type']> = Extract<JobResult, { type: T }>

/**
 * `name` tells the kind: the engine's user errors (DatasetError, CheckpointError, MidiReadError, and
 * ProtocolError for a message it cannot accept) carry a one-line message meant for the user. Any other
 * name is unexpected (a bug, or the machine: a backend that will not start, a full disk); its message is
 * cut to one line and its stack goes to the engine's stderr.
 */
const SerializedErrorSchema = z.object({ name: z.string(), message: z.string() })
export type SerializedError = z.infer<typeof SerializedErrorSchema>

export const EngineMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    id,
    protocolVersion: z.literal(PROTOCOL_VERSION),
    appVersion: z.string(),
    /** The TensorFlow.js backend chosen when the engine started, and why (forced, or the timed steps). */
    backend: BackendInfoSchema,
  }),
  z.object({ type: z.literal('progress'), id, event: TrainingEventSchema }),
  z.object({ type: z.literal('result'), id, result: JobResultSchema }),
  // `id` is null when a message was too malformed to carry one.
  z.object({ type: z.literal('error'), id: id.nullable(), error: SerializedErrorSchema }),
])
export type EngineMessage = z.infer<typeof EngineMessageSchema>
