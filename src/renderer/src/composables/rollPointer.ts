// Browser. Where a pointer event is on the piano roll, in pixels of the note area: negative x is over the
// keyboard, negative y over the ruler.
import { KEYBOARD_WIDTH, RULER_HEIGHT } from '../pianoRoll/draw'

export function rollPoint(canvas: HTMLCanvasElement | null, event: PointerEvent): { x: number; y: number } {
  const bounds = canvas?.getBoundingClientRect()
  return {
    x: event.clientX - (bounds?.left ?? 0) - KEYBOARD_WIDTH,
    y: event.clientY - (bounds?.top ?? 0) - RULER_HEIGHT,
  }
}
