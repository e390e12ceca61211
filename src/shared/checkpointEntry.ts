// Runs anywhere. What the studio's checkpoint library (src/main/checkpointLibrary.ts) tells the renderer
// about each checkpoint. The renderer names checkpoints by `id`, never by path.
import type { CheckpointMeta, EpochRecord } from './checkpointMeta'
import type { Settings } from './modelSettings'

/** The id of the model that ships with Cadenza: listed first, read-only. */
export const DEFAULT_CHECKPOINT_ID = 'default'

/** The dataset report in numbers, as a list shows it. */
export interface DatasetSummary {
  filesRead: number
  filesSkipped: number
  heldOut: number
  notes: number
}

interface EntryBase {
  /** Stable; the folder's name in the library. */
  id: string
  /** The display name, which the user may change. */
  name: string
  readOnly: boolean
}

export interface ReadyCheckpointEntry extends EntryBase {
  status: 'ready'
  kind: CheckpointMeta['kind']
  createdAt: string
  updatedAt: string
  /** Completed epochs, pretraining included. */
  epochs: number
  settings: Settings
  dataset: DatasetSummary
  /** The last completed epoch's losses and sample statistics; null before the first. */
  lastEpoch: EpochRecord | null
  /**
   * A run's earlier epoch that came closer to its training pieces than the last, whose generator the run
   * keeps and can add to the library; null when the last epoch is the closest, or for a plain checkpoint.
   */
  keptBestEpoch: number | null
  /** Where generation's temperature starts with it: its own (see checkpointTemperature), or 1. */
  temperature: number
}

export interface UnusableCheckpointEntry extends EntryBase {
  /** 'empty': a training run that has not saved a checkpoint yet; 'damaged': see `reason`. */
  status: 'empty' | 'damaged'
  /** One line. */
  reason: string
}

export type CheckpointEntry = ReadyCheckpointEntry | UnusableCheckpointEntry
