// Browser. The piano roll's editing keys (see editKeys.ts), window-wide so that they work without first
// clicking the roll, but never while the user types into a field.
import { editCommand } from '../pianoRoll/editKeys'
import type { useEditorStore } from '../stores/editor'
import type { useRawOutputStore } from '../stores/rawOutput'
import { isTyping } from './keyTargets'
import { useWindowListener } from './useWindowListener'

export function useEditKeys(
  editor: ReturnType<typeof useEditorStore>,
  rawOutput: ReturnType<typeof useRawOutputStore>,
): void {
  useWindowListener('keydown', (event) => {
    const command = isTyping(event) ? null : editCommand(event, editor.selection.length > 0)
    if (!command) return
    event.preventDefault()
    if (command.type === 'transpose') editor.transpose(command.semitones)
    else if (command.type === 'move') editor.move(command.quarters, 0)
    else if (command.type === 'remove') editor.remove()
    else if (command.type === 'selectAll') editor.selectAll()
    else if (command.type === 'toggleRaw') rawOutput.toggle()
    else if (command.type === 'undo') editor.undo()
    else editor.redo()
  })
}
