// Browser. Wheel gestures on the piano roll: wheel scrolls pitches, shift+wheel scrolls time, ctrl/cmd+wheel
// zooms time about the pointer, and ctrl/cmd+shift+wheel zooms pitches.
import type { Ref } from 'vue'
import { KEYBOARD_WIDTH, RULER_HEIGHT } from '../pianoRoll/draw'
import { scrollBy, zoomPitch, zoomTime } from '../pianoRoll/viewport'
import type { RollCanvas } from './useRollCanvas'
import { useListener } from './useListener'

/** Pixels per wheel line, for mice that report lines rather than pixels. */
const LINE = 16
const ZOOM_PER_PIXEL = 0.002

export function useRollNavigation(canvas: Ref<HTMLCanvasElement | null>, roll: RollCanvas): void {
  useListener(canvas, 'wheel', (event) => {
    event.preventDefault()
    const scale = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? LINE : 1
    const [dx, dy] = [event.deltaX * scale, event.deltaY * scale]
    const bounds = (event.currentTarget as HTMLElement).getBoundingClientRect()
    const x = Math.max(0, event.clientX - bounds.left - KEYBOARD_WIDTH)
    const y = Math.max(0, event.clientY - bounds.top - RULER_HEIGHT)
    const view = roll.view()
    if (event.ctrlKey || event.metaKey) {
      // Browsers turn shift+wheel into a horizontal delta on some systems, so either axis counts.
      const factor = Math.exp(-(dx + dy) * ZOOM_PER_PIXEL)
      roll.setView(event.shiftKey ? zoomPitch(view, factor, y) : zoomTime(view, factor, x))
    } else if (event.shiftKey) roll.setView(scrollBy(view, -(dx + dy), 0))
    else roll.setView(scrollBy(view, -dx, -dy))
  })
}
