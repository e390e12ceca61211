// Browser. Failures of the app's own start-up work, not of a store's action (the piano's samples failing to
// load): kept as a readable message for the message line instead of an unhandled promise rejection.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { readableError } from '../errors'

export const useAppMessageStore = defineStore('appMessage', () => {
  const error = ref<string | null>(null)

  /** Shows "`what`: reason" if `task` fails; the failure counts as handled. */
  function reportFailure(task: Promise<unknown>, what: string): void {
    task.catch((caught: unknown) => (error.value = `${what}: ${readableError(caught)}`))
  }

  function dismissError(): void {
    error.value = null
  }

  return { error, reportFailure, dismissError }
})
