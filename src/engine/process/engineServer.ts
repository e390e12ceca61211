// Node (engine process; in-process in tests). The engine's side of the protocol in
// src/shared/engineProtocol.ts: it validates every message it receives, runs the jobs, streams training
// progress, honours cancel and pause, and answers every request exactly once. It knows no transport:
// messages come in through handle() and go out through the `send` it is given (engineEntry.ts wires both
// to the process).
//
// [Note: host gone] When the host goes away (its channel closes, or a message to it fails), nobody can see
// what the jobs make: trainings stop after their current step, keeping their last complete checkpoint (saves
// are atomic), other jobs finish, nothing more is sent, and onHostGone is told why. A failed send never throws
// into the job that sent it, so a training cannot die of its own progress message.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { z } from 'zod'
import { APP_VERSION } from '../../shared/appVersion'
import {
  HostMessageSchema,
  PROTOCOL_VERSION,
  type EngineMessage,
  type HostMessage,
  type JobRequest,
  type JobResult,
  type ResultOf,
  type SerializedError,
} from '../../shared/engineProtocol'
import { MidiReadError } from '../../shared/music/midiStructure'
import type { Piece } from '../../shared/music/piece'
import { pieceToMidi } from '../../shared/music/pieceToMidi'
import { backendFault, BackendFaultError, selectBackend, type BackendInfo } from './backend'
import { CheckpointError, readCheckpointMeta } from '../checkpointStore'
import { DatasetError, readDatasetReport } from '../data/dataset'
import { generate, loadGenerator, variationFileName } from '../generation'
import { PauseGate } from '../training/pauseGate'
import { resolveCheckpointDir, train } from '../training/training'

/** A message the engine cannot accept; the message says why, in one line. */
export class ProtocolError extends Error {
  override name = 'ProtocolError'
}

/** Problems with the host's request or the user's files, as opposed to bugs in the engine. */
const USER_ERRORS = [ProtocolError, DatasetError, CheckpointError, MidiReadError, BackendFaultError]

/** A thrown value as the protocol carries it. A bug's stack goes to stderr, which the host keeps as a log. */
export function serializeError(error: unknown): SerializedError {
  if (USER_ERRORS.some((kind) => error instanceof kind)) {
    const { name, message } = error as Error
    return { name, message }
  }
  console.error(error)
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) }
  return { name, message: message.split('\n')[0] }
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  const where = issue.path.map(String).join('.')
  return where === '' ? issue.message : `${where}: ${issue.message}`
}

/** The id of a message that failed validation, if it has a usable one, so the host can match the error. */
function idOf(message: unknown): string | null {
  const id = (message as { id?: unknown } | null)?.id
  return typeof id === 'string' && id !== '' ? id : null
}

async function writePieces(folder: string, pieces: Piece[]): Promise<string[]> {
  await mkdir(folder, { recursive: true })
  const files = pieces.map((_, i) => join(folder, variationFileName(i)))
  await Promise.all(pieces.map((piece, i) => writeFile(files[i], pieceToMidi(piece))))
  return files
}

export interface EngineServerOptions {
  /** Delivers a message to the host; it may throw when the host is gone. */
  send: (message: EngineMessage) => void
  /** The backend selection, started with the process; the answer to hello waits for it. */
  backend: Promise<BackendInfo>
  /** Called once, when the host is gone and every job has ended, with the reason. */
  onHostGone?: (reason: string) => void
}

export class EngineServer {
  private readonly deliver: (message: EngineMessage) => void
  private backend: Promise<BackendInfo>
  private readonly onHostGone: (reason: string) => void
  /** Why the host is gone, once it is (see [Note: host gone]). */
  private goneReason?: string
  /** The answers under way, so that the host's going waits for them to end. */
  private readonly jobs = new Set<Promise<void>>()
  /** Whether a hello of this protocol version came; jobs are refused before one. */
  private greeted = false
  /** Dataset readings under way by request id, for cancel. */
  private readonly readings = new Map<string, AbortController>()
  /** Running trainings by request id, for cancel and pause. */
  private readonly trainings = new Map<string, { controller: AbortController; gate: PauseGate }>()

  constructor({ send, backend, onHostGone = () => {} }: EngineServerOptions) {
    this.deliver = send
    this.backend = backend
    this.onHostGone = onHostGone
    // A failed selection is the answer to hello; until one comes, it must not count as unhandled.
    backend.catch(() => undefined)
  }

  /** Takes one message as received. Never throws: every problem is answered with an error message. */
  handle(message: unknown): void {
    if (this.goneReason !== undefined) return
    const parsed = HostMessageSchema.safeParse(message)
    if (parsed.success) {
      const job = this.answer(parsed.data)
      this.jobs.add(job)
      void job.finally(() => this.jobs.delete(job))
      return
    }
    const error = new ProtocolError(`malformed message (${firstIssue(parsed.error)})`)
    this.send({ type: 'error', id: idOf(message), error: serializeError(error) })
  }

  /** The host is gone, for `reason`: see [Note: host gone]. Only the first call counts. */
  hostGone(reason: string): void {
    if (this.goneReason !== undefined) return
    this.goneReason = reason
    for (const { controller } of this.trainings.values()) controller.abort()
    for (const controller of this.readings.values()) controller.abort()
    void Promise.all([...this.jobs]).then(() => this.onHostGone(reason))
  }

  private send(message: EngineMessage): void {
    if (this.goneReason !== undefined) return
    try {
      this.deliver(message)
    } catch (error) {
      this.hostGone(
        `a message to the host failed (${error instanceof Error ? error.message : String(error)})`,
      )
    }
  }

  private async answer(message: HostMessage): Promise<void> {
    try {
      if (message.type === 'hello') this.send(await this.hello(message))
      else this.send({ type: 'result', id: message.id, result: await this.run(message) })
    } catch (error) {
      this.send({ type: 'error', id: message.id, error: serializeError(error) })
    }
  }

  private async hello({
    id,
    protocolVersion,
  }: Extract<HostMessage, { type: 'hello' }>): Promise<EngineMessage> {
    if (protocolVersion !== PROTOCOL_VERSION) {
      throw new ProtocolError(
        `the host speaks protocol version ${protocolVersion}, this engine version ${PROTOCOL_VERSION}`,
      )
    }
    // Jobs sent right after the hello, before its answer, wait for the backend as the answer does.
    this.greeted = true
    return { type: 'ready', id, protocolVersion, appVersion: APP_VERSION, backend: await this.backend }
  }

  private async run(request: JobRequest): Promise<JobResult> {
    if (!this.greeted) {
      throw new ProtocolError(`"${request.type}" before a hello of protocol version ${PROTOCOL_VERSION}`)
    }
    // [Note: GPU faults] (webgpuBackend.ts): after a lost GPU, jobs run on the next fastest backend.
    if (backendFault() !== undefined) this.backend = selectBackend()
    const backend = await this.backend
    switch (request.type) {
      case 'train':
        return this.train(request, backend)
      case 'readDataset':
        return this.readDataset(request)
      case 'generate':
        return this.generate(request)
      case 'inspect': {
        const checkpoint = resolveCheckpointDir(request.checkpoint)
        return { type: 'inspect', checkpoint, meta: await readCheckpointMeta(checkpoint) }
      }
      case 'cancel': {
        const controller = this.trainings.get(request.job)?.controller ?? this.readings.get(request.job)
        controller?.abort()
        return { type: 'cancel', job: request.job, found: controller !== undefined }
      }
      case 'pause': {
        const { job, paused } = request
        const training = this.trainings.get(job)
        // Told at once: the steps are synchronous, so none begins after this event until it is continued.
        if (training?.gate.set(paused)) {
          this.send({ type: 'progress', id: job, event: { type: 'paused', paused } })
        }
        return { type: 'pause', job, found: training !== undefined }
      }
    }
  }

  private async train(
    { id, dataDir, outDir, settings }: Extract<JobRequest, { type: 'train' }>,
    backend: BackendInfo,
  ): Promise<ResultOf<'train'>> {
    if (this.trainings.has(id)) throw new ProtocolError(`a training with id "${id}" is already running`)
    const controller = new AbortController()
    const gate = new PauseGate()
    // A training whose host left while it waited for the backend ends before its first step.
    if (this.goneReason !== undefined) controller.abort()
    this.trainings.set(id, { controller, gate })
    try {
      const { checkpoint, completedEpochs, cancelled } = await train({
        dataDir,
        outDir,
        settings,
        backend,
        signal: controller.signal,
        pause: gate,
        onEvent: (event) => this.send({ type: 'progress', id, event }),
      })
      return { type: 'train', checkpoint, completedEpochs, cancelled }
    } finally {
      this.trainings.delete(id)
    }
  }

  private async readDataset({
    id,
    dataDir,
    settings,
  }: Extract<JobRequest, { type: 'readDataset' }>): Promise<ResultOf<'readDataset'>> {
    const controller = new AbortController()
    this.readings.set(id, controller)
    try {
      const report = await readDatasetReport(dataDir, settings, {
        signal: controller.signal,
        onFile: (done, total) => this.send({ type: 'progress', id, event: { type: 'reading', done, total } }),
      })
      return { type: 'readDataset', report }
    } catch (error) {
      if (controller.signal.aborted) return { type: 'readDataset', report: null }
      throw error
    } finally {
      this.readings.delete(id)
    }
  }

  private async generate({
    checkpoint,
    request,
    outDir,
  }: Extract<JobRequest, { type: 'generate' }>): Promise<ResultOf<'generate'>> {
    const model = await loadGenerator(resolveCheckpointDir(checkpoint))
    let pieces: Piece[]
    try {
      pieces = await generate(model, request)
    } finally {
      model.dispose()
    }
    return { type: 'generate', pieces, files: outDir === undefined ? [] : await writePieces(outDir, pieces) }
  }
}
