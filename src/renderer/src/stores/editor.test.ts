import { describe, expect, it } from 'vitest'
import { fakeApi, installServices, pieceOf } from '../testing/fakeServices'
import { useCheckpointsStore } from './checkpoints'
import { useEditorStore } from './editor'
import { useTakesStore } from './takes'

/** Two takes, each of three notes; the first is current. */
async function setup() {
  installServices({
    api: fakeApi({
      generate: async (_, request) =>
        Array.from({ length: request.count }, () => pieceOf([0, 1, 60, 80], [1, 1, 62, 90], [2, 1, 64, 100])),
    }),
  })
  useCheckpointsStore().selectedId = 'default'
  const takes = useTakesStore()
  const editor = useEditorStore()
  await takes.generate()
  await takes.generate()
  takes.select(takes.takes[0].id)
  const pitches = () => takes.current?.piece.notes.map((note) => note.pitch)
  return { takes, editor, pitches }
}

describe('the editor store', () => {
  it('replaces, extends and toggles the selection', async () => {
    const { editor } = await setup()
    editor.select([2, 0])
    expect(editor.selection).toEqual([0, 2])
    editor.select([1], 'add')
    expect(editor.selection).toEqual([0, 1, 2])
    editor.select([0, 1], 'toggle')
    expect(editor.selection).toEqual([2])
    editor.selectAll()
    expect(editor.selection).toEqual([0, 1, 2])
  })

  it('transposes by semitones and octaves, and moves in time', async () => {
    const { takes, editor, pitches } = await setup()
    editor.select([0])
    editor.transpose(1)
    editor.transpose(-12)
    expect(pitches()).toEqual([49, 62, 64])
    editor.move(1.5, 0)
    expect(takes.current?.piece.notes.map((note) => note.onset)).toEqual([1, 1.5, 2])
    expect(editor.selection).toEqual([1])
  })

  it('deletes the selection and edits velocity', async () => {
    const { takes, editor, pitches } = await setup()
    editor.select([0, 1])
    expect(editor.selectedVelocity).toBeNull()
    editor.setVelocity(50)
    expect(editor.selectedVelocity).toBe(50)
    editor.select([1])
    editor.remove()
    expect(pitches()).toEqual([60, 64])
    expect(takes.current?.piece.notes.map((note) => note.velocity)).toEqual([50, 100])
  })

  it('undoes and redoes, restoring the selection', async () => {
    const { editor, pitches } = await setup()
    expect(editor.canUndo).toBe(false)
    editor.select([2])
    editor.transpose(12)
    editor.select([0])
    editor.remove()
    expect(pitches()).toEqual([62, 76])
    editor.undo()
    expect([pitches(), editor.selection]).toEqual([[60, 62, 76], [0]])
    editor.undo()
    expect([pitches(), editor.selection, editor.canUndo, editor.canRedo]).toEqual([
      [60, 62, 64],
      [2],
      false,
      true,
    ])
    editor.redo()
    expect(pitches()).toEqual([60, 62, 76])
    editor.select([1])
    editor.transpose(1)
    expect(editor.canRedo).toBe(false)
  })

  it('keeps a history per take and clears the selection on switching', async () => {
    const { takes, editor, pitches } = await setup()
    editor.select([0])
    editor.transpose(1)
    takes.select(takes.takes[1].id)
    expect([editor.selection, editor.canUndo]).toEqual([[], false])
    editor.undo()
    expect(pitches()).toEqual([60, 62, 64])
    takes.select(takes.takes[0].id)
    editor.undo()
    expect(pitches()).toEqual([60, 62, 64])
  })

  it('does nothing without a selection', async () => {
    const { editor, pitches } = await setup()
    editor.transpose(5)
    editor.remove()
    expect([pitches(), editor.canUndo]).toEqual([[60, 62, 64], false])
  })
})
