// Browser. The bars to re-roll: dragged out on the ruler, or else the bars in which the selected notes
// start. Choosing notes again (or another take) drops a range dragged on the ruler.
import { computed, ref, watch, type ComputedRef, type Ref } from 'vue'
import type { NoteEvent, TimeSignatureChange } from '../../../shared/music/piece'
import { barsBetween, barsOfNotes, type BarRange } from '../pianoRoll/barRange'
import { RULER_HEIGHT } from '../pianoRoll/draw'
import { xToQuarter, type Viewport } from '../pianoRoll/viewport'
import { rollPoint } from './rollPointer'
import { useListener } from './useListener'

export function useBarRange(
  canvas: Ref<HTMLCanvasElement | null>,
  view: () => Viewport,
  signatures: () => readonly TimeSignatureChange[],
  selectedNotes: () => readonly NoteEvent[],
): ComputedRef<BarRange | null> {
  const dragged = ref<BarRange | null>(null)
  let anchor: number | null = null

  watch(selectedNotes, () => (dragged.value = null))

  const quarterAt = (event: PointerEvent) => xToQuarter(view(), rollPoint(canvas.value, event).x)

  useListener(canvas, 'pointerdown', (event) => {
    const { x, y } = rollPoint(canvas.value, event)
    if (event.button !== 0 || x < 0 || y >= 0 || y < -RULER_HEIGHT) return
    anchor = quarterAt(event)
    dragged.value = barsBetween(signatures(), anchor, anchor)
    canvas.value?.setPointerCapture(event.pointerId)
  })
  useListener(canvas, 'pointermove', (event) => {
    if (anchor !== null) dragged.value = barsBetween(signatures(), anchor, quarterAt(event))
  })
  useListener(canvas, 'pointerup', () => (anchor = null))
  useListener(canvas, 'pointercancel', () => (anchor = null))

  return computed(() => dragged.value ?? barsOfNotes(signatures(), selectedNotes()))
}
