// Browser. How far a drag moves the selected notes: the grabbed note's onset lands on a sixteenth line,
// the others keep their distance to it, and pitch follows the rows crossed.
import { SIXTEENTH } from './grid'
import { yToPitch, type Viewport } from './viewport'

export interface Point {
  x: number
  y: number
}

/** The move, in quarters and semitones, of a drag from `from` to `to` that grabbed a note at `onset`. */
export function dragMove(
  view: Viewport,
  onset: number,
  from: Point,
  to: Point,
): { quarters: number; semitones: number } {
  const target = onset + (to.x - from.x) / view.pixelsPerQuarter
  return {
    quarters: Math.round(target / SIXTEENTH) * SIXTEENTH - onset,
    semitones: yToPitch(view, to.y) - yToPitch(view, from.y),
  }
}
