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

describe('the preload API', () => {
  it('has one function per operation, invoking its channel with the arguments, and onEvent; nothing else', async () => {
    const { ipcRenderer, invoked } = fakeIpcRenderer()
    const api = createCadenzaApi(ipcRenderer)
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

  it('passes main events on without Electron event objects, until unsubscribed', () => {
    const { ipcRenderer, emit } = fakeIpcRenderer()
    const api = createCadenzaApi(ipcRenderer)
    const received: unknown[][] = []
    const unsubscribe = api.onEvent((...args) => received.push(args))
    const crash: CadenzaEvent = { type: 'engine-crashed', reason: 'exit code 1', restarting: true }
    emit(EVENT_CHANNEL, crash)
    unsubscribe()
    emit(EVENT_CHANNEL, crash)
    expect(received).toEqual([[crash]])
  })
})
