// The preload's API over a recording fake of ipcRenderer.
import type { IpcRendererEvent } from 'electron'
import { describe, expect, it } from 'vitest'
import { EVENT_CHANNEL, OPERATIONS } from '../shared/ipcChannels'
import type { CadenzaEvent } from '../shared/ipcContract'
import { createCadenzaApi } from './cadenzaApi'

function fakeIpcRenderer() {
  const invoked: unknown[][] = []
  const listeners = new Map<string, Set<(event: IpcRendererEvent, payload: unknown) => void>>()
  const ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      invoked.push([channel, ...args])
      return `answer of ${channel}`
    },
    on(channel: string, listener: (event: IpcRendererEvent, payload: unknown) => void) {
      listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener))
      return this
    },
    removeListener(channel: string, listener: (event: IpcRendererEvent, payload: unknown) => void) {
      listeners.get(channel)?.delete(listener)
      return this
    },
  }
  const emit = (channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: 'secret' } as never, payload)
  }
  return { ipcRenderer: ipcRenderer as never, invoked, emit }
}

/**
 * webUtils as Electron has it: the path of a File on disk (here: a File named in `paths`), '' for another
 * File, and a TypeError for anything that is not a File. Records the Files it was asked about.
 */
function fakeWebUtils(paths: Record<string, string>) {
  const asked: File[] = []
  const webUtils = {
    getPathForFile: (file: File) => {
      if (!(file instanceof File))
        throw new TypeError('Error processing argument at index 0, conversion failure')
      asked.push(file)
      return paths[file.name] ?? ''
    },
  }
  return { webUtils, asked }
}

describe('the preload API', () => {
  it('has one function per operation, invoking its channel with the arguments, and onEvent; nothing else', async () => {
    const { ipcRenderer, invoked } = fakeIpcRenderer()
    const api = createCadenzaApi(ipcRenderer, fakeWebUtils({}).webUtils)
    expect(Object.keys(api).sort()).toEqual([...OPERATIONS, 'onEvent'].sort())
    const request = { seed: 1, temperature: 1, length: 8, count: 1 }
    expect(await api.generate('default', request)).toBe('answer of cadenza:generate')
    expect(await api.renameCheckpoint('run-1', 'Etudes')).toBe('answer of cadenza:renameCheckpoint')
    expect(await api.appInfo()).toBe('answer of cadenza:appInfo')
    expect(invoked).toEqual([
      ['cadenza:generate', 'default', request],
      ['cadenza:renameCheckpoint', 'run-1', 'Etudes'],
      ['cadenza:appInfo'],
    ])
  })

  it("sends a dropped folder's path, read here from its File, and takes no path from the page", async () => {
    const { ipcRenderer, invoked } = fakeIpcRenderer()
    const { webUtils, asked } = fakeWebUtils({ Etudes: '/home/me/Etudes' })
    const api = createCadenzaApi(ipcRenderer, webUtils)
    const dropped = new File([], 'Etudes')
    expect(await api.dropMidiFolder(dropped)).toBe('answer of cadenza:dropMidiFolder')
    expect(asked).toEqual([dropped])
    expect(() => api.dropMidiFolder('/etc' as never)).toThrow(TypeError)
    expect(invoked).toEqual([['cadenza:dropMidiFolder', '/home/me/Etudes']])
  })

  it('passes main events on without Electron event objects, until unsubscribed', () => {
    const { ipcRenderer, emit } = fakeIpcRenderer()
    const api = createCadenzaApi(ipcRenderer, fakeWebUtils({}).webUtils)
    const received: unknown[][] = []
    const unsubscribe = api.onEvent((...args) => received.push(args))
    const crash: CadenzaEvent = { type: 'engine-crashed', reason: 'exit code 1', restarting: true }
    emit(EVENT_CHANNEL, crash)
    unsubscribe()
    emit(EVENT_CHANNEL, crash)
    expect(received).toEqual([[crash]])
  })
})
