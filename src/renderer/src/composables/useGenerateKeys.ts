// Browser. The Generate shortcut: G anywhere but in a field, and Enter when nothing has the focus (Enter in the
// Generate panel's fields submits its form).
import { isTyping } from './keyTargets'
import { useWindowListener } from './useWindowListener'

export function useGenerateKeys(generate: () => void): void {
  useWindowListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event) || event.repeat) return
    const onNothing = event.target === document.body
    if (event.key.toLowerCase() === 'g' || (event.key === 'Enter' && onNothing)) {
      event.preventDefault()
      generate()
    }
  })
}
