// Browser. The Record shortcut: * (the numeric keypad's, or shift+8), as DAWs have it, anywhere but in a
// field; R is the raw-output lane's.
import { isTyping } from './keyTargets'
import { useWindowListener } from './useWindowListener'

export function useRecordKeys(toggle: () => void): void {
  useWindowListener('keydown', (event) => {
    if (
      event.key !== '*' ||
      event.ctrlKey ||
      event.metaKey ||
      event.altKey ||
      isTyping(event) ||
      event.repeat
    )
      return
    event.preventDefault()
    toggle()
  })
}
