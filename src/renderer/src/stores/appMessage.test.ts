import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import { useAppMessageStore } from './appMessage'

describe('the app message store', () => {
  it('turns a failed task into a readable message, and dismisses it', async () => {
    setActivePinia(createPinia())
    const messages = useAppMessageStore()
    const loading = Promise.reject(new Error('Failed to fetch C4.mp3'))
    messages.reportFailure(loading, 'The piano sounds could not be loaded')
    await expect
      .poll(() => messages.error)
      .toBe('The piano sounds could not be loaded: Failed to fetch C4.mp3')
    messages.dismissError()
    expect(messages.error).toBeNull()
  })

  it('says nothing when the task succeeds', async () => {
    setActivePinia(createPinia())
    const messages = useAppMessageStore()
    const loading = Promise.resolve()
    messages.reportFailure(loading, 'The piano sounds could not be loaded')
    await loading
    expect(messages.error).toBeNull()
  })
})
