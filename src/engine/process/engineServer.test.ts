// The engine's protocol handling, in-process: a test host sends messages and validates every reply with
// the protocol's own schema, as a real host does.
import * as tf from '@tensorflow/tfjs'
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { corpusFile, PIANO_MIDI_DE_DIR } from '../../../test/corpus'
import { resultOf } from '../../../test/engineResult'
import { tinySettings } from '../../../test/tinySettings'
import { APP_VERSION } from '../../shared/appVersion'
import { EngineMessageSchema, PROTOCOL_VERSION, type EngineMessage } from '../../shared/engineProtocol'
import { midiToPiece } from '../../shared/music/midiToPiece'
import type { Piece } from '../../shared/music/piece'
import { pieceToMidi } from '../../shared/music/pieceToMidi'
import { selectBackend, type BackendInfo, type BackendName } from './backend'
import { readCheckpointMeta } from '../checkpointStore'
import { EngineServer, serializeError } from './engineServer'

const MOZART_DIR = join(PIANO_MIDI_DE_DIR, 'Mozart')
const temporary = () => mkdtempSync(join(tmpdir(), 'cadenza-engine-'))
const hello = { type: 'hello', id: 'hello', protocolVersion: PROTOCOL_VERSION }

type Progress = Extract<EngineMessage, { type: 'progress' }>

/**
 * A host talking to an in-process server. `ask` resolves with the final reply to the message's id;
 * `onProgress` sees each progress message as it is sent.
 */
function connect(
  backend: Promise<BackendInfo> = selectBackend('wasm'),
  onProgress: (message: Progress) => void = () => {},
) {
  const received: EngineMessage[] = []
  const waiting = new Map<string | null, (message: EngineMessage) => void>()
  const server = new EngineServer({
    backend,
    send(message) {
      const checked = EngineMessageSchema.parse(message)
      received.push(checked)
      if (checked.type === 'progress') onProgress(checked)
      else waiting.get(checked.id)?.(checked)
    },
  })
  const ask = (message: unknown, id = (message as { id?: string }).id ?? null) =>
    new Promise<EngineMessage>((resolve) => {
      waiting.set(id, resolve)
      server.handle(message)
    })
  return { ask, received }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('EngineServer', () => {
  it('answers hello with ready and the backend chosen at start, and runs jobs sent before that', async () => {
    const { ask } = connect()
    const ready = ask(hello)
    const empty = temporary()
    expect(await ask({ type: 'inspect', id: 'i', checkpoint: empty })).toMatchObject({
      type: 'error',
      error: { name: 'CheckpointError' },
    })
    expect(await ready).toEqual({
      type: 'ready',
      id: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      appVersion: APP_VERSION,
      backend: await selectBackend('wasm'),
    })
  })

  it('refuses another protocol version, and every job until a hello succeeds', async () => {
    const { ask } = connect()
    expect(await ask({ ...hello, protocolVersion: PROTOCOL_VERSION + 1 })).toEqual({
      type: 'error',
      id: 'hello',
      error: {
        name: 'ProtocolError',
        message: `the host speaks protocol version ${PROTOCOL_VERSION + 1}, this engine version ${PROTOCOL_VERSION}`,
      },
    })
    expect(await ask({ type: 'inspect', id: 'i', checkpoint: temporary() })).toMatchObject({
      type: 'error',
      error: {
        name: 'ProtocolError',
        message: `"inspect" before a hello of protocol version ${PROTOCOL_VERSION}`,
      },
    })
  })

  it('answers a malformed message with an error naming the problem, and keeps serving', async () => {
    const { ask } = connect()
    const generate = { type: 'generate', id: 'g', checkpoint: '/x' }
    const request = { seed: 1, temperature: 1, length: 4, count: 1 }
    const cases: [unknown, string | null, string][] = [
      [42, null, 'Invalid input: expected object, received number'],
      [{ type: 'dance', id: 'd' }, 'd', "type: Invalid discriminator value. Expected 'hello' | 'train'"],
      [{ type: 'inspect', id: '' }, null, 'id: Too small: expected string to have >=1 characters'],
      [{ ...generate, request: { ...request, temperature: 3 } }, 'g', 'request.temperature: Too big'],
      [
        { ...generate, request: { ...request, length: 300, lengthUnit: 'bars' } },
        'g',
        'request.length: at most 8192 steps or 256 bars',
      ],
      [
        { ...generate, request: { ...request, primer: { notes: [{ onset: 0, length: 1, pitch: 60 }] } } },
        'g',
        'request.primer.notes.0.velocity: Invalid input: expected number, received undefined',
      ],
    ]
    for (const [message, id, problem] of cases) {
      const reply = await ask(message, id)
      expect(reply).toMatchObject({ type: 'error', id, error: { name: 'ProtocolError' } })
      expect(reply.type === 'error' && reply.error.message).toContain(`malformed message (${problem}`)
    }
    expect(await ask(hello)).toMatchObject({ type: 'ready' })
  })

  it('answers hello with the error when the backend could not be started', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const { ask } = connect(selectBackend('abacus' as BackendName))
    expect(await ask(hello)).toMatchObject({
      type: 'error',
      id: 'hello',
      error: { name: 'Error', message: expect.stringContaining('unknown backend "abacus"') },
    })
    expect(log).toHaveBeenCalled()
  })

  it('keeps the one-line message of user errors', async () => {
    const { ask } = connect()
    await ask(hello)
    const empty = temporary()
    expect(await ask({ type: 'inspect', id: 'i', checkpoint: empty })).toEqual({
      type: 'error',
      id: 'i',
      error: { name: 'CheckpointError', message: `${empty}: not a Cadenza checkpoint (no checkpoint.json)` },
    })
    const train = { type: 'train', id: 't', dataDir: empty, outDir: temporary(), settings: tinySettings() }
    expect(await ask(train)).toEqual({
      type: 'error',
      id: 't',
      error: { name: 'DatasetError', message: `${empty}: no .mid, .midi or .rmi files in it` },
    })
  })

  it('serializes a bug as its name and first line, and logs it', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(serializeError(new TypeError('x is undefined\n  more detail'))).toEqual({
      name: 'TypeError',
      message: 'x is undefined',
    })
    expect(serializeError('thrown text')).toEqual({ name: 'Error', message: 'thrown text' })
    expect(log).toHaveBeenCalledTimes(2)
  })

  it('answers cancel or pause of a job that is not running with found: false', async () => {
    const { ask } = connect()
    await ask(hello)
    expect(resultOf(await ask({ type: 'cancel', id: 'c', job: 'nothing' }), 'cancel')).toEqual({
      type: 'cancel',
      job: 'nothing',
      found: false,
    })
    expect(resultOf(await ask({ type: 'pause', id: 'p', job: 'nothing', paused: true }), 'pause')).toEqual({
      type: 'pause',
      job: 'nothing',
      found: false,
    })
  })
})

describe('EngineServer jobs', () => {
  let host: ReturnType<typeof connect>
  let outDir: string
  const request = { seed: 3, temperature: 1, length: 4, lengthUnit: 'bars', count: 2 }

  beforeAll(async () => {
    host = connect()
    await host.ask(hello)
    const dataDir = temporary()
    for (const file of ['mozk545a.mid', 'mozk331a.mid'])
      copyFileSync(corpusFile(`sonata-ish/${file}`), join(dataDir, file))
    outDir = temporary()
    const trained = resultOf(
      await host.ask({ type: 'train', id: 'train', dataDir, outDir, settings: tinySettings() }),
      'train',
    )
    expect(trained).toEqual({
      type: 'train',
      checkpoint: join(outDir, 'checkpoint'),
      completedEpochs: 2,
      cancelled: false,
    })
  })

  it('streamed the progress of the training', () => {
    const events = host.received.flatMap((message) =>
      message.type === 'progress' && message.id === 'train' ? [message.event.type] : [],
    )
    expect(new Set(events)).toEqual(new Set(['reading', 'dataset', 'step', 'epoch']))
    expect(events.at(-1)).toBe('epoch')
  })

  it("named the backend the training ran on in its 'dataset' event", async () => {
    const dataset = host.received.find(
      (message) => message.type === 'progress' && message.id === 'train' && message.event.type === 'dataset',
    )
    expect(dataset).toMatchObject({ event: { backend: await selectBackend('wasm') } })
  })

  it('reads a dataset for its report without training, naming the broken file and why', async () => {
    const dataDir = temporary()
    copyFileSync(corpusFile('sonata-ish/mozk545a.mid'), join(dataDir, 'mozk545a.mid'))
    writeFileSync(join(dataDir, 'broken.mid'), 'MThd')
    const before = host.received.length
    const { report } = resultOf(
      await host.ask({ type: 'readDataset', id: 'r', dataDir, settings: tinySettings() }),
      'readDataset',
    )
    expect(report).toMatchObject({
      filesRead: 1,
      filesSkipped: [
        { file: join(dataDir, 'broken.mid'), error: 'truncated: the MIDI header is incomplete' },
      ],
      heldOut: [],
    })
    expect(report!.notes).toBeGreaterThan(100)
    expect(report!.sequences).toBeGreaterThan(0)
    // Files read of all, as each is read, then the report.
    const replies = host.received.slice(before)
    expect(replies.map((message) => (message.type === 'progress' ? message.event : message.type))).toEqual([
      { type: 'reading', done: 1, total: 2 },
      { type: 'reading', done: 2, total: 2 },
      'result',
    ])
  })

  it('stops reading a dataset when it is cancelled, with a null report', async () => {
    let cancel = () => {}
    const { ask } = connect(selectBackend('wasm'), (message) => {
      if (message.id === 'read' && message.event.type === 'reading' && message.event.done === 1) cancel()
    })
    await ask(hello)
    const cancelled = new Promise<EngineMessage>((resolve) => {
      cancel = () => void ask({ type: 'cancel', id: 'stop', job: 'read' }).then(resolve)
    })
    const reply = await ask({
      type: 'readDataset',
      id: 'read',
      dataDir: MOZART_DIR,
      settings: tinySettings(),
    })
    expect(resultOf(reply, 'readDataset').report).toBeNull()
    expect(resultOf(await cancelled, 'cancel').found).toBe(true)
  })

  it('answers a dataset it cannot use with the one-line DatasetError', async () => {
    const empty = temporary()
    expect(
      await host.ask({ type: 'readDataset', id: 'e', dataDir: empty, settings: tinySettings() }),
    ).toEqual({
      type: 'error',
      id: 'e',
      error: { name: 'DatasetError', message: `${empty}: no .mid, .midi or .rmi files in it` },
    })
  })

  it('inspects a checkpoint through its run folder', async () => {
    const inspected = resultOf(await host.ask({ type: 'inspect', id: 'i', checkpoint: outDir }), 'inspect')
    expect(inspected.checkpoint).toBe(join(outDir, 'checkpoint'))
    expect(inspected.meta).toMatchObject({ kind: 'training', backend: 'wasm' })
    expect(inspected.meta.history).toHaveLength(2)
  })

  it('generates pieces, the same notes for the same seed, and writes them when asked', async () => {
    const before = tf.memory().numTensors
    const folder = join(temporary(), 'out')
    const written = resultOf(
      await host.ask({ type: 'generate', id: 'g1', checkpoint: outDir, request, outDir: folder }),
      'generate',
    )
    expect(tf.memory().numTensors).toBe(before)
    expect(written.pieces).toHaveLength(2)
    expect(written.files).toEqual([join(folder, 'variation-01.mid'), join(folder, 'variation-02.mid')])
    expect(readFileSync(written.files[1]).equals(pieceToMidi(written.pieces[1]))).toBe(true)
    expect(JSON.parse(written.pieces[0].recipe!)).toMatchObject({ seed: 3, length: 4, lengthUnit: 'bars' })

    const again = resultOf(
      await host.ask({ type: 'generate', id: 'g2', checkpoint: outDir, request }),
      'generate',
    )
    expect(again.files).toEqual([])
    expect(again.pieces.map((piece) => piece.notes)).toEqual(written.pieces.map((piece) => piece.notes))
  })

  it('continues a primer sent as a piece', async () => {
    const source = midiToPiece(readFileSync(corpusFile('sonata-ish/mozk545b.mid')))
    const primer: Piece = { ...source, notes: source.notes.slice(0, 12) }
    const primed = resultOf(
      await host.ask({
        type: 'generate',
        id: 'p',
        checkpoint: outDir,
        request: { ...request, count: 1, primer },
      }),
      'generate',
    )
    expect(primed.pieces[0].notes.slice(0, 12)).toEqual(primer.notes)
    expect(primed.pieces[0].timeSignatures).toEqual(primer.timeSignatures)
  })
})

describe('EngineServer pausing a training', () => {
  let host: ReturnType<typeof connect>
  /** Called with the epoch of each step event. */
  let onStep = (_epoch: number) => {}
  const progressOf = (job: string) =>
    host.received.flatMap((message) =>
      message.type === 'progress' && message.id === job ? [message.event] : [],
    )
  const stepsOf = (job: string) => progressOf(job).filter((event) => event.type === 'step').length
  /** Resolves at the first step of `epoch`. */
  const reachEpoch = (epoch: number) =>
    new Promise<void>((resolve) => {
      onStep = (at) => {
        if (at !== epoch) return
        onStep = () => {}
        resolve()
      }
    })
  const pause = async (job: string, paused: boolean) =>
    resultOf(await host.ask({ type: 'pause', id: `pause-${job}-${paused}`, job, paused }), 'pause')
  let dataDir: string

  beforeAll(async () => {
    host = connect(selectBackend('wasm'), ({ event }) => {
      if (event.type === 'step') onStep(event.epoch)
    })
    await host.ask(hello)
    dataDir = temporary()
    for (const file of ['mozk545a.mid', 'mozk331a.mid'])
      copyFileSync(corpusFile(`sonata-ish/${file}`), join(dataDir, file))
  })

  it('makes no step while paused, and finishes every epoch once continued', async () => {
    // Two epochs of ten steps: time enough to pause in the first.
    const settings = tinySettings({ stepsPerEpoch: 10 })
    const firstEpoch = reachEpoch(1)
    const training = host.ask({ type: 'train', id: 'held', dataDir, outDir: temporary(), settings })
    await firstEpoch
    expect(await pause('held', true)).toEqual({ type: 'pause', job: 'held', found: true })
    expect(await pause('held', true)).toEqual({ type: 'pause', job: 'held', found: true })
    const held = stepsOf('held')
    expect(held).toBeLessThan(20)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(stepsOf('held')).toBe(held)

    expect(await pause('held', false)).toEqual({ type: 'pause', job: 'held', found: true })
    expect(resultOf(await training, 'train')).toMatchObject({ completedEpochs: 2, cancelled: false })
    expect(stepsOf('held')).toBe(20)
    // Told once each way, however often asked.
    const told = progressOf('held').flatMap((event) => (event.type === 'paused' ? [event.paused] : []))
    expect(told).toEqual([true, false])
  })

  it('ends a training cancelled while paused, with the checkpoint of its last complete epoch', async () => {
    const outDir = temporary()
    const secondEpoch = reachEpoch(2)
    const training = host.ask({
      type: 'train',
      id: 'stopped',
      dataDir,
      outDir,
      settings: tinySettings({ stepsPerEpoch: 10, epochs: 50 }),
    })
    await secondEpoch
    await pause('stopped', true)
    const held = stepsOf('stopped')
    expect(resultOf(await host.ask({ type: 'cancel', id: 'c', job: 'stopped' }), 'cancel').found).toBe(true)
    expect(resultOf(await training, 'train')).toEqual({
      type: 'train',
      checkpoint: join(outDir, 'checkpoint'),
      completedEpochs: 1,
      cancelled: true,
    })
    expect(stepsOf('stopped')).toBe(held)
    const { meta } = resultOf(await host.ask({ type: 'inspect', id: 'i', checkpoint: outDir }), 'inspect')
    expect(meta.history).toHaveLength(1)
    expect(await pause('stopped', false)).toMatchObject({ found: false })
  })
})

describe('EngineServer when its host is gone', () => {
  it('stops a training after the step whose message failed, sends nothing more, and says why once', async () => {
    const dataDir = temporary()
    copyFileSync(corpusFile('sonata-ish/mozk545a.mid'), join(dataDir, 'mozk545a.mid'))
    const outDir = temporary()
    let gone = false
    let attempts = 0
    const sent: EngineMessage[] = []
    const reasons: string[] = []
    const ended = new Promise<void>((resolve) => {
      const server = new EngineServer({
        backend: selectBackend('wasm'),
        send(message) {
          if (gone) {
            attempts++
            throw new Error('write EPIPE')
          }
          sent.push(EngineMessageSchema.parse(message))
          // The host goes while the second epoch is under way: its first epoch is saved by then.
          if (message.type === 'progress' && message.event.type === 'step' && message.event.epoch === 2) {
            gone = true
          }
        },
        onHostGone(reason) {
          reasons.push(reason)
          server.handle({ type: 'inspect', id: 'late', checkpoint: outDir })
          resolve()
        },
      })
      server.handle(hello)
      server.handle({
        type: 'train',
        id: 'train',
        dataDir,
        outDir,
        settings: tinySettings({ epochs: 500, stepsPerEpoch: 10 }),
      })
    })
    await ended

    expect(reasons).toEqual(['a message to the host failed (write EPIPE)'])
    // The step after the last one sent failed to tell of itself; nothing was tried after it.
    expect(attempts).toBe(1)
    expect(sent.some((message) => message.type === 'result' || message.type === 'error')).toBe(false)
    const { history } = await readCheckpointMeta(join(outDir, 'checkpoint'))
    expect(history).toHaveLength(1)
  })
})
