// Browser. Which edit a key press on the piano roll asks for: Delete, arrows up/down to transpose (shift: an
// octave), arrows left/right to move (a sixteenth; shift: a quarter), select all, undo and redo; and R, which
// shows or hides the raw-output lane.
import { SIXTEENTH } from './grid'

export type EditCommand =
  | { type: 'undo' | 'redo' | 'selectAll' | 'remove' | 'toggleRaw' }
  | { type: 'transpose'; semitones: number }
  | { type: 'move'; quarters: number }

export type KeyPress = Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey' | 'repeat'>

/** The command, or null for a key that is not an edit (or not one without a selection). */
export function editCommand(press: KeyPress, hasSelection: boolean): EditCommand | null {
  const key = press.key.toLowerCase()
  if (press.ctrlKey || press.metaKey) {
    if (key === 'z') return { type: press.shiftKey ? 'redo' : 'undo' }
    if (key === 'y') return { type: 'redo' }
    if (key === 'a') return { type: 'selectAll' }
    return null
  }
  if (press.altKey) return null
  // A held key would flicker the lane on and off.
  if (key === 'r') return press.repeat ? null : { type: 'toggleRaw' }
  // Without a selection, the other keys keep their usual meaning (arrows scroll a list, for one).
  if (!hasSelection) return null
  const octave = press.shiftKey ? 12 : 1
  const nudge = press.shiftKey ? 1 : SIXTEENTH
  switch (key) {
    case 'delete':
    case 'backspace':
      return { type: 'remove' }
    case 'arrowup':
      return { type: 'transpose', semitones: octave }
    case 'arrowdown':
      return { type: 'transpose', semitones: -octave }
    case 'arrowright':
      return { type: 'move', quarters: nudge }
    case 'arrowleft':
      return { type: 'move', quarters: -nudge }
    default:
      return null
  }
}
