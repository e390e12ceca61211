// Browser (pure). What "Loop" loops: the selected notes' span when notes are selected, else a range of bars.
import { barLineTime } from '../../../shared/music/bars'
import type { Piece } from '../../../shared/music/piece'
import type { QuarterRange } from './player'

/** The span of the notes at `selection`, or bars `fromBar` to `toBar` (1-based, inclusive) without one. */
export function loopRange(
  piece: Piece,
  selection: readonly number[],
  fromBar: number,
  toBar: number,
): QuarterRange {
  const notes = selection.flatMap((i) => piece.notes[i] ?? [])
  const start = Math.min(...notes.map((note) => note.onset))
  const end = Math.max(...notes.map((note) => note.onset + note.length))
  // Zero-length notes alone span nothing to loop: the bars then.
  if (end > start) return { start, end }
  const first = Math.max(1, Math.min(fromBar, toBar))
  const last = Math.max(first, fromBar, toBar)
  return {
    start: barLineTime(piece.timeSignatures, first - 1),
    end: barLineTime(piece.timeSignatures, last),
  }
}
