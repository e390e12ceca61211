// Browser. Which notes are under the pointer or inside a dragged box, in the note area's pixels. Shares the
// note rectangles with drawing, so what is hit is exactly what is seen.
import type { NoteEvent } from '../../../shared/music/piece'
import { pitchToY, quarterToX, xToQuarter, yToPitch, type Viewport } from './viewport'
import { visibleNotes, type NoteIndex } from './visibleNotes'

/** A rectangle in pixels of the note area. */
export interface Box {
  left: number
  top: number
  right: number
  bottom: number
}

/** Zero-length and very short notes are drawn, and hit, at least this wide. */
export const MIN_NOTE_WIDTH = 3

export function noteRect(view: Viewport, note: NoteEvent): Box {
  const left = quarterToX(view, note.onset)
  const top = pitchToY(view, note.pitch)
  return {
    left,
    top,
    right: left + Math.max(MIN_NOTE_WIDTH, note.length * view.pixelsPerQuarter),
    bottom: top + view.pixelsPerPitch,
  }
}

/** The box spanned by a drag from one corner to the other, in either direction. */
export function boxBetween(x0: number, y0: number, x1: number, y1: number): Box {
  return { left: Math.min(x0, x1), top: Math.min(y0, y1), right: Math.max(x0, x1), bottom: Math.max(y0, y1) }
}

/** Each note's index in its piece, to turn the notes found back into a selection. */
export type IndexOf = (note: NoteEvent) => number

/** The index of the note drawn at (x, y), the last drawn (topmost) if several overlap; -1 if none. */
export function noteAt(view: Viewport, notes: NoteIndex, indexOf: IndexOf, x: number, y: number): number {
  const pitch = yToPitch(view, y)
  const slop = MIN_NOTE_WIDTH / view.pixelsPerQuarter
  const quarter = xToQuarter(view, x)
  const hit = visibleNotes(notes, quarter - slop, quarter + slop, pitch, pitch).findLast((note) => {
    const rect = noteRect(view, note)
    return x >= rect.left && x < rect.right
  })
  return hit ? indexOf(hit) : -1
}

/** Indices of the notes whose rectangles meet the box. */
export function notesInBox(view: Viewport, notes: NoteIndex, indexOf: IndexOf, box: Box): number[] {
  const slop = MIN_NOTE_WIDTH / view.pixelsPerQuarter
  const [from, to] = [xToQuarter(view, box.left) - slop, xToQuarter(view, box.right)]
  const [low, high] = [yToPitch(view, box.bottom), yToPitch(view, box.top)]
  return visibleNotes(notes, from, to, low, high)
    .filter((note) => {
      const rect = noteRect(view, note)
      return rect.right > box.left && rect.left <= box.right
    })
    .map(indexOf)
}

/** `indexOf` for a list of notes, built once per list. */
export function indexer(notes: readonly NoteEvent[]): IndexOf {
  const positions = new Map(notes.map((note, i) => [note, i]))
  return (note) => positions.get(note) ?? -1
}
