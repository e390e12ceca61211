// Electron main process: the composition root. It only wires the modules beside it together; each does one
// thing and is tested in Node. In order: one instance, logging, security, the engine, the checkpoint library
// and IPC, the menu, the studio window, and a bounded engine stop on quit.
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, screen, session, shell } from 'electron'
import { join } from 'node:path'
import engineBundle from '../engine/process/engineEntry?modulePath'
import { APP_VERSION } from '../shared/appVersion'
import { EVENT_CHANNEL } from '../shared/ipcChannels'
import type { CadenzaEvent } from '../shared/ipcContract'
import { CheckpointLibrary } from './checkpointLibrary'
import { electronDialogs } from './dialogs'
import { EngineHost } from './engineHost'
import { createHandlers, forwardEngineCrashes, registerIpcHandlers } from './ipcHandlers'
import { createLogger } from './logger'
import { menuTemplate } from './menu'
import {
  appUrlCheck,
  secureSession,
  secureWebContents,
  SECURE_WEB_PREFERENCES,
  senderCheck,
} from './security'
import { startUtilityEngine } from './utilityEngineProcess'
import { loadWindowState, MIN_SIZE, rememberWindowState } from './windowState'

const WEBSITE = 'https://cadenza.app'
/** How long quitting waits for the engine, beyond EngineHost's own bounded stop, before giving up on it. */
const QUIT_TIMEOUT_MS = 5000

// ------------------------------------------------------------------------------------ one instance
// A second start focuses the running studio instead: two engines would compete for the CPU and the library.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  void app.whenReady().then(start)
}

function start(): void {
  const development = !app.isPackaged
  const userData = app.getPath('userData')
  // Packaged, resources/ is unpacked into process.resourcesPath (electron-builder's extraResources).
  const resourcesDir = app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources')

  // ---------------------------------------------------------------------------------- logging
  const logger = createLogger(join(userData, 'logs'))
  const log = (line: string) => logger.log(line)
  log(`Cadenza ${APP_VERSION} starting (Electron ${process.versions.electron}, ${process.platform})`)

  // ---------------------------------------------------------------------------------- security
  const rendererIndex = join(import.meta.dirname, '../renderer/index.html')
  const devServerUrl = development ? process.env.ELECTRON_RENDERER_URL : undefined
  const isAppUrl = appUrlCheck({ devServerUrl, indexFile: rendererIndex })
  secureSession(session.defaultSession, isAppUrl)
  app.on('web-contents-created', (_event, contents) =>
    secureWebContents(contents, { isAppUrl, openExternal: (url) => shell.openExternal(url) }),
  )

  // ---------------------------------------------------------------------------------- engine
  // CADENZA_BACKEND is not set here: the engine picks the best backend unless the user forces one.
  const host = new EngineHost({ start: () => startUtilityEngine(engineBundle), log })
  host.on('crashed', ({ reason, restarting }) => log(`${reason}${restarting ? '; restarting it' : ''}`))
  void host.ready().then(
    ({ backend }) => log(`engine ready on ${backend.description}`),
    (error: unknown) => log(`engine failed to start: ${String(error)}`),
  )

  // ---------------------------------------------------------------------------------- library and IPC
  let studio: BrowserWindow | undefined
  const send = (event: CadenzaEvent) => {
    if (studio !== undefined && !studio.isDestroyed()) studio.webContents.send(EVENT_CHANNEL, event)
  }
  const dragIcon = nativeImage.createFromPath(join(resourcesDir, 'drag-icon.png'))
  if (dragIcon.isEmpty()) log(`the drag icon is missing from ${resourcesDir}; takes cannot be dragged out`)
  registerIpcHandlers({
    ipcMain,
    handlers: createHandlers({
      host,
      library: new CheckpointLibrary({
        root: join(userData, 'checkpoints'),
        defaultModelDir: join(resourcesDir, 'default-model'),
      }),
      dialogs: electronDialogs(dialog, (sender) => BrowserWindow.fromWebContents(sender)),
      appVersion: APP_VERSION,
      showItemInFolder: (path) => shell.showItemInFolder(path),
      exportsDir: join(userData, 'exports'),
      dragIcon,
      send,
    }),
    isTrustedSender: senderCheck(() => studio?.webContents, isAppUrl),
    log,
  })
  forwardEngineCrashes(host, send)

  // ---------------------------------------------------------------------------------- menu
  const template = menuTemplate(
    { platform: process.platform, appName: app.name, development },
    {
      showLogs: () => shell.showItemInFolder(logger.file),
      openWebsite: () => void shell.openExternal(WEBSITE),
    },
  )
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))

  // ---------------------------------------------------------------------------------- the studio window
  const openStudio = () => {
    const stateFile = join(userData, 'window-state.json')
    const { maximized, ...bounds } = loadWindowState(
      stateFile,
      screen.getAllDisplays().map((display) => display.workArea),
    )
    const window = new BrowserWindow({
      ...bounds,
      minWidth: MIN_SIZE.width,
      minHeight: MIN_SIZE.height,
      title: 'Cadenza',
      show: false,
      webPreferences: {
        ...SECURE_WEB_PREFERENCES,
        preload: join(import.meta.dirname, '../preload/index.cjs'),
      },
    })
    rememberWindowState(window, stateFile, log)
    window.once('ready-to-show', () => {
      if (maximized) window.maximize()
      window.show()
    })
    window.on('closed', () => {
      if (studio === window) studio = undefined
    })
    if (devServerUrl !== undefined) void window.loadURL(devServerUrl)
    else void window.loadFile(rendererIndex)
    studio = window
  }
  openStudio()
  app.on('second-instance', () => {
    if (studio === undefined) return openStudio()
    if (studio.isMinimized()) studio.restore()
    studio.focus()
  })
  app.on('activate', () => {
    if (studio === undefined) openStudio()
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  // ---------------------------------------------------------------------------------- quitting
  // [Note: engine lifecycle] (engineHost.ts): the engine is asked to exit, and killed after a bounded wait.
  let engineStopped = false
  app.on('before-quit', (event) => {
    if (engineStopped) return
    event.preventDefault()
    const timeout = new Promise((resolve) => setTimeout(resolve, QUIT_TIMEOUT_MS))
    void Promise.race([host.stop(), timeout]).finally(() => {
      engineStopped = true
      log('quitting')
      app.quit()
    })
  })
}
