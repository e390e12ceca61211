// Node, tests only. One test's main process, less Electron: a fresh userData folder, the real checkpoint
// library, and the real handler table registered by main's own registerIpcHandlers (so the sender check
// and the zod validation run as in the app). Dialogs answer from the test's script and record what they
// were asked; the studio window's webContents is a stand-in that records drags and sends events to the page.
// The session follows its trainings, so that tests wait for their work rather than for a guessed time, and
// ending it cancels those still under way and waits for them before removing its folder: a test's training
// never runs on into the next test, nor writes into a folder that is gone.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { IpcMainInvokeEvent, OpenDialogOptions, SaveDialogOptions, WebContents } from 'electron'
import type { WebSocket } from 'ws'
import type { TrainingEvent } from '../../../src/shared/trainingEvent'
import { EVENT_CHANNEL } from '../../../src/shared/ipcChannels'
import type { CadenzaEvent } from '../../../src/shared/ipcContract'
import { CheckpointLibrary } from '../../../src/main/checkpointLibrary'
import { createHandlers, registerIpcHandlers, type IpcDependencies } from '../../../src/main/ipcHandlers'
import { senderCheck, type AppUrlCheck } from '../../../src/main/security'
import { decodeWire, encodeWire, type InvokeMessage, type ServerMessage } from './wire'

export type DialogOptions = SaveDialogOptions | OpenDialogOptions
type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>

export interface BridgeSession {
  /** This test's userData folder; removed when the test ends. */
  readonly userData: string
  /** Scripts the answers of the next dialogs, in order: a path, or undefined for Cancel. */
  answerDialogs(...answers: (string | undefined)[]): void
  /** What each dialog was asked, in order. */
  readonly dialogsAsked: readonly DialogOptions[]
  /** Paths shown with shell.showItemInFolder. */
  readonly revealed: readonly string[]
  /** Files dragged out of the window with webContents.startDrag. */
  readonly drags: readonly string[]
  /** Main's log lines (refused calls, handlers' failures with their stacks). */
  readonly logged: readonly string[]
  /** Sends an event to the page as main does. */
  send(event: CadenzaEvent): void
  /**
   * Kills the engine's process with SIGKILL, as a crash would, the moment the training's `epoch` event reaches
   * main: the epoch's checkpoint is saved by then, and later epochs are still to come.
   */
  killEngineAfterEpoch(epoch: number): void
  /** Resolves when the engine answers again (after a crash, once the host has started a new one). */
  engineReady(): Promise<void>
  /** Resolves when this session's n-th training (from 1) has ended, with a result or an error, started yet or not. */
  trainingEnded(n: number): Promise<void>
  /** The progress that main has received so far of this session's n-th training (from 1). */
  trainingEvents(n: number): readonly TrainingEvent[]
}

/** The bridge server's side of a session. */
export interface OpenSession extends BridgeSession {
  /** Connects a page's socket, opened from `origin`, as a frame of the studio window. */
  attach(socket: WebSocket, origin: string | undefined): void
  /** Cancels the trainings under way, waits for their end, closes the sockets and removes the folder. */
  dispose(): Promise<void>
}

/** One training of the session: what main received of it, and its end. */
interface Training {
  events: TrainingEvent[]
  ended: Promise<void>
  end: () => void
}

function newTraining(): Training {
  let end = () => {}
  const ended = new Promise<void>((resolve) => (end = resolve))
  return { events: [], ended, end }
}

export function openSession({
  host,
  killEngine,
  appVersion,
  isAppUrl,
  root,
  onWork = () => {},
}: {
  host: IpcDependencies['host']
  /** SIGKILLs the engine's current process. */
  killEngine: () => void
  appVersion: string
  isAppUrl: AppUrlCheck
  /** The repository root, for resources/. */
  root: string
  /** Called whenever a training of the session makes progress. */
  onWork?: () => void
}): OpenSession {
  const userData = mkdtempSync(join(tmpdir(), 'cadenza-e2e-'))
  const answers: (string | undefined)[] = []
  const dialogsAsked: DialogOptions[] = []
  const revealed: string[] = []
  const drags: string[] = []
  const logged: string[] = []
  const sockets = new Set<WebSocket>()

  const post = (socket: WebSocket, message: ServerMessage) => socket.send(encodeWire(message))
  const send = (event: CadenzaEvent) => {
    for (const socket of sockets) post(socket, { type: 'event', channel: EVENT_CHANNEL, event })
  }
  // The one studio window: every page of the session is a frame of it, as reloads are in Electron.
  const contents = { startDrag: ({ file }: { file: string }) => void drags.push(file) }
  const studio = contents as unknown as WebContents

  const answer = async (_sender: WebContents, options: DialogOptions) => {
    dialogsAsked.push(options)
    // An unscripted dialog fails the call loudly rather than hanging the test like a real one would.
    if (answers.length === 0) throw new Error(`no answer scripted for the dialog "${options.title}"`)
    return answers.shift()
  }
  const dragIconFile = join(root, 'resources/drag-icon.png')

  // Made on demand, so a test may wait for a training that has not started yet.
  const trainings: Training[] = []
  const training = (n: number) => {
    while (trainings.length < n) trainings.push(newTraining())
    return trainings[n - 1]
  }
  let started = 0
  const ending = new AbortController()
  let killAfter: number | undefined
  // Progress reaches the handlers as the host receives it, before they send anything on: the kill is not late.
  const followingHost: IpcDependencies['host'] = {
    ready: () => host.ready(),
    request: (request) => host.request(request),
    pauseTraining: (paused) => host.pauseTraining(paused),
    readDataset: (request, options) => host.readDataset(request, options),
    train: (request, options = {}) => {
      const followed = training(++started)
      const signals = [ending.signal, ...(options.signal ? [options.signal] : [])]
      const run = host.train(request, {
        signal: AbortSignal.any(signals),
        onProgress: (event) => {
          followed.events.push(event)
          onWork()
          if (event.type === 'epoch' && event.record.epoch === killAfter) {
            killAfter = undefined
            killEngine()
          }
          options.onProgress?.(event)
        },
      })
      void run.then(followed.end, followed.end)
      return run
    },
  }

  const channels = new Map<string, Listener>()
  registerIpcHandlers({
    ipcMain: {
      handle: (channel, listener) => void channels.set(channel, listener),
      removeHandler: (channel) => void channels.delete(channel),
    },
    handlers: createHandlers({
      host: followingHost,
      library: new CheckpointLibrary({
        root: join(userData, 'checkpoints'),
        defaultModelDir: join(root, 'resources/default-model'),
      }),
      dialogs: { save: answer, open: answer },
      appVersion,
      showItemInFolder: (path) => void revealed.push(path),
      exportsDir: join(userData, 'exports'),
      // As nativeImage.createFromPath gives it: empty when the file is missing or empty.
      dragIcon: { isEmpty: () => !existsSync(dragIconFile) || statSync(dragIconFile).size === 0 },
      send,
    }),
    isTrustedSender: senderCheck(() => studio, isAppUrl),
    log: (line) => void logged.push(line),
  })

  const invoke = async ({ channel, args }: InvokeMessage, origin: string | undefined) => {
    const listener = channels.get(channel)
    if (listener === undefined) throw new Error(`No handler registered for '${channel}'`)
    // The frame is the page's top frame (the page script defines window.cadenza only there, as the preload
    // does); its URL is the socket's Origin header, which the browser sets and the page cannot forge.
    const event = { sender: studio, senderFrame: { url: origin, parent: null } }
    return listener(event as unknown as IpcMainInvokeEvent, ...args)
  }

  return {
    userData,
    answerDialogs: (...next) => void answers.push(...next),
    dialogsAsked,
    revealed,
    drags,
    logged,
    send,
    killEngineAfterEpoch: (epoch) => void (killAfter = epoch),
    engineReady: async () => void (await host.ready()),
    trainingEnded: (n) => training(n).ended,
    trainingEvents: (n) => training(n).events,
    attach: (socket, origin) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('message', (data) => {
        const message = decodeWire<InvokeMessage>(String(data))
        invoke(message, origin).then(
          (result) => post(socket, { type: 'result', id: message.id, result }),
          (error: unknown) =>
            post(socket, {
              type: 'error',
              id: message.id,
              message: error instanceof Error ? error.message : String(error),
            }),
        )
      })
    },
    dispose: async () => {
      ending.abort()
      await Promise.all(trainings.slice(0, started).map(({ ended }) => ended))
      for (const socket of sockets) socket.close()
      rmSync(userData, { recursive: true, force: true })
    },
  }
}
