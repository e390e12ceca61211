import { describe, expect, it } from 'vitest'
import { editCommand, type KeyPress } from './editKeys'

const press = (key: string, modifiers: Partial<KeyPress> = {}): KeyPress => ({
  key,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  repeat: false,
  ...modifiers,
})

describe('piano-roll edit keys', () => {
  it('transposes by a semitone, or an octave with shift', () => {
    expect(editCommand(press('ArrowUp'), true)).toEqual({ type: 'transpose', semitones: 1 })
    expect(editCommand(press('ArrowDown', { shiftKey: true }), true)).toEqual({
      type: 'transpose',
      semitones: -12,
    })
  })

  it('moves by a sixteenth, or a quarter with shift', () => {
    expect(editCommand(press('ArrowRight'), true)).toEqual({ type: 'move', quarters: 0.25 })
    expect(editCommand(press('ArrowLeft', { shiftKey: true }), true)).toEqual({ type: 'move', quarters: -1 })
  })

  it('deletes with Delete or Backspace', () => {
    expect(editCommand(press('Delete'), true)).toEqual({ type: 'remove' })
    expect(editCommand(press('Backspace'), true)).toEqual({ type: 'remove' })
  })

  it('undoes and redoes with ctrl or cmd, with or without a selection', () => {
    expect(editCommand(press('z', { ctrlKey: true }), false)).toEqual({ type: 'undo' })
    expect(editCommand(press('Z', { metaKey: true, shiftKey: true }), false)).toEqual({ type: 'redo' })
    expect(editCommand(press('y', { ctrlKey: true }), false)).toEqual({ type: 'redo' })
    expect(editCommand(press('a', { ctrlKey: true }), false)).toEqual({ type: 'selectAll' })
  })

  it('shows or hides the raw-output lane with R, with or without a selection, but not on a held key', () => {
    expect(editCommand(press('r'), false)).toEqual({ type: 'toggleRaw' })
    expect(editCommand(press('R', { shiftKey: true }), true)).toEqual({ type: 'toggleRaw' })
    expect(editCommand(press('r', { repeat: true }), false)).toBeNull()
    expect(editCommand(press('r', { ctrlKey: true }), false)).toBeNull()
    expect(editCommand(press('r', { altKey: true }), false)).toBeNull()
  })

  it('leaves other keys, and edits without a selection, alone', () => {
    expect(editCommand(press('ArrowUp'), false)).toBeNull()
    expect(editCommand(press('Delete', { altKey: true }), true)).toBeNull()
    expect(editCommand(press('c', { ctrlKey: true }), true)).toBeNull()
    expect(editCommand(press('g'), true)).toBeNull()
  })
})
