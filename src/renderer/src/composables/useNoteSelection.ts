// Browser. Selecting notes on the piano roll: click a note, or drag a box around notes. Shift adds to the
// selection and ctrl/cmd toggles; a click on empty space clears it.
import type { Ref } from 'vue'
import { KEYBOARD_WIDTH, RULER_HEIGHT } from '../pianoRoll/draw'
import { boxBetween, noteAt, notesInBox, type IndexOf } from '../pianoRoll/hitTest'
import type { NoteIndex } from '../pianoRoll/visibleNotes'
import type { SelectMode, useEditorStore } from '../stores/editor'
import type { RollCanvas } from './useRollCanvas'
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

  /** The pointer in pixels of the note area. */
  function local(event: PointerEvent): { x: number; y: number } {
    const bounds = canvas.value?.getBoundingClientRect()
    return {
      x: event.clientX - (bounds?.left ?? 0) - KEYBOARD_WIDTH,
      y: event.clientY - (bounds?.top ?? 0) - RULER_HEIGHT,
    }
  }

  useListener(canvas, 'pointerdown', (event) => {
    const { x, y } = local(event)
    if (event.button !== 0 || x < 0 || y < 0) return
    const mode: SelectMode = event.shiftKey ? 'add' : event.ctrlKey || event.metaKey ? 'toggle' : 'replace'
    const { index, indexOf } = notes()
    const hit = noteAt(roll.view(), index, indexOf, x, y)
    if (hit >= 0) {
      editor.select([hit], mode)
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
