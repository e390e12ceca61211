// Node, tests only: the `electron` module that the built main bundle (out/main/index.js) imports when
// src/main/index.test.ts starts it under plain Node, since Electron's binary cannot run here. It records what
// main does with windows, the session, permissions and IPC, carries out utilityProcess.fork with
// child_process.fork of the path it is given, and answers the test over this process's IPC channel
// (StandInCommand in, StandInReply out). Only the parts of Electron's API that main uses are here.
import { fork } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

/** What the test asks; `id` matches the reply. */
export type StandInCommand =
  | { id: number; type: 'state' }
  | { id: number; type: 'secondInstance' }
  | { id: number; type: 'invoke'; channel: string; args: unknown[] }
  | { id: number; type: 'quit' }

export interface StandInState {
  /** Calls of app.quit(). */
  quits: number
  windows: { options: Record<string, unknown>; loadedFile?: string; loadedUrl?: string; focused: number }[]
  /** Whether main set each handler on the default session. */
  session: { headers: boolean; permissionRequest: boolean; permissionCheck: boolean }
  /** Web contents that main secured: a navigation guard and a window-open handler. */
  securedContents: number
  /** The channels of ipcMain.handle, in order. */
  handlers: string[]
  /** The paths given to nativeImage.createFromPath. */
  images: string[]
  engines: { modulePath: string; exit?: number | null }[]
}

export interface QuitOutcome {
  /** Whether main held the first quit back to stop the engine. */
  prevented: boolean
  /** From the quit to main's own app.quit(). */
  ms: number
  /** The engine's exit code, if it had exited by then. */
  engineExit: number | null | undefined
}

export type StandInReply = { id: number; result: unknown } | { id: number; error: string }

const state: StandInState = {
  quits: 0,
  windows: [],
  session: { headers: false, permissionRequest: false, permissionCheck: false },
  securedContents: 0,
  handlers: [],
  images: [],
  engines: [],
}
const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>()
let onQuit: (() => void) | undefined
/** The windows main made, beside their records in `state`. */
const windows: BrowserWindow[] = []

// Packaged, main reads its resources from process.resourcesPath, which Electron sets.
const { CADENZA_STANDIN_USER_DATA, CADENZA_STANDIN_RESOURCES, CADENZA_STANDIN_LOCK } = process.env
if (CADENZA_STANDIN_RESOURCES !== undefined) {
  ;(process as NodeJS.Process & { resourcesPath: string }).resourcesPath = CADENZA_STANDIN_RESOURCES
}

class AppStandIn extends EventEmitter {
  readonly name = 'Cadenza'
  readonly isPackaged = CADENZA_STANDIN_RESOURCES !== undefined
  requestSingleInstanceLock = () => CADENZA_STANDIN_LOCK !== 'taken'
  whenReady = () => Promise.resolve()
  getPath = () => CADENZA_STANDIN_USER_DATA
  getAppPath = () => process.cwd()
  quit = () => {
    state.quits++
    onQuit?.()
  }
}
export const app = new AppStandIn()

class WebContentsStandIn extends EventEmitter {
  send() {}
  setWindowOpenHandler() {
    state.securedContents++
  }
}

export class BrowserWindow extends EventEmitter {
  static fromWebContents = (contents: unknown) => windows.find((window) => window.webContents === contents)
  readonly webContents = new WebContentsStandIn()
  private readonly record: StandInState['windows'][number]

  constructor(options: Record<string, unknown>) {
    super()
    this.record = { options, focused: 0 }
    state.windows.push(this.record)
    windows.push(this)
    app.emit('web-contents-created', {}, this.webContents)
  }
  loadFile = async (file: string) => void (this.record.loadedFile = file)
  loadURL = async (url: string) => void (this.record.loadedUrl = url)
  isDestroyed = () => false
  isMinimized = () => false
  isMaximized = () => false
  getNormalBounds = () => ({ x: 0, y: 0, width: 1280, height: 800 })
  restore() {}
  maximize() {}
  show() {}
  focus() {
    this.record.focused++
  }
}

export const session = {
  defaultSession: {
    webRequest: { onHeadersReceived: () => void (state.session.headers = true) },
    setPermissionRequestHandler: () => void (state.session.permissionRequest = true),
    setPermissionCheckHandler: () => void (state.session.permissionCheck = true),
  },
}

export const ipcMain = {
  handle: (channel: string, listener: (event: unknown, ...args: unknown[]) => unknown) => {
    state.handlers.push(channel)
    handlers.set(channel, listener)
  },
  removeHandler: (channel: string) => void handlers.delete(channel),
}

export const nativeImage = {
  createFromPath: (path: string) => {
    state.images.push(path)
    return { isEmpty: () => !existsSync(path) }
  },
}

export const Menu = { buildFromTemplate: (template: unknown) => template, setApplicationMenu() {} }
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] }
export const shell = { openExternal: async () => {}, showItemInFolder() {} }
export const dialog = {}

export const utilityProcess = {
  fork: (modulePath: string) => {
    const record: StandInState['engines'][number] = { modulePath }
    state.engines.push(record)
    // Plain Node, as a utility process runs the bundle: none of this process's loaders.
    const child = fork(modulePath, [], { execArgv: [] })
    child.once('exit', (code) => (record.exit = code))
    return {
      pid: child.pid,
      postMessage: (message: unknown) => child.send(message as object),
      on: (_event: 'message', listener: (message: unknown) => void) => child.on('message', listener),
      once: (_event: 'exit', listener: (code: number | null) => void) => child.once('exit', listener),
      kill: () => child.kill('SIGTERM'),
    }
  },
}

/** A call as the studio window's page makes it: its own webContents, from its top frame on the app's page. */
async function invoke(channel: string, args: unknown[]): Promise<unknown> {
  const page = state.windows.at(-1)?.loadedFile
  const listener = handlers.get(channel)
  if (page === undefined || listener === undefined) throw new Error(`nothing answers ${channel}`)
  const event = {
    sender: windows.at(-1)?.webContents,
    senderFrame: { url: pathToFileURL(page).href, parent: null },
  }
  return listener(event, ...args)
}

function quit(): Promise<QuitOutcome> {
  const start = performance.now()
  let prevented = false
  return new Promise((resolve) => {
    onQuit = () => {
      onQuit = undefined
      resolve({ prevented, ms: performance.now() - start, engineExit: state.engines.at(-1)?.exit })
    }
    app.emit('before-quit', { preventDefault: () => (prevented = true) })
  })
}

async function answer(command: StandInCommand): Promise<unknown> {
  switch (command.type) {
    case 'state':
      return state
    case 'secondInstance':
      app.emit('second-instance')
      return state
    case 'invoke':
      return invoke(command.channel, command.args)
    case 'quit':
      return quit()
  }
}

process.on('message', (command: StandInCommand) => {
  answer(command).then(
    (result) => process.send?.({ id: command.id, result } satisfies StandInReply),
    (error: unknown) => process.send?.({ id: command.id, error: String(error) } satisfies StandInReply),
  )
})
