// Runs anywhere. How close an epoch's generator came to the training music, and the closest epoch of a run,
// by the figures every epoch records (src/engine/training/epochRealism.ts): training draws each epoch's
// output the way that comes closest and keeps the closest epoch's generator apart, and the studio and the
// CLI point to it.
import type { EpochRecord } from './checkpointMeta'

/**
 * The distance an epoch's output is chosen by, lower being closer: the realism distance (model.md sec. 5,
 * pitch content) plus 1 − the mean overlapping area of the rhythm and dynamics measures (sec. 5b). Each
 * term is 0 for music like the training pieces and near 1 for music far from them. Without the overlap
 * (records from before it, or training pieces with no whole window of bars) the realism distance alone;
 * null when not measured.
 */
export function combinedDistance({
  realismDistance,
  rhythmOverlap,
}: Pick<EpochRecord, 'realismDistance' | 'rhythmOverlap'>): number | null {
  if (realismDistance === null) return null
  return realismDistance + (rhythmOverlap === null ? 0 : 1 - rhythmOverlap)
}

/**
 * The epoch of the lowest combined distance (the first of equals); null when no epoch was measured. Where
 * some epochs measured rhythm and others not (a run resumed across the change), only the former compete:
 * the two figures are not on one scale.
 */
export function bestEpoch(history: readonly EpochRecord[]): EpochRecord | null {
  const hearsRhythm = history.some((record) => record.rhythmOverlap !== null)
  let best: EpochRecord | null = null
  let closest = Infinity
  for (const record of history) {
    const distance = combinedDistance(record)
    if (distance === null || (hearsRhythm && record.rhythmOverlap === null)) continue
    if (distance < closest) [best, closest] = [record, distance]
  }
  return best
}
