import { describe, expect, it } from 'vitest'
import type { CheckpointEntry } from '../../../shared/checkpointEntry'
import { fakeApi, installServices } from '../testing/fakeServices'
import { useCheckpointsStore } from './checkpoints'

const entry = (id: string, status: 'ready' | 'damaged' = 'ready') =>
  ({ id, name: id, readOnly: false, status, reason: '' }) as unknown as CheckpointEntry

function storeListing(...lists: (CheckpointEntry[] | Error)[]) {
  installServices({
    api: fakeApi({
      listCheckpoints: async () => {
        const next = lists.shift()
        if (!next || next instanceof Error) throw next ?? new Error('no more lists')
        return next
      },
    }),
  })
  return useCheckpointsStore()
}

describe('the checkpoints store', () => {
  it('selects the shipped model on first run', async () => {
    const store = storeListing([entry('mine'), entry('default')])
    await store.load()
    expect(store.selectedId).toBe('default')
    expect(store.selected?.name).toBe('default')
  })

  it('falls back to the first usable checkpoint, never a damaged one', async () => {
    const store = storeListing([entry('broken', 'damaged'), entry('mine')])
    await store.load()
    expect(store.selectedId).toBe('mine')
    store.select('broken')
    expect(store.selectedId).toBe('mine')
  })

  it('keeps the selection across reloads while it exists', async () => {
    const store = storeListing([entry('default'), entry('mine')], [entry('mine'), entry('default')])
    await store.load()
    store.select('mine')
    await store.load()
    expect(store.selectedId).toBe('mine')
  })

  it('keeps a failure as a readable message', async () => {
    const store = storeListing(new Error("Error invoking remote method 'listCheckpoints': Error: disk gone"))
    await store.load()
    expect(store.error).toBe('Could not read the checkpoints: disk gone')
    expect(store.loading).toBe(false)
  })
})
