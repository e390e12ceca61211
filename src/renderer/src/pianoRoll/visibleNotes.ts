// Browser. Which notes to draw: only those in view, found by binary search over onsets, so that a piece of
// 10,000 notes costs no more to draw than the part on screen.
import type { NoteEvent } from '../../../shared/music/piece'

export interface NoteIndex {
  /** Sorted by onset (the piece's own order). */
  notes: readonly NoteEvent[]
  /** The longest note: a note starting this much before the view may still reach into it. */
  longest: number
}

export function indexNotes(notes: readonly NoteEvent[]): NoteIndex {
  return { notes, longest: notes.reduce((longest, note) => Math.max(longest, note.length), 0) }
}

/** The first index whose onset is at or after `quarter`, in a list sorted by onset. */
export function firstAtOrAfter(items: readonly { onset: number }[], quarter: number): number {
  let [low, high] = [0, items.length]
  while (low < high) {
    const middle = (low + high) >>> 1
    if (items[middle].onset < quarter) low = middle + 1
    else high = middle
  }
  return low
}

/** Notes sounding anywhere in quarters [from, to) with a pitch in [low, high]. */
export function visibleNotes(
  { notes, longest }: NoteIndex,
  from: number,
  to: number,
  low: number,
  high: number,
): NoteEvent[] {
  const visible: NoteEvent[] = []
  for (let i = firstAtOrAfter(notes, from - longest); i < notes.length && notes[i].onset < to; i++) {
    const note = notes[i]
    // Zero-length notes still show, as a sliver at their onset.
    const reaches = note.onset + note.length > from || (note.length === 0 && note.onset >= from)
    if (reaches && note.pitch >= low && note.pitch <= high) visible.push(note)
  }
  return visible
}
