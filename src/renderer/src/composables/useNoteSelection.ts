// Browser. Selecting notes on the piano roll: click a note, or drag a box around notes. Shift adds to the
// selection and ctrl/cmd toggles; a click on empty space clears it. A click on a selected note keeps the
// selection, so that the whole of it can be dragged (useNoteDrag).
import type { Ref } from 'vue'
import { boxBetween, noteAt, notesInBox, type IndexOf } from '../pianoRoll/hitTest'
import type { NoteIndex } from '../pianoRoll/visibleNotes'
import type { SelectMode, useEditorStore } from '../stores/editor'
import type { RollCanvas } from './useRollCanvas'
import { rollPoint } from './rollPointer'
import { useListener } from './useListener'

export interface SelectableNotes {
  index: NoteIndex
  indexOf: IndexOf
}

export function useNoteSelection(
  canvas: Ref<HTMLCanvasElement | null>,
  roll: RollCanvas,
  notes: () => SelectableNotes,
  editor: ReturnType<typeof useEditorStore>,
): void {
  let drag: { x: number; y: number; mode: SelectMode } | null = null

  const local = (event: PointerEvent) => rollPoint(canvas.value, event)

  useListener(canvas, 'pointerdown', (event) => {
    const { x, y } = local(event)
    if (event.button !== 0 || x < 0 || y < 0) return
    const mode: SelectMode = event.shiftKey ? 'add' : event.ctrlKey || event.metaKey ? 'toggle' : 'replace'
    const { index, indexOf } = notes()
    const hit = noteAt(roll.view(), index, indexOf, x, y)
    if (hit >= 0) {
      if (mode !== 'replace' || !editor.selection.includes(hit)) editor.select([hit], mode)
      return
    }
    drag = { x, y, mode }
    canvas.value?.setPointerCapture(event.pointerId)
  })

  useListener(canvas, 'pointermove', (event) => {
    if (!drag) return
    const { x, y } = local(event)
    roll.setBox(boxBetween(drag.x, drag.y, x, y))
  })

  function finish(event: PointerEvent): void {
    if (!drag) return
    const { x, y } = local(event)
    const { index, indexOf } = notes()
    editor.select(notesInBox(roll.view(), index, indexOf, boxBetween(drag.x, drag.y, x, y)), drag.mode)
    drag = null
    roll.setBox(null)
  }
  useListener(canvas, 'pointerup', finish)
  useListener(canvas, 'pointercancel', () => {
    drag = null
    roll.setBox(null)
  })
}
