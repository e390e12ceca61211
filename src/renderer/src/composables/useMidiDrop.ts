// Browser. Dropping a .mid file anywhere on the window makes it the primer ("continue from a clip").
import type { useGenerateSettingsStore } from '../stores/generateSettings'
import { useWindowListener } from './useWindowListener'

export function useMidiDrop(settings: ReturnType<typeof useGenerateSettingsStore>): void {
  // Without preventDefault on both, the browser would open the dropped file in place of the studio.
  useWindowListener('dragover', (event) => {
    if (event.dataTransfer?.types.includes('Files')) event.preventDefault()
  })
  useWindowListener('drop', (event) => {
    const file = event.dataTransfer?.files[0]
    if (!file) return
    event.preventDefault()
    void settings.dropPrimerFile(file.name, async () => new Uint8Array(await file.arrayBuffer()))
  })
}
