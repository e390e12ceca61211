// Runs anywhere. The epoch of a run whose generator was closest to the training music, by the realism
// distance every epoch records (src/engine/training/epochRealism.ts): training keeps its generator apart, and the
// studio and the CLI point to it.
import type { EpochRecord } from './checkpointMeta'

/** The epoch of the lowest realism distance (the first of equals); null when no epoch was measured. */
export function bestEpoch(history: readonly EpochRecord[]): EpochRecord | null {
  let best: EpochRecord | null = null
  for (const record of history) {
    const distance = record.realismDistance
    if (distance !== null && (best === null || distance < best.realismDistance!)) best = record
  }
  return best
}
