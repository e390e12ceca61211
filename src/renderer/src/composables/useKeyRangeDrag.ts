// Browser. The steering's range dragged on the roll's keyboard: from the key pressed to the key the pointer
// is over, either way, following the drag. A click that does not leave its key changes nothing.
import type { Ref } from 'vue'
import { yToPitch, type Viewport } from '../pianoRoll/viewport'
import { rollPoint } from './rollPointer'
import { useListener } from './useListener'

export function useKeyRangeDrag(
  canvas: Ref<HTMLCanvasElement | null>,
  view: () => Viewport,
  setRangeBetween: (one: number, other: number) => void,
): void {
  let anchor: number | null = null
  let moved = false

  const pitchAt = (event: PointerEvent) => yToPitch(view(), rollPoint(canvas.value, event).y)

  useListener(canvas, 'pointerdown', (event) => {
    const { x, y } = rollPoint(canvas.value, event)
    if (event.button !== 0 || x >= 0 || y < 0) return
    anchor = pitchAt(event)
    moved = false
    canvas.value?.setPointerCapture(event.pointerId)
  })
  useListener(canvas, 'pointermove', (event) => {
    if (anchor === null) return
    const pitch = pitchAt(event)
    moved ||= pitch !== anchor
    if (moved) setRangeBetween(anchor, pitch)
  })
  useListener(canvas, 'pointerup', () => (anchor = null))
  useListener(canvas, 'pointercancel', () => (anchor = null))
}
