import { describe, expect, it } from 'vitest'
import type { CheckpointEntry } from '../../../shared/checkpointEntry'
import type { CadenzaApi } from '../../../shared/ipcContract'
import { fakeApi, installServices } from '../testing/fakeServices'
import { useCheckpointsStore } from './checkpoints'
import { useLibraryStore } from './library'

const entry = (id: string) =>
  ({ id, name: id, readOnly: false, status: 'ready' }) as unknown as CheckpointEntry

/** The stores on a fake library that starts with `ids`; every call is recorded. */
function setup(ids: string[], operations: Partial<CadenzaApi> = {}) {
  let list = ids.map(entry)
  const calls: unknown[][] = []
  installServices({
    api: fakeApi({
      listCheckpoints: async () => list,
      renameCheckpoint: async (id, name) => (calls.push(['rename', id, name]), { ...entry(id), name }),
      duplicateCheckpoint: async (id) => {
        calls.push(['duplicate', id])
        list = [...list, entry(`${id}-copy`)]
        return entry(`${id}-copy`)
      },
      keepBestEpoch: async (id) => {
        calls.push(['keep best', id])
        list = [...list, entry(`${id}-epoch-8`)]
        return entry(`${id}-epoch-8`)
      },
      removeCheckpoint: async (id) => {
        calls.push(['remove', id])
        list = list.filter((e) => e.id !== id)
      },
      revealCheckpoint: async (id) => void calls.push(['reveal', id]),
      exportCheckpoint: async (id) => (calls.push(['export', id]), `/home/me/${id}.cadenza`),
      importCheckpoint: async () => {
        list = [...list, entry('imported')]
        return entry('imported')
      },
      ...operations,
    }),
  })
  return { library: useLibraryStore(), checkpoints: useCheckpointsStore(), calls }
}

describe('the library store', () => {
  it("renames, duplicates, keeps a run's closest epoch and reveals by id, reading the list again after each", async () => {
    const { library, checkpoints, calls } = setup(['default', 'mine'])
    await library.rename('mine', 'Nocturnes')
    await library.duplicate('mine')
    await library.keepBestEpoch('mine')
    await library.reveal('mine')
    expect(calls).toEqual([
      ['rename', 'mine', 'Nocturnes'],
      ['duplicate', 'mine'],
      ['keep best', 'mine'],
      ['reveal', 'mine'],
    ])
    expect(checkpoints.list.map((e) => e.id)).toEqual(['default', 'mine', 'mine-copy', 'mine-epoch-8'])
    expect(library.error).toBeNull()
  })

  it('deletes only after the deletion is confirmed', async () => {
    const { library, checkpoints, calls } = setup(['default', 'mine'])
    library.askRemoval('mine')
    expect(library.confirmingRemoval).toBe('mine')
    library.cancelRemoval()
    await library.confirmRemoval()
    expect(calls).toEqual([])

    library.askRemoval('mine')
    await library.confirmRemoval()
    expect(calls).toEqual([['remove', 'mine']])
    expect(library.confirmingRemoval).toBeNull()
    expect(checkpoints.list.map((e) => e.id)).toEqual(['default'])
  })

  it('tells where an export went, and nothing when the save dialog was cancelled', async () => {
    const { library } = setup(['mine'])
    await library.exportCheckpoint('mine')
    expect(library.notice).toBe('Exported to /home/me/mine.cadenza')

    const cancelled = setup(['mine'], { exportCheckpoint: async () => null })
    await cancelled.library.exportCheckpoint('mine')
    expect(cancelled.library.notice).toBeNull()
  })

  it('selects an imported checkpoint for generation', async () => {
    const { library, checkpoints } = setup(['default'])
    await checkpoints.load()
    await library.importCheckpoint()
    expect(checkpoints.selectedId).toBe('imported')
    expect(library.notice).toBe('Imported “imported”')
  })

  it('keeps a failure as a readable message naming the action', async () => {
    const { library } = setup(['mine'], {
      renameCheckpoint: () =>
        Promise.reject(
          new Error("Error invoking remote method 'renameCheckpoint': Error: the shipped model is read-only"),
        ),
    })
    await library.rename('mine', 'x')
    expect(library.error).toBe('Could not rename the checkpoint: the shipped model is read-only')
    expect(library.busy).toBe(false)
    library.dismissError()
    expect(library.error).toBeNull()
  })
})
