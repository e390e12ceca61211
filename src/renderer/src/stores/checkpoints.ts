// Browser. The checkpoint library as the studio's picker shows it, and which checkpoint generates.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { DEFAULT_CHECKPOINT_ID, type CheckpointEntry } from '../../../shared/checkpointEntry'
import { readableError } from '../errors'
import { useServices } from '../services'

export const useCheckpointsStore = defineStore('checkpoints', () => {
  const { api } = useServices()
  const list = shallowRef<CheckpointEntry[]>([])
  const selectedId = ref<string | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)

  const selected = computed(() => list.value.find((entry) => entry.id === selectedId.value) ?? null)
  /** Only a checkpoint with saved weights can generate. */
  const ready = computed(() => list.value.filter((entry) => entry.status === 'ready'))

  /** Reads the library; keeps the selection if it is still there, else picks the shipped model (first run). */
  async function load(): Promise<void> {
    loading.value = true
    try {
      list.value = await api.listCheckpoints()
      error.value = null
      if (!ready.value.some((entry) => entry.id === selectedId.value)) {
        const fallback = ready.value.find((entry) => entry.id === DEFAULT_CHECKPOINT_ID) ?? ready.value[0]
        selectedId.value = fallback?.id ?? null
      }
    } catch (caught) {
      error.value = `Could not read the checkpoints: ${readableError(caught)}`
    } finally {
      loading.value = false
    }
  }

  function select(id: string): void {
    if (ready.value.some((entry) => entry.id === id)) selectedId.value = id
  }

  function dismissError(): void {
    error.value = null
  }

  return { list, selectedId, loading, error, selected, ready, load, select, dismissError }
})
