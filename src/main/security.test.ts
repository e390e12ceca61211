// The lock-down with recorded fakes of Electron's session and webContents: exactly what is granted, denied,
// opened outside, and what the CSP allows.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Session, WebContents } from 'electron'
import { describe, expect, it } from 'vitest'
import {
  appUrlCheck,
  CONTENT_SECURITY_POLICY,
  secureSession,
  secureWebContents,
  SECURE_WEB_PREFERENCES,
  senderCheck,
} from './security'

const INDEX = '/opt/Cadenza/resources/app.asar/out/renderer/index.html'
const PAGE = pathToFileURL(INDEX).href
const packaged = appUrlCheck({ indexFile: INDEX })

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/)
      return [name, sources]
    }),
  )
}

/** A session that records the handlers it is given. */
function fakeSession() {
  const recorded: {
    headers?: Parameters<Session['webRequest']['onHeadersReceived']>[0]
    request?: Parameters<Session['setPermissionRequestHandler']>[0]
    check?: Parameters<Session['setPermissionCheckHandler']>[0]
  } = {}
  const session = {
    webRequest: { onHeadersReceived: (listener: typeof recorded.headers) => (recorded.headers = listener) },
    setPermissionRequestHandler: (handler: typeof recorded.request) => (recorded.request = handler),
    setPermissionCheckHandler: (handler: typeof recorded.check) => (recorded.check = handler),
  } as unknown as Parameters<typeof secureSession>[0]
  return { session, recorded }
}

describe('the content security policy', () => {
  const policy = directives(CONTENT_SECURITY_POLICY)

  it('allows only what the renderer uses: own scripts, and blob: workers and worklets for Tone.js', () => {
    expect(Object.fromEntries(policy)).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'", 'blob:'],
      'worker-src': ["'self'", 'blob:'],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:', 'blob:'],
      'font-src': ["'self'"],
      'connect-src': ["'self'", 'blob:', 'data:'],
      'media-src': ["'self'", 'blob:', 'data:'],
      'object-src': ["'none'"],
      'frame-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
    })
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/)
  })

  it('is the one in index.html, which file:// pages rely on', () => {
    const html = readFileSync(join(import.meta.dirname, '../renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY)
  })

  it('is added to every response the session receives', () => {
    const { session, recorded } = fakeSession()
    secureSession(session, packaged)
    let headers: Record<string, string[]> | undefined
    recorded.headers!({ responseHeaders: { 'Content-Type': ['text/html'] } } as never, (response) => {
      headers = response.responseHeaders as Record<string, string[]>
    })
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    })
  })
})

describe('permissions', () => {
  const { session, recorded } = fakeSession()
  secureSession(session, packaged)
  const request = (permission: string, requestingUrl: string) =>
    new Promise<boolean>((resolve) =>
      recorded.request!({} as never, permission as never, resolve, { requestingUrl, isMainFrame: true }),
    )
  const check = (permission: string, requestingUrl: string | undefined, pageUrl = PAGE) =>
    recorded.check!({ getURL: () => pageUrl } as never, permission as never, 'file://', {
      requestingUrl,
      isMainFrame: true,
    })

  it('grants midi and midiSysex to the app page only, when requested and when checked', async () => {
    expect(await request('midi', PAGE)).toBe(true)
    expect(await request('midiSysex', `${PAGE}#roll`)).toBe(true)
    expect(await request('midi', 'https://example.com/')).toBe(false)
    expect(await request('midi', pathToFileURL('/tmp/evil.html').href)).toBe(false)
    expect(check('midi', PAGE)).toBe(true)
    expect(check('midiSysex', undefined)).toBe(true)
    expect(check('midiSysex', undefined, 'https://example.com/')).toBe(false)
    expect(check('midi', 'https://example.com/')).toBe(false)
  })

  it('denies everything else, even to the app page', async () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'hid',
    ]) {
      expect(await request(permission, PAGE)).toBe(false)
      expect(check(permission, PAGE)).toBe(false)
    }
  })
})

describe('navigation and new windows', () => {
  function fakeContents() {
    const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>()
    let openHandler: ((details: { url: string }) => { action: string }) | undefined
    const contents = {
      on: (name: string, listener: (event: { preventDefault(): void }, url: string) => void) =>
        listeners.set(name, listener),
      setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
    } as unknown as Parameters<typeof secureWebContents>[0]
    const opened: string[] = []
    secureWebContents(contents, { isAppUrl: packaged, openExternal: async (url) => void opened.push(url) })
    /** Whether navigating to `url` went ahead. */
    const navigate = (name: string, url: string) => {
      let prevented = false
      listeners.get(name)!({ preventDefault: () => (prevented = true) }, url)
      return !prevented
    }
    return { navigate, open: (url: string) => openHandler!({ url }).action, opened }
  }

  it('stays on the app page, sending only vetted links to the system browser', () => {
    const { navigate, opened } = fakeContents()
    expect(navigate('will-navigate', PAGE)).toBe(true)
    expect(navigate('will-navigate', 'https://github.com/cadenza/cadenza')).toBe(false)
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(false)
    expect(navigate('will-navigate', pathToFileURL('/etc/passwd').href)).toBe(false)
    expect(navigate('will-attach-webview', PAGE)).toBe(false)
    expect(opened).toEqual(['https://github.com/cadenza/cadenza'])
  })

  it('denies every new window, opening vetted http(s) links outside', () => {
    const { open, opened } = fakeContents()
    const urls = [
      'https://cadenza.app/docs',
      'http://www.piano-midi.de/',
      'https://github.com.evil.example/',
      'https://user:pw@github.com/',
      'file:///etc/passwd',
      'smb://cadenza.app/share',
      'javascript:alert(1)',
      PAGE,
    ]
    expect(urls.map(open)).toEqual(urls.map(() => 'deny'))
    expect(opened).toEqual(['https://cadenza.app/docs', 'http://www.piano-midi.de/'])
  })
})

describe('the app page and the IPC sender', () => {
  it('in development, is anything under the dev server origin', () => {
    const dev = appUrlCheck({ devServerUrl: 'http://localhost:5173/', indexFile: INDEX })
    expect(dev('http://localhost:5173/src/App.vue')).toBe(true)
    expect(dev('http://localhost:5174/')).toBe(false)
    expect(dev(PAGE)).toBe(false)
    expect(dev(undefined)).toBe(false)
  })

  it('trusts only the studio window top frame on the app page', () => {
    const studio = {} as WebContents
    const trusted = senderCheck(() => studio, packaged)
    const top = { url: PAGE, parent: null }
    expect(trusted({ sender: studio, senderFrame: top })).toBe(true)
    expect(trusted({ sender: {} as WebContents, senderFrame: top })).toBe(false)
    expect(trusted({ sender: studio, senderFrame: null })).toBe(false)
    expect(trusted({ sender: studio, senderFrame: { url: PAGE, parent: top as never } })).toBe(false)
    expect(trusted({ sender: studio, senderFrame: { url: 'https://evil.example/', parent: null } })).toBe(
      false,
    )
  })

  it('gives every window the locked-down preferences', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    })
  })
})
