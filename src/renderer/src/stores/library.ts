// Browser. The checkpoint library's housekeeping: rename, duplicate, keep a run's closest epoch, delete (after
// a confirmation step), reveal, export and import. The list itself, and which checkpoint generates, stay in
// the checkpoints store, which is read again after every change.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { readableError } from '../errors'
import { useServices } from '../services'
import { useCheckpointsStore } from './checkpoints'

export const useLibraryStore = defineStore('library', () => {
  const { api } = useServices()
  const checkpoints = useCheckpointsStore()
  /** The checkpoint whose deletion waits for a second click. */
  const confirmingRemoval = ref<string | null>(null)
  const busy = ref(false)
  const error = ref<string | null>(null)
  /** What the last action achieved, when it is not visible in the list (where an export went). */
  const notice = ref<string | null>(null)

  /**
   * Runs one action and reads the list again; resolves to what the action resolved to, or undefined when
   * it failed, which becomes a message naming the action.
   */
  async function act<T>(what: string, action: () => Promise<T>): Promise<T | undefined> {
    busy.value = true
    notice.value = null
    try {
      const result = await action()
      error.value = null
      return result
    } catch (caught) {
      error.value = `Could not ${what}: ${readableError(caught)}`
      return undefined
    } finally {
      busy.value = false
      await checkpoints.load()
    }
  }

  const rename = (id: string, name: string) =>
    act('rename the checkpoint', () => api.renameCheckpoint(id, name))
  const duplicate = (id: string) => act('duplicate the checkpoint', () => api.duplicateCheckpoint(id))
  const keepBestEpoch = (id: string) => act('keep the closest epoch', () => api.keepBestEpoch(id))
  const reveal = (id: string) => act('show the checkpoint', () => api.revealCheckpoint(id))

  function askRemoval(id: string): void {
    confirmingRemoval.value = id
  }

  function cancelRemoval(): void {
    confirmingRemoval.value = null
  }

  async function confirmRemoval(): Promise<void> {
    const id = confirmingRemoval.value
    if (id === null) return
    confirmingRemoval.value = null
    await act('delete the checkpoint', () => api.removeCheckpoint(id))
  }

  async function exportCheckpoint(id: string): Promise<void> {
    const file = await act('export the checkpoint', () => api.exportCheckpoint(id))
    if (file) notice.value = `Exported to ${file}`
  }

  /** Imports a checkpoint file and selects it for generation (if it can generate). */
  async function importCheckpoint(): Promise<void> {
    const entry = await act('import the checkpoint', () => api.importCheckpoint())
    if (!entry) return
    notice.value = `Imported “${entry.name}”`
    checkpoints.select(entry.id)
  }

  function dismissError(): void {
    error.value = null
  }

  return {
    confirmingRemoval,
    busy,
    error,
    notice,
    rename,
    duplicate,
    keepBestEpoch,
    reveal,
    askRemoval,
    cancelRemoval,
    confirmRemoval,
    exportCheckpoint,
    importCheckpoint,
    dismissError,
  }
})
