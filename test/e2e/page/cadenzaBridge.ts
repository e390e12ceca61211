// The page, tests only; injected before the app's scripts. Defines window.cadenza as the preload does, with
// the preload's own createCadenzaApi, over an ipcRenderer whose transport is the test bridge's WebSocket
// instead of Electron's IPC. Calls made before the socket opens wait for it. Electron's webUtils, which gives
// a dropped File's path, is a stand-in that answers with the paths the test scripts, through
// window.cadenzaTestDrops, and records the Files it was asked about.
import type { IpcRenderer, IpcRendererEvent, WebUtils } from 'electron'
import { createCadenzaApi } from '../../../src/preload/cadenzaApi'
import type { CadenzaApi } from '../../../src/shared/ipcContract'
import { BRIDGE_PATH, decodeWire, encodeWire, type InvokeMessage, type ServerMessage } from '../bridge/wire'

/** The test's handle on the dropped Files' paths. */
export interface ScriptedDrops {
  /** Scripts the paths of the next Files asked about, in order, as a session scripts its dialogs. */
  answer(...paths: string[]): void
  /** The names of the Files asked about, in order. */
  asked(): string[]
}

declare global {
  interface Window {
    /** As the renderer's env.d.ts types it, for the tests' page.evaluate calls. */
    readonly cadenza: CadenzaApi
    readonly cadenzaTestDrops: ScriptedDrops
  }
}

function scriptedWebUtils(): { webUtils: Pick<WebUtils, 'getPathForFile'>; drops: ScriptedDrops } {
  const answers: string[] = []
  const asked: string[] = []
  const getPathForFile = (file: File) => {
    asked.push(file.name)
    // An unscripted drop fails the call loudly, as an unscripted dialog does.
    const path = answers.shift()
    if (path === undefined) throw new Error(`no path scripted for the dropped file "${file.name}"`)
    return path
  }
  const drops = { answer: (...paths: string[]) => void answers.push(...paths), asked: () => [...asked] }
  return { webUtils: { getPathForFile }, drops }
}

type EventListener = (event: IpcRendererEvent, ...args: unknown[]) => void

function bridgeIpcRenderer(): Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'> {
  const socket = new WebSocket(`ws://${location.host}${BRIDGE_PATH}`)
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve())
    socket.addEventListener('error', () => reject(new Error('the test bridge cannot be reached')))
  })
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>()
  const listeners = new Map<string, Set<EventListener>>()
  let lastId = 0

  socket.addEventListener('message', ({ data }) => {
    const message = decodeWire<ServerMessage>(String(data))
    if (message.type === 'event') {
      // Electron's event object carries the sender; the preload never passes it on, so an empty one will do.
      for (const listener of listeners.get(message.channel) ?? [])
        listener({} as IpcRendererEvent, message.event)
      return
    }
    const call = pending.get(message.id)
    pending.delete(message.id)
    if (message.type === 'result') call?.resolve(message.result)
    else call?.reject(new Error(message.message))
  })
  // The session ended (the test is over): no answer will come.
  socket.addEventListener('close', () => {
    for (const call of pending.values()) call.reject(new Error('the test bridge closed'))
    pending.clear()
  })

  const ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      await opened
      const id = ++lastId
      const message: InvokeMessage = { id, channel, args }
      return new Promise((resolve, reject) => {
        // Worded as Electron words a handler's rejection in the renderer.
        const fail = (error: Error) =>
          reject(new Error(`Error invoking remote method '${channel}': Error: ${error.message}`))
        pending.set(id, { resolve, reject: fail })
        socket.send(encodeWire(message))
      })
    },
    on: (channel: string, listener: EventListener) => {
      listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener))
      return ipcRenderer
    },
    removeListener: (channel: string, listener: EventListener) => {
      listeners.get(channel)?.delete(listener)
      return ipcRenderer
    },
  }
  // Only the methods the preload uses exist; createCadenzaApi asks for no more.
  return ipcRenderer as unknown as Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>
}

// Like the preload, which Electron runs in the top frame only.
if (window.top === window) {
  const { webUtils, drops } = scriptedWebUtils()
  Object.defineProperty(window, 'cadenza', {
    value: Object.freeze(createCadenzaApi(bridgeIpcRenderer(), webUtils)),
    enumerable: true,
  })
  Object.defineProperty(window, 'cadenzaTestDrops', { value: Object.freeze(drops) })
}
