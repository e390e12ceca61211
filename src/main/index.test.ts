// The built app's wiring: out/main/index.js, as electron-vite builds it from index.ts, run under plain Node
// as a packaged app (its resources laid out as electron-builder.yml packages them), with the stand-in for
// Electron in test/builtMain, since Electron's binary cannot run here. Its engine is the built engine bundle,
// forked as utilityProcess.fork would start it. The run builds it first when it is stale (test/globalSetup.ts).
import { fork, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  QuitOutcome,
  StandInCommand,
  StandInReply,
  StandInState,
} from '../../test/builtMain/electronStandIn'
import { builderConfig, layOutExtraResources, ROOT } from '../../test/packagedFiles'
import type { CheckpointEntry } from '../shared/checkpointEntry'
import { channelOf, OPERATIONS } from '../shared/ipcChannels'
import type { AppInfo } from '../shared/ipcContract'
import { SECURE_WEB_PREFERENCES } from './security'

const MAIN = join(ROOT, 'out/main/index.js')
const STAND_IN = join(ROOT, 'test/builtMain/useElectronStandIn.ts')
const temporary = () => mkdtempSync(join(tmpdir(), 'cadenza-built-'))

type Command = StandInCommand extends infer C ? (C extends unknown ? Omit<C, 'id'> : never) : never

/** The built main process under the stand-in, and the test's line to it. */
class BuiltMain {
  private readonly child: ChildProcess
  private lastId = 0
  private readonly waiting = new Map<number, (reply: StandInReply) => void>()
  /** Set when the process has ended: each question then fails with this instead of going unanswered. */
  private ended?: StandInReply

  constructor(env: Record<string, string>) {
    this.child = fork(MAIN, [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx', '--import', STAND_IN],
      env: { ...process.env, ...env },
    })
    this.child.on('message', (reply: StandInReply) => this.waiting.get(reply.id)?.(reply))
    this.child.once('exit', (code, signal) => {
      this.ended = { id: 0, error: `the built main process ended (${signal ?? `exit code ${code}`})` }
      for (const answer of this.waiting.values()) answer(this.ended)
    })
  }

  async ask<T>(command: Command): Promise<T> {
    const id = ++this.lastId
    const reply = await new Promise<StandInReply>((resolve) => {
      if (this.ended) return resolve(this.ended)
      this.waiting.set(id, resolve)
      this.child.send({ ...command, id })
    })
    if ('error' in reply) throw new Error(reply.error)
    return reply.result as T
  }

  end(): void {
    this.child.kill()
  }
}

describe('the built main process, packaged', () => {
  const resourcesPath = temporary()
  let main: BuiltMain
  const state = () => main.ask<StandInState>({ type: 'state' })
  const invoke = <T>(operation: (typeof OPERATIONS)[number], ...args: unknown[]) =>
    main.ask<T>({ type: 'invoke', channel: channelOf(operation), args })

  beforeAll(async () => {
    layOutExtraResources(await builderConfig(), resourcesPath)
    main = new BuiltMain({
      CADENZA_STANDIN_USER_DATA: temporary(),
      CADENZA_STANDIN_RESOURCES: resourcesPath,
    })
  })
  afterAll(() => main.end())

  it('opens one window with the secure preferences, loading the built renderer and a preload that exists', async () => {
    const { windows, session, securedContents } = await state()
    expect(windows).toHaveLength(1)
    const [{ options, loadedFile, loadedUrl }] = windows
    const { preload, ...preferences } = options.webPreferences as { preload: string }
    expect(preferences).toEqual(SECURE_WEB_PREFERENCES)
    expect(preload).toBe(join(ROOT, 'out/preload/index.cjs'))
    expect(existsSync(preload)).toBe(true)
    expect([loadedFile, loadedUrl]).toEqual([join(ROOT, 'out/renderer/index.html'), undefined])
    expect(existsSync(loadedFile!)).toBe(true)
    expect(session).toEqual({ headers: true, permissionRequest: true, permissionCheck: true })
    expect(securedContents).toBe(1)
  })

  it('has a handler for every operation of the IPC contract, and for nothing else', async () => {
    const { handlers } = await state()
    expect([...handlers].sort()).toEqual(OPERATIONS.map(channelOf).sort())
  })

  it('starts the engine bundle that the build wrote, which answers hello with its backend', async () => {
    const info = await invoke<AppInfo>('appInfo')
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
    expect(info).toMatchObject({ version, backend: { name: 'wasm' } })
    const { engines } = await state()
    expect(engines).toHaveLength(1)
    expect(engines[0].modulePath.startsWith(join(ROOT, 'out/main/'))).toBe(true)
    expect(existsSync(engines[0].modulePath)).toBe(true)
  })

  it('finds the default model and the drag icon in the packaged resources', async () => {
    const { images } = await state()
    expect(images).toEqual([join(resourcesPath, 'drag-icon.png')])
    expect(existsSync(images[0])).toBe(true)
    const [first] = await invoke<CheckpointEntry[]>('listCheckpoints')
    expect(first).toMatchObject({ id: 'default', status: 'ready', readOnly: true })
  })

  it('focuses the studio when a second instance starts, rather than opening another', async () => {
    const { windows } = await main.ask<StandInState>({ type: 'secondInstance' })
    expect(windows.map(({ focused }) => focused)).toEqual([1])
  })

  it('holds the quit until the engine has stopped on its own, before the bounded wait ends in a kill', async () => {
    const outcome = await main.ask<QuitOutcome>({ type: 'quit' })
    // Exit code 0: the engine took the polite stop and exited itself; the kill after the wait gives none.
    expect(outcome).toMatchObject({ prevented: true, engineExit: 0 })
    expect((await state()).quits).toBe(1)
  })
})

describe('the built main process, started while one runs', () => {
  it('quits at once, with no window and no engine of its own', async () => {
    const second = new BuiltMain({ CADENZA_STANDIN_USER_DATA: temporary(), CADENZA_STANDIN_LOCK: 'taken' })
    try {
      expect(await second.ask<StandInState>({ type: 'state' })).toMatchObject({
        quits: 1,
        windows: [],
        engines: [],
      })
    } finally {
      second.end()
    }
  })
})
