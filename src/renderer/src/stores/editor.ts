// Browser. Editing the current take: which notes are selected, the edits, and undo/redo. Each take has its own
// history of piece snapshots; the snapshots share unchanged note objects, so they stay cheap.
import { defineStore } from 'pinia'
import { computed, shallowRef, watch } from 'vue'
import type { Piece } from '../../../shared/music/piece'
import {
  deleteNotes,
  moveNotes,
  quantizeNotes,
  setVelocity as withVelocity,
  type Edited,
} from '../pianoRoll/edits'
import { useTakesStore } from './takes'

interface Snapshot {
  piece: Piece
  selection: number[]
}

interface History {
  undo: Snapshot[]
  redo: Snapshot[]
}

/** How a click or a box adds to the selection: replace it, extend it (shift), or toggle (ctrl/cmd). */
export type SelectMode = 'replace' | 'add' | 'toggle'

const EMPTY: History = { undo: [], redo: [] }
/** Enough to undo a long session of edits without holding every piece forever. */
const HISTORY_LIMIT = 200

export const useEditorStore = defineStore('editor', () => {
  const takes = useTakesStore()
  const selection = shallowRef<number[]>([])
  // Replaced, never mutated, so that canUndo and canRedo follow it.
  const histories = shallowRef<ReadonlyMap<string, History>>(new Map())

  const history = computed(() => (takes.currentId && histories.value.get(takes.currentId)) || EMPTY)
  const canUndo = computed(() => history.value.undo.length > 0)
  const canRedo = computed(() => history.value.redo.length > 0)
  /** The selected notes' common velocity, or null when they differ or none is selected. */
  const selectedVelocity = computed(() => {
    const notes = takes.current?.piece.notes ?? []
    const velocities = new Set(selection.value.map((i) => notes[i]?.velocity))
    return velocities.size === 1 ? ([...velocities][0] ?? null) : null
  })

  // Synchronous, so that a selection made right after switching takes is not cleared after it.
  watch(
    () => takes.currentId,
    () => (selection.value = []),
    { flush: 'sync' },
  )

  function setHistory(id: string, next: History): void {
    histories.value = new Map(histories.value).set(id, next)
  }

  function select(indices: readonly number[], mode: SelectMode = 'replace'): void {
    const chosen = new Set(mode === 'replace' ? [] : selection.value)
    for (const i of indices) {
      if (mode === 'toggle' && chosen.has(i)) chosen.delete(i)
      else chosen.add(i)
    }
    selection.value = [...chosen].sort((a, b) => a - b)
  }

  function selectAll(): void {
    select([...(takes.current?.piece.notes.keys() ?? [])])
  }

  /** Applies an edit to the current take (to `indices`, the selection by default), remembering the piece before it. */
  function apply(edit: (piece: Piece, selected: number[]) => Edited, indices = selection.value): void {
    const take = takes.current
    if (!take || indices.length === 0) return
    const edited = edit(take.piece, indices)
    if (edited.piece === take.piece) return
    const before = { piece: take.piece, selection: selection.value }
    setHistory(take.id, { undo: [...history.value.undo, before].slice(-HISTORY_LIMIT), redo: [] })
    takes.replacePiece(take.id, edited.piece)
    selection.value = edited.selection
  }

  const move = (quarters: number, semitones: number) =>
    apply((piece, selected) => moveNotes(piece, selected, quarters, semitones))
  const transpose = (semitones: number) => move(0, semitones)
  const remove = () => apply(deleteNotes)
  const setVelocity = (velocity: number) =>
    apply((piece, selected) => withVelocity(piece, selected, velocity))

  /** Onsets onto a grid of `grid` quarters: the selected notes, or every note of the take when none is. */
  function quantize(grid: number): void {
    const all = [...(takes.current?.piece.notes.keys() ?? [])]
    apply(
      (piece, selected) => quantizeNotes(piece, selected, grid),
      selection.value.length ? selection.value : all,
    )
  }

  /** Steps back (`undo`) or forward (`redo`) through the current take's history. */
  function travel(from: 'undo' | 'redo'): void {
    const take = takes.current
    const stack = history.value[from]
    const target = stack.at(-1)
    if (!take || !target) return
    const rest = stack.slice(0, -1)
    const other = [
      ...history.value[from === 'undo' ? 'redo' : 'undo'],
      { piece: take.piece, selection: selection.value },
    ]
    setHistory(take.id, from === 'undo' ? { undo: rest, redo: other } : { undo: other, redo: rest })
    takes.replacePiece(take.id, target.piece)
    selection.value = target.selection
  }

  return {
    selection,
    canUndo,
    canRedo,
    selectedVelocity,
    select,
    selectAll,
    move,
    transpose,
    remove,
    setVelocity,
    quantize,
    undo: () => travel('undo'),
    redo: () => travel('redo'),
  }
})
