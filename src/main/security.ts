// Electron main. The renderer's lock-down, written once: the Content-Security-Policy, the web preferences of
// every window, which permissions are granted (Web MIDI to the app's own page, nothing else), and that a page
// never navigates or opens windows (vetted external links go to the system browser). Electron objects are
// passed in, so all of it is tested in Node with recorded fakes.
import { pathToFileURL } from 'node:url'
import type { IpcMainInvokeEvent, Session, WebContents, WebPreferences } from 'electron'

/**
 * The renderer's policy; src/renderer/index.html carries the same string as a meta tag (a test keeps them
 * equal), as pages loaded from file:// get no response headers to carry it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  // blob:: Tone.js (standardized-audio-context) loads its AudioWorklet modules from blob: URLs. No
  // 'wasm-unsafe-eval': TensorFlow.js runs in the engine, and nothing in the renderer compiles wasm.
  "script-src 'self' blob:",
  // Tone.js runs its clock in a blob: Worker, so timing survives a throttled page.
  "worker-src 'self' blob:",
  // Vite's dev server and Vue's scoped styles insert <style> elements.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  // The piano's samples are fetched and decoded; 'self' also admits the dev server's hot-reload socket.
  "connect-src 'self' blob: data:",
  "media-src 'self' blob: data:",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')

/** Every window's web preferences, less its preload script. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  // A file dropped outside a drop zone would otherwise replace the page with the file.
  navigateOnDragDrop: false,
} as const satisfies WebPreferences

/** Sites whose links open in the system browser; any other link is dropped. */
export const EXTERNAL_HOSTS = ['cadenza.app', 'github.com', 'www.piano-midi.de'] as const

const GRANTED_PERMISSIONS = new Set(['midi', 'midiSysex'])

export type AppUrlCheck = (url: string | undefined) => boolean

/**
 * Whether a URL is the app's own page: under the dev server's origin in development, else the renderer's
 * index.html itself (file:// URLs all share the opaque origin "null", so the origin cannot tell).
 */
export function appUrlCheck({
  devServerUrl,
  indexFile,
}: {
  devServerUrl?: string
  indexFile: string
}): AppUrlCheck {
  const page = pathToFileURL(indexFile).href
  const devOrigin = devServerUrl === undefined ? undefined : new URL(devServerUrl).origin
  return (url) => {
    if (url === undefined || !URL.canParse(url)) return false
    const parsed = new URL(url)
    if (devOrigin !== undefined) return parsed.origin === devOrigin
    parsed.hash = ''
    parsed.search = ''
    return parsed.href === page
  }
}

export function isVettedExternalUrl(url: string): boolean {
  if (!URL.canParse(url)) return false
  const { protocol, hostname, username, password } = new URL(url)
  const hosts: readonly string[] = EXTERNAL_HOSTS
  return (protocol === 'https:' || protocol === 'http:') && !username && !password && hosts.includes(hostname)
}

export function isPermissionGranted(
  permission: string,
  requestingUrl: string | undefined,
  isAppUrl: AppUrlCheck,
) {
  return GRANTED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl)
}

type SessionLike = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>
}

/** The CSP header for what the dev server serves, and the permission handlers, on the window's session. */
export function secureSession(session: SessionLike, isAppUrl: AppUrlCheck): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    })
  })
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionGranted(permission, details.requestingUrl, isAppUrl))
  })
  // Checks come before any request (navigator.permissions, requestMIDIAccess itself), so they must agree.
  session.setPermissionCheckHandler((contents, permission, _origin, details) =>
    isPermissionGranted(permission, details.requestingUrl ?? contents?.getURL(), isAppUrl),
  )
}

type WebContentsLike = Pick<WebContents, 'on' | 'setWindowOpenHandler'>

/** No navigation away from the app's page and no new windows; vetted links open in the system browser. */
export function secureWebContents(
  contents: WebContentsLike,
  { isAppUrl, openExternal }: { isAppUrl: AppUrlCheck; openExternal: (url: string) => Promise<void> },
): void {
  const openOutside = (url: string) => {
    if (isVettedExternalUrl(url)) void openExternal(url).catch(() => undefined)
  }
  contents.on('will-navigate', (event, url) => {
    // The app's own page may reload (the dev server does on edits); anything else is stopped.
    if (isAppUrl(url)) return
    event.preventDefault()
    openOutside(url)
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url)
    return { action: 'deny' }
  })
}

type InvokeEventLike = Pick<IpcMainInvokeEvent, 'sender'> & {
  senderFrame: Pick<NonNullable<IpcMainInvokeEvent['senderFrame']>, 'url' | 'parent'> | null
}

/** An IPC message is trusted only from the studio window's top frame, showing the app's own page. */
export function senderCheck(studio: () => WebContents | undefined, isAppUrl: AppUrlCheck) {
  return (event: InvokeEventLike): boolean => {
    const frame = event.senderFrame
    return event.sender === studio() && frame !== null && frame.parent === null && isAppUrl(frame.url)
  }
}
