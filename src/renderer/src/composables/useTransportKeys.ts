// Browser. The space bar plays and stops, anywhere but in a field.
import { isTyping } from './keyTargets'
import { useWindowListener } from './useWindowListener'

export function useTransportKeys(toggle: () => void): void {
  const isSpace = (event: KeyboardEvent) =>
    event.key === ' ' && !isTyping(event) && !event.ctrlKey && !event.metaKey && !event.altKey
  useWindowListener('keydown', (event) => {
    if (!isSpace(event)) return
    // Also keeps the page from scrolling.
    event.preventDefault()
    if (!event.repeat) toggle()
  })
  // A focused button clicks itself on the space bar's release: without this, space after clicking Generate
  // would both toggle playback and generate again.
  useWindowListener('keyup', (event) => {
    if (isSpace(event)) event.preventDefault()
  })
}
