// Node, tests only. The test bridge: serves the built renderer (out/renderer) over http with the app's
// Content-Security-Policy, and answers window.cadenza's calls over a WebSocket on the same origin (so the
// policy's connect-src 'self' admits it) with the real handler table and the real engine, forked under Node
// on WebAssembly. Only Electron's transport is swapped. One test at a time: opening a session ends the last.
import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve } from 'node:path'
import { WebSocketServer } from 'ws'
import { EngineHost } from '../../../src/main/engineHost'
import { forwardEngineCrashes } from '../../../src/main/ipcHandlers'
import { startNodeEngine } from '../../../src/main/nodeEngineProcess'
import { appUrlCheck, CONTENT_SECURITY_POLICY } from '../../../src/main/security'
import { openSession, type BridgeSession, type OpenSession } from './bridgeSession'
import { BRIDGE_PATH } from './wire'

const ROOT = resolve(import.meta.dirname, '../../..')
const RENDERER_DIR = join(ROOT, 'out/renderer')

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
}

export interface Bridge {
  /** package.json's version, which main reports (src/shared/appVersion.ts, whose JSON import Playwright's
   * loader cannot take). */
  readonly appVersion: string
  /** The renderer's page, e.g. http://127.0.0.1:40123/index.html. */
  readonly url: string
  /**
   * Starts a test's session: its main side, which the pages that connect next talk to. `onWork` is called
   * whenever one of its trainings makes progress.
   */
  openSession(onWork?: () => void): Promise<BridgeSession>
  /** Ends the session: its trainings are cancelled, its pages' sockets close and its userData folder is removed. */
  closeSession(): Promise<void>
  close(): Promise<void>
}

async function serveRenderer(request: IncomingMessage, response: ServerResponse) {
  const path = new URL(request.url ?? '/', 'http://bridge').pathname
  // Chromium asks a web page for its icon, which a window in Electron never does.
  if (path === '/favicon.ico') {
    response.writeHead(204).end()
    return
  }
  const file = normalize(join(RENDERER_DIR, path === '/' ? 'index.html' : decodeURIComponent(path)))
  const type = CONTENT_TYPES[extname(file)]
  if (!file.startsWith(RENDERER_DIR + '/') || type === undefined || !existsSync(file)) {
    response.writeHead(404).end()
    return
  }
  response
    .writeHead(200, { 'Content-Type': type, 'Content-Security-Policy': CONTENT_SECURITY_POLICY })
    .end(await readFile(file))
}

export async function startBridge(): Promise<Bridge> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`${RENDERER_DIR} has no index.html: build the renderer first (npm run build)`)
  }
  // The engine's current process, so a test can kill it as a crash would (the host starts a new one).
  let engine: ChildProcess | undefined
  const host = new EngineHost({
    start: () => {
      const started = startNodeEngine(join(ROOT, 'src/engine/process/engineEntry.ts'), {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, CADENZA_BACKEND: 'wasm' },
      })
      engine = started.child
      return started
    },
  })
  const killEngine = () => void engine?.kill('SIGKILL')
  let session: OpenSession | undefined
  forwardEngineCrashes(host, (event) => session?.send(event))

  const server = createServer((request, response) => {
    serveRenderer(request, response).catch((error: unknown) => response.writeHead(500).end(String(error)))
  })
  const sockets = new WebSocketServer({ server, path: BRIDGE_PATH })
  sockets.on('connection', (socket, request) => {
    if (session === undefined) socket.close(1011, 'no test session is open')
    else session.attach(socket, request.headers.origin)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  // As in development, where the app's page is the dev server's: any page of this origin.
  const isAppUrl = appUrlCheck({ devServerUrl: origin, indexFile: join(RENDERER_DIR, 'index.html') })
  const { version: appVersion } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string
  }

  const closeSession = async () => {
    const closing = session
    session = undefined
    await closing?.dispose()
  }

  return {
    appVersion,
    url: `${origin}/index.html`,
    openSession: async (onWork) => {
      await closeSession()
      session = openSession({ host, killEngine, appVersion, isAppUrl, root: ROOT, onWork })
      return session
    },
    closeSession,
    close: async () => {
      await closeSession()
      sockets.close()
      server.closeAllConnections()
      await new Promise((done) => server.close(done))
      await host.stop()
    },
  }
}
