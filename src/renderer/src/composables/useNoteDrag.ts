// Browser. Moving notes by dragging one of them: on release the selection (which the press on the note made
// or kept, see useNoteSelection) moves as one edit, so one undo puts it back. Register after
// useNoteSelection, whose press handler must run first.
import type { Ref } from 'vue'
import { noteAt } from '../pianoRoll/hitTest'
import { dragMove, type Point } from '../pianoRoll/noteDrag'
import type { useEditorStore } from '../stores/editor'
import { rollPoint } from './rollPointer'
import type { SelectableNotes } from './useNoteSelection'
import type { RollCanvas } from './useRollCanvas'
import { useListener } from './useListener'

export function useNoteDrag(
  canvas: Ref<HTMLCanvasElement | null>,
  roll: RollCanvas,
  notes: () => SelectableNotes,
  editor: ReturnType<typeof useEditorStore>,
): void {
  let grab: { onset: number; from: Point } | null = null

  useListener(canvas, 'pointerdown', (event) => {
    const from = rollPoint(canvas.value, event)
    const modified = event.shiftKey || event.ctrlKey || event.metaKey
    if (event.button !== 0 || modified || from.x < 0 || from.y < 0) return
    const { index, indexOf } = notes()
    const hit = noteAt(roll.view(), index, indexOf, from.x, from.y)
    if (hit < 0) return
    grab = { onset: index.notes[hit].onset, from }
    canvas.value?.setPointerCapture(event.pointerId)
  })

  useListener(canvas, 'pointerup', (event) => {
    if (!grab) return
    const { quarters, semitones } = dragMove(
      roll.view(),
      grab.onset,
      grab.from,
      rollPoint(canvas.value, event),
    )
    grab = null
    if (quarters !== 0 || semitones !== 0) editor.move(quarters, semitones)
  })
  useListener(canvas, 'pointercancel', () => (grab = null))
}
