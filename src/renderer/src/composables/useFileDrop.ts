// Browser. An element that takes files dragged in from the desktop: `dropping` while they are over it (for
// the drop zone's look), and `dropped` with the files. Such drags stop at the element: the window's own
// drop handler (useMidiDrop) would make the file the primer.
import { ref } from 'vue'

/** `accepting` says whether a drop would be taken now: the zone shows only then (`dropped` decides itself). */
export function useFileDrop(dropped: (files: File[]) => void, accepting: () => boolean) {
  const dropping = ref(false)
  const fromDesktop = (event: DragEvent) => event.dataTransfer?.types.includes('Files') === true

  function dragover(event: DragEvent): void {
    if (!fromDesktop(event)) return
    // Cancelling dragover is what lets the drop happen here.
    event.preventDefault()
    event.stopPropagation()
    dropping.value = accepting()
    event.dataTransfer!.dropEffect = dropping.value ? 'copy' : 'none'
  }

  function dragleave(event: DragEvent): void {
    // Moving onto one of the element's children is not leaving it.
    const zone = event.currentTarget as Node
    if (!zone.contains(event.relatedTarget as Node | null)) dropping.value = false
  }

  function drop(event: DragEvent): void {
    if (!fromDesktop(event)) return
    event.preventDefault()
    event.stopPropagation()
    dropping.value = false
    dropped([...event.dataTransfer!.files])
  }

  return { dropping, listeners: { dragover, dragleave, drop } }
}
