// Node (engine process; in-process in tests). The engine's side of the protocol in
// src/shared/engineProtocol.ts: it validates every message it receives, runs the jobs, streams training
// progress, honours cancel and pause, and answers every request exactly once. It knows no transport:
// messages come in through handle() and go out through the `send` it is given (engineEntry.ts wires both
// to the process).
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { z } from 'zod'
import { APP_VERSION } from '../shared/appVersion'
import {
  HostMessageSchema,
  PROTOCOL_VERSION,
  type EngineMessage,
  type HostMessage,
  type JobRequest,
  type JobResult,
  type ResultOf,
  type SerializedError,
} from '../shared/engineProtocol'
import { MidiReadError } from '../shared/music/midiStructure'
import type { Piece } from '../shared/music/piece'
import { pieceToMidi } from '../shared/music/pieceToMidi'
import type { BackendInfo } from './backend'
import { CheckpointError, readCheckpointMeta } from './checkpointStore'
import { DatasetError, loadDataset } from './dataset'
import { generate, loadGenerator, variationFileName } from './generation'
import { PauseGate } from './pauseGate'
import { resolveCheckpointDir, train } from './training'

/** A message the engine cannot accept; the message says why, in one line. */
export class ProtocolError extends Error {
  override name = 'ProtocolError'
}

/** Problems with the host's request or the user's files, as opposed to bugs in the engine. */
const USER_ERRORS = [ProtocolError, DatasetError, CheckpointError, MidiReadError]

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
  send: (message: EngineMessage) => void
  /** The backend selection, started with the process; the answer to hello waits for it. */
  backend: Promise<BackendInfo>
}

export class EngineServer {
  private readonly send: (message: EngineMessage) => void
  private readonly backend: Promise<BackendInfo>
  /** Whether a hello of this protocol version came; jobs are refused before one. */
  private greeted = false
  /** Running trainings by request id, for cancel and pause. */
  private readonly trainings = new Map<string, { controller: AbortController; gate: PauseGate }>()

  constructor({ send, backend }: EngineServerOptions) {
    this.send = send
    this.backend = backend
    // A failed selection is the answer to hello; until one comes, it must not count as unhandled.
    backend.catch(() => undefined)
  }

  /** Takes one message as received. Never throws: every problem is answered with an error message. */
  handle(message: unknown): void {
    const parsed = HostMessageSchema.safeParse(message)
    if (parsed.success) {
      void this.answer(parsed.data)
      return
    }
    const error = new ProtocolError(`malformed message (${firstIssue(parsed.error)})`)
    this.send({ type: 'error', id: idOf(message), error: serializeError(error) })
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
    const backend = await this.backend
    switch (request.type) {
      case 'train':
        return this.train(request, backend)
      case 'readDataset': {
        const { report } = await loadDataset(request.dataDir, request.settings)
        return { type: 'readDataset', report }
      }
      case 'generate':
        return this.generate(request)
      case 'inspect': {
        const checkpoint = resolveCheckpointDir(request.checkpoint)
        return { type: 'inspect', checkpoint, meta: await readCheckpointMeta(checkpoint) }
      }
      case 'cancel': {
        const training = this.trainings.get(request.job)
        training?.controller.abort()
        return { type: 'cancel', job: request.job, found: training !== undefined }
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

  private async generate({
    checkpoint,
    request,
    outDir,
  }: Extract<JobRequest, { type: 'generate' }>): Promise<ResultOf<'generate'>> {
    const model = await loadGenerator(resolveCheckpointDir(checkpoint))
    let pieces: Piece[]
    try {
      pieces = generate(model, request)
    } finally {
      model.dispose()
    }
    return { type: 'generate', pieces, files: outDir === undefined ? [] : await writePieces(outDir, pieces) }
  }
}
