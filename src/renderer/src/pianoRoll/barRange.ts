// Browser. A range of whole bars on the piano roll, for "Re-roll these bars": from a drag on the ruler or
// from the notes selected, always widened out to the bar lines around it.
import { barIndexAt, barLineTime } from '../../../shared/music/bars'
import type { NoteEvent, TimeSignatureChange } from '../../../shared/music/piece'

/** Quarters [start, end), on bar lines. */
export interface BarRange {
  start: number
  end: number
}

/** The bars from the one `a` lies in to the one `b` lies in, in either order. */
export function barsBetween(signatures: readonly TimeSignatureChange[], a: number, b: number): BarRange {
  const [first, last] = [Math.max(0, Math.min(a, b)), Math.max(0, a, b)]
  return {
    start: barLineTime(signatures, barIndexAt(signatures, first)),
    end: barLineTime(signatures, barIndexAt(signatures, last) + 1),
  }
}

/** The bars in which the notes start (the model's steps are placed by onsets); null for no notes. */
export function barsOfNotes(
  signatures: readonly TimeSignatureChange[],
  notes: readonly NoteEvent[],
): BarRange | null {
  if (notes.length === 0) return null
  const onsets = notes.map((note) => note.onset)
  return barsBetween(signatures, Math.min(...onsets), Math.max(...onsets))
}
