// Runs anywhere. The contract of the studio's IPC, written once: for each operation, the zod schema of its
// arguments (main validates every call against it) and the type it resolves to. Main's handler table
// (src/main/ipcHandlers.ts) is typed by it and the preload's API (CadenzaApi) is derived from it, so neither
// is kept in sync by hand. It lives in shared rather than in main because the renderer's type check must not
// pull in main's Node and Electron modules.
import { z } from 'zod'
import type { CheckpointEntry } from './checkpointEntry'
import type { DatasetReport, EpochRecord } from './checkpointMeta'
import type { EngineMessage } from './engineProtocol'
import { GenerateRequestSchema } from './generateRequest'
import type { Operation } from './ipcChannels'
import { SettingsSchema, TrainingSettingsSchema } from './modelSettings'
import { PieceSchema, type Piece } from './music/piece'
import type { TrainingEvent } from './trainingEvent'

const checkpointId = z.string().min(1).max(200)
const name = z.string().trim().min(1).max(120)
const dataDir = z.string().min(1)

/** A take as the renderer holds it: what is written to a .mid file, and the file's name. */
export const TakeSchema = z.object({ name, piece: PieceSchema })
export type Take = z.infer<typeof TakeSchema>

/** A take rendered to audio in the renderer: 16-bit PCM WAV bytes, checked to be WAV before main writes them. */
export const WavSchema = z.object({
  name,
  wav: z
    .instanceof(Uint8Array)
    .refine((bytes) => ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WAVE', 'not WAV audio'),
})

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to))
}

export const TrainingStartSchema = z.object({
  /** The new run's name in the checkpoint library. */
  name,
  settings: SettingsSchema,
  /** A folder the user picked or dropped (dropMidiFolder); without one, main asks for it with a dialog. */
  dataDir: dataDir.optional(),
})

export const TrainingResumeSchema = z.object({
  /** Adversarial epochs in all, to train a finished run further; the rest of the settings are the run's own. */
  epochs: TrainingSettingsSchema.shape.epochs.optional(),
})

export interface AppInfo {
  version: string
  /** The TensorFlow.js backend the engine started on; a training's 'dataset' event names its own. */
  backend: Extract<EngineMessage, { type: 'ready' }>['backend']
}

export interface TrainingOutcome {
  /** The run's checkpoint id in the library. */
  runId: string
  completedEpochs: number
  cancelled: boolean
}

/** A training event as the renderer gets it: without paths, sample files read into pieces. */
export type StudioTrainingEvent =
  | Exclude<TrainingEvent, { type: 'epoch' | 'dataset' }>
  | {
      type: 'dataset'
      backend: AppInfo['backend']
      report: DatasetReport
      history: EpochRecord[]
      samples: Piece[][]
    }
  | { type: 'epoch'; record: EpochRecord; samples: Piece[] }

/** What main sends on EVENT_CHANNEL. */
export type CadenzaEvent =
  | { type: 'training'; runId: string; event: StudioTrainingEvent }
  /** How far the reading of a dataset's report has got (readDataset). */
  | { type: 'dataset-reading'; done: number; total: number }
  /** The engine process ended unexpectedly; `restarting` is false when it crashed too often to restart. */
  | { type: 'engine-crashed'; reason: string; restarting: boolean }

/** `result` only carries a type: main, which is trusted, produces it, so it is not checked at run time. */
const returns = <T>() => z.custom<T>()
const none = z.tuple([])

export const IPC_CONTRACT = {
  appInfo: { args: none, result: returns<AppInfo>() },
  listCheckpoints: { args: none, result: returns<CheckpointEntry[]>() },
  renameCheckpoint: { args: z.tuple([checkpointId, name]), result: returns<CheckpointEntry>() },
  /** Resolves to the copy. */
  duplicateCheckpoint: { args: z.tuple([checkpointId]), result: returns<CheckpointEntry>() },
  /** Adds a run's closest epoch (its entry's `keptBestEpoch`) as a checkpoint of its own; resolves to it. */
  keepBestEpoch: { args: z.tuple([checkpointId]), result: returns<CheckpointEntry>() },
  removeCheckpoint: { args: z.tuple([checkpointId]), result: returns<void>() },
  revealCheckpoint: { args: z.tuple([checkpointId]), result: returns<void>() },
  /** Resolves to the file written, or null when the user cancelled the save dialog. */
  exportCheckpoint: { args: z.tuple([checkpointId]), result: returns<string | null>() },
  /** Resolves to the imported checkpoint, or null when the user cancelled the open dialog. */
  importCheckpoint: { args: none, result: returns<CheckpointEntry | null>() },
  generate: { args: z.tuple([checkpointId, GenerateRequestSchema]), result: returns<Piece[]>() },
  /**
   * One training at a time; progress arrives as 'training' events, and this resolves when it ends, or at once
   * with null when the user cancelled the folder dialog.
   */
  startTraining: { args: z.tuple([TrainingStartSchema]), result: returns<TrainingOutcome | null>() },
  /**
   * Trains a library run further from its last complete checkpoint, on the folder it trained on, with its
   * own settings; progress and the rules are startTraining's.
   */
  resumeTraining: {
    args: z.tuple([checkpointId, TrainingResumeSchema]),
    result: returns<TrainingOutcome>(),
  },
  /** Resolves to whether a training was running. */
  cancelTraining: { args: none, result: returns<boolean>() },
  /**
   * Pauses the training after its current step (true) or continues it (false); a 'paused' training event
   * tells when it changed. Resolves to whether a training was running.
   */
  pauseTraining: { args: z.tuple([z.boolean()]), result: returns<boolean>() },
  /** A MIDI file the user picked, read into a piece (e.g. a primer), or null when cancelled. */
  pickMidiFile: { args: none, result: returns<{ name: string; piece: Piece } | null>() },
  /** A folder of MIDI files the user picked, for readDataset and startTraining, or null when cancelled. */
  pickMidiFolder: { args: none, result: returns<string | null>() },
  /**
   * A folder the user dropped on the studio, which counts as picked: its path, which the preload read from
   * the dropped File ('' when the File is not on disk). Rejects anything that is not an existing folder.
   */
  dropMidiFolder: { args: z.tuple([z.string()]), result: returns<string>() },
  /**
   * The report of a picked or dropped folder, read with these settings as training would read it; progress
   * arrives as 'dataset-reading' events. One reading at a time; null when it was cancelled.
   */
  readDataset: { args: z.tuple([dataDir, SettingsSchema]), result: returns<DatasetReport | null>() },
  /** Resolves to whether a reading was under way. */
  cancelReadDataset: { args: none, result: returns<boolean>() },
  /** Resolves to the file written, or null when the user cancelled the save dialog. */
  saveTake: { args: z.tuple([TakeSchema]), result: returns<string | null>() },
  /** Starts dragging the take out of the window as a .mid file (call it from a dragstart handler). */
  dragTake: { args: z.tuple([TakeSchema]), result: returns<void>() },
  /** Asks where to save a take's WAV audio and writes it there; null when the user cancelled. */
  saveWav: { args: z.tuple([WavSchema]), result: returns<string | null>() },
} satisfies Record<Operation, { args: z.ZodTuple; result: z.ZodType }>

type Contract = typeof IPC_CONTRACT
/** The arguments of an operation as the renderer passes them. */
export type IpcArgs<K extends Operation> = z.input<Contract[K]['args']>
/** The arguments as main's handler receives them, validated. */
export type IpcParsedArgs<K extends Operation> = z.output<Contract[K]['args']>
export type IpcResult<K extends Operation> = z.output<Contract[K]['result']>

/**
 * The API on `window.cadenza`: one function per operation, and a subscription to main's events. A dropped
 * folder is the exception: the page passes the File it was given, never a path (it has none), and the preload
 * reads the File's path (webUtils.getPathForFile), so the page can name only a folder the user dropped.
 */
export type CadenzaApi = {
  readonly [K in Exclude<Operation, 'dropMidiFolder'>]: (...args: IpcArgs<K>) => Promise<IpcResult<K>>
} & {
  readonly dropMidiFolder: (dropped: File) => Promise<IpcResult<'dropMidiFolder'>>
  /** Calls `listener` with each event from main until the returned function is called. */
  readonly onEvent: (listener: (event: CadenzaEvent) => void) => () => void
}
