// Electron main (and Node tests). The host's side of src/shared/engineProtocol.ts: it owns one engine
// process, greets it, matches replies to requests, and restarts the engine after a crash. The process
// itself comes from a transport (utilityEngineProcess.ts in Electron, nodeEngineProcess.ts under Node), so
// everything here runs and is tested without Electron.
//
// [Note: engine lifecycle] Every request is answered exactly once: by the engine, or, when its process
// ends first, by a rejection that says why. An unexpected exit is reported as a 'crashed' event and the
// engine is started again after a short backoff, unless it crashed too often lately. stop() asks the
// engine to exit (a training keeps its last complete checkpoint, as saves are atomic) and kills it after
// a bounded wait.
import { EventEmitter } from 'node:events'
import {
  EngineMessageSchema,
  PROTOCOL_VERSION,
  type EngineMessage,
  type HostMessage,
  type JobRequest,
  type JobResult,
  type ResultOf,
  type SerializedError,
} from '../shared/engineProtocol'
import type { TrainingEvent } from '../shared/trainingEvent'

/** How a process ended: an exit code, or the signal that ended it. */
export interface EngineExit {
  code: number | null
  signal: string | null
}

/** One running engine process, as a transport provides it. */
export interface EngineProcess {
  postMessage(message: HostMessage): void
  onMessage(listener: (message: unknown) => void): void
  /** Called once, when the process has ended for whatever reason. */
  onExit(listener: (exit: EngineExit) => void): void
  /** Asks the engine to exit soon. */
  end(): void
  /** Ends the engine at once. */
  kill(): void
}

/** An error the engine reported, or the end of its process; `name` tells which kind (engineProtocol.ts). */
export class EngineError extends Error {
  constructor({ name, message }: SerializedError) {
    super(message)
    this.name = name
  }
}

type Ready = Extract<EngineMessage, { type: 'ready' }>
/** What the engine told in its greeting, fixed for the life of its process. */
export type EngineInfo = Pick<Ready, 'appVersion' | 'backend'>

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
/** A job as callers ask for it: the host chooses the id. */
export type EngineRequest = DistributiveOmit<JobRequest, 'id'>
export type TrainRequest = Omit<Extract<JobRequest, { type: 'train' }>, 'id' | 'type'>

export interface CrashReport {
  reason: string
  /** False when the engine crashed too often lately: requests then fail until the host is made anew. */
  restarting: boolean
}

export interface EngineHostOptions {
  start: () => EngineProcess
  /** Where messages that cannot be matched or understood are reported. */
  log?: (line: string) => void
  /** How long stop() waits for the engine to exit before killing it. */
  stopTimeoutMs?: number
  /** The wait before the first restart after a crash; it doubles with each crash in a row. */
  restartDelayMs?: number
}

/** More crashes than this within RAPID_CRASH_WINDOW_MS and the engine is not started again. */
const MAX_RAPID_CRASHES = 3
const RAPID_CRASH_WINDOW_MS = 60_000

type FinalReply = Extract<EngineMessage, { type: 'ready' | 'result' }>

interface Call {
  resolve: (reply: FinalReply) => void
  reject: (error: Error) => void
  onProgress?: (event: TrainingEvent) => void
}

/** One process and the requests it owes an answer. */
interface Running {
  process: EngineProcess
  calls: Map<string, Call>
  /** Set when the process has ended: why, as requests are told. */
  endReason?: string
  ended: Promise<void>
}

interface ReadyEngine {
  running: Running
  info: EngineInfo
}

/** The end of the engine's process, as requests that were open are told. */
const stopped = (message: string) => new EngineError({ name: 'EngineStopped', message })

/** How a long job reports its progress, and the signal that cancels it. */
interface ProgressOptions {
  onProgress?: (event: TrainingEvent) => void
  signal?: AbortSignal
}

export class EngineHost extends EventEmitter<{ crashed: [report: CrashReport] }> {
  private readonly start: () => EngineProcess
  private readonly log: (line: string) => void
  private readonly stopTimeoutMs: number
  private readonly restartDelayMs: number
  private lastId = 0
  /** The engine that requests go to, once it is ready. */
  private current!: Promise<ReadyEngine>
  /** The newest process, ready or not, for stop(). */
  private latest?: Running
  private recentCrashes: number[] = []
  private stopping?: Promise<void>
  /** The request ids of the trainings under way, for pauseTraining. */
  private readonly trainings = new Set<string>()

  constructor({ start, log = console.error, stopTimeoutMs = 3000, restartDelayMs = 500 }: EngineHostOptions) {
    super()
    this.start = start
    this.log = log
    this.stopTimeoutMs = stopTimeoutMs
    this.restartDelayMs = restartDelayMs
    this.use(this.launch(0))
  }

  /** The greeting of the current engine process (a new one after a restart). */
  async ready(): Promise<EngineInfo> {
    return (await this.current).info
  }

  async request<R extends EngineRequest>(request: R): Promise<ResultOf<R['type']>> {
    const result = await this.job({ ...request, id: this.newId() } as JobRequest)
    return result as ResultOf<R['type']>
  }

  /**
   * Trains, reporting progress. Aborting `signal` cancels the training, which then ends with a result whose
   * `cancelled` is true; a signal aborted already rejects at once.
   */
  async train(request: TrainRequest, progress: ProgressOptions = {}): Promise<ResultOf<'train'>> {
    const result = await this.cancellableJob((id) => ({ ...request, type: 'train', id }), progress, true)
    return result as ResultOf<'train'>
  }

  /**
   * Reads a dataset's report, reporting each file read. Aborting `signal` cancels the reading, which then
   * ends with a null report.
   */
  async readDataset(
    request: Omit<Extract<JobRequest, { type: 'readDataset' }>, 'id' | 'type'>,
    progress: ProgressOptions = {},
  ): Promise<ResultOf<'readDataset'>> {
    const result = await this.cancellableJob((id) => ({ ...request, type: 'readDataset', id }), progress)
    return result as ResultOf<'readDataset'>
  }

  /**
   * A job that reports progress and that aborting `signal` cancels; a signal aborted already rejects at
   * once. A training is counted among `trainings` while it runs, for pauseTraining.
   */
  private async cancellableJob(
    requestFor: (id: string) => JobRequest,
    { onProgress, signal }: ProgressOptions,
    isTraining = false,
  ): Promise<JobResult> {
    signal?.throwIfAborted()
    const id = this.newId()
    // A cancel that fails (the engine ended) needs no answer: the job's own request reports that.
    const cancel = () => void this.request({ type: 'cancel', job: id }).catch(() => undefined)
    signal?.addEventListener('abort', cancel, { once: true })
    if (isTraining) this.trainings.add(id)
    try {
      return await this.job(requestFor(id), onProgress)
    } finally {
      this.trainings.delete(id)
      signal?.removeEventListener('abort', cancel)
    }
  }

  /**
   * Pauses the trainings under way after their current step, or continues them; resolves to whether there
   * was one. Cancelling a paused training ends it at once.
   */
  async pauseTraining(paused: boolean): Promise<boolean> {
    const replies = await Promise.all(
      [...this.trainings].map((job) => this.request({ type: 'pause', job, paused })),
    )
    return replies.some((reply) => reply.found)
  }

  /** Ends the engine: politely, then by force after the bounded wait. Requests still open are rejected. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown()
    return this.stopping
  }

  private async shutdown(): Promise<void> {
    const running = this.latest
    if (running === undefined || running.endReason !== undefined) return
    running.process.end()
    const timer = setTimeout(() => running.process.kill(), this.stopTimeoutMs)
    await running.ended
    clearTimeout(timer)
  }

  private newId(): string {
    return String(++this.lastId)
  }

  /** The result of `request`, checked to be of its type, so the public methods may narrow it. */
  private async job(request: JobRequest, onProgress?: (event: TrainingEvent) => void): Promise<JobResult> {
    const reply = await this.send((await this.current).running, request, onProgress)
    if (reply.type !== 'result' || reply.result.type !== request.type) {
      throw new EngineError({
        name: 'ProtocolError',
        message: `a "${reply.type}" answered a ${request.type}`,
      })
    }
    return reply.result
  }

  private send(
    running: Running,
    message: HostMessage,
    onProgress?: (event: TrainingEvent) => void,
  ): Promise<FinalReply> {
    return new Promise((resolve, reject) => {
      if (running.endReason !== undefined) {
        reject(stopped(running.endReason))
        return
      }
      running.calls.set(message.id, { resolve, reject, onProgress })
      running.process.postMessage(message)
    })
  }

  private async launch(delayMs: number): Promise<ReadyEngine> {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
    if (this.stopping !== undefined) throw stopped('the engine was stopped')
    const process = this.start()
    let markEnded = () => {}
    const running: Running = {
      process,
      calls: new Map(),
      ended: new Promise((resolve) => (markEnded = resolve)),
    }
    this.latest = running
    process.onMessage((message) => this.receive(running, message))
    process.onExit((exit) => {
      this.ended(running, exit)
      markEnded()
    })
    const reply = await this.send(running, {
      type: 'hello',
      id: this.newId(),
      protocolVersion: PROTOCOL_VERSION,
    })
    if (reply.type !== 'ready') {
      throw new EngineError({ name: 'ProtocolError', message: 'the engine answered hello with a result' })
    }
    const { appVersion, backend } = reply
    return { running, info: { appVersion, backend } }
  }

  private receive(running: Running, raw: unknown): void {
    const parsed = EngineMessageSchema.safeParse(raw)
    if (!parsed.success) {
      this.log(`cadenza engine: ignored an invalid message (${parsed.error.issues[0]?.message})`)
      return
    }
    const message = parsed.data
    const call = message.id === null ? undefined : running.calls.get(message.id)
    if (message.id === null || call === undefined) {
      // An error the engine could not tie to a request still tells what went wrong.
      const detail = message.type === 'error' ? `: ${message.error.name}: ${message.error.message}` : ''
      this.log(`cadenza engine: ignored a "${message.type}" for no open request (${message.id})${detail}`)
    } else if (message.type === 'progress') {
      call.onProgress?.(message.event)
    } else {
      running.calls.delete(message.id)
      if (message.type === 'error') call.reject(new EngineError(message.error))
      else call.resolve(message)
    }
  }

  private ended(running: Running, { code, signal }: EngineExit): void {
    const expected = this.stopping !== undefined
    const how = signal === null ? `exit code ${code}` : `signal ${signal}`
    running.endReason = expected ? 'the engine was stopped' : `the engine stopped unexpectedly (${how})`
    for (const call of running.calls.values()) {
      call.reject(stopped(running.endReason))
    }
    running.calls.clear()
    if (!expected) this.restartAfter(running.endReason)
  }

  private restartAfter(reason: string): void {
    const now = Date.now()
    this.recentCrashes = [...this.recentCrashes.filter((time) => now - time < RAPID_CRASH_WINDOW_MS), now]
    const crashes = this.recentCrashes.length
    const restarting = crashes <= MAX_RAPID_CRASHES
    this.emit('crashed', { reason, restarting })
    this.use(
      restarting
        ? this.launch(this.restartDelayMs * 2 ** (crashes - 1))
        : Promise.reject(
            stopped(`${reason}; it stopped ${crashes} times within a minute, so it is not started again`),
          ),
    )
  }

  private use(engine: Promise<ReadyEngine>): void {
    this.current = engine
    // Nobody may be waiting for the engine now; a failed start is reported to the next request instead.
    engine.catch(() => undefined)
  }
}
