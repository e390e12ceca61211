// The engine as its own process, started with child_process.fork as a plain Node host does: a real
// training streams progress over IPC, is cancelled mid-run, and leaves a checkpoint that still loads; and a
// host that closes the channel mid-training gets a quiet exit, not a crash on the next progress message.
import { fork, type ChildProcess } from 'node:child_process'
import { copyFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { corpusFile } from '../../../test/corpus'
import { resultOf } from '../../../test/engineResult'
import { tinySettings } from '../../../test/tinySettings'
import { EngineMessageSchema, PROTOCOL_VERSION, type EngineMessage } from '../../shared/engineProtocol'
import type { TrainingEvent } from '../../shared/trainingEvent'
import { readCheckpointMeta } from '../checkpointStore'

const ENTRY = resolve(import.meta.dirname, 'engineEntry.ts')
const PARENT_PORT_ENTRY = resolve(import.meta.dirname, '../../../test/parentPortEngine.ts')
const temporary = () => mkdtempSync(join(tmpdir(), 'cadenza-entry-'))

/** A host of a forked engine: validates what arrives, and matches final replies to requests by id. */
class ForkedEngine {
  readonly child: ChildProcess
  /** What the engine wrote to stderr. */
  stderr = ''
  private readonly waiting = new Map<string | null, (message: EngineMessage) => void>()

  constructor(onProgress: (event: TrainingEvent, id: string) => void, entry = ENTRY) {
    this.child = fork(entry, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, CADENZA_BACKEND: 'wasm' },
      stdio: ['inherit', 'inherit', 'pipe', 'ipc'],
    })
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += String(chunk)))
    this.child.on('message', (raw) => {
      const message = EngineMessageSchema.parse(raw)
      if (message.type === 'progress') onProgress(message.event, message.id)
      else this.waiting.get(message.id)?.(message)
    })
  }

  ask(message: unknown, id = (message as { id?: string }).id ?? null): Promise<EngineMessage> {
    return new Promise((resolve) => {
      this.waiting.set(id, resolve)
      this.child.send(message as object)
    })
  }

  /** Leaves as a host does: the engine exits when the channel closes. */
  stop(): Promise<number | null> {
    return new Promise((resolve) => {
      this.child.once('exit', resolve)
      this.child.disconnect()
    })
  }
}

/** A folder with three real Mozart movements. */
function dataFolder(): string {
  const dataDir = temporary()
  for (const file of ['mozk545a.mid', 'mozk331a.mid', 'mozk545b.mid']) {
    copyFileSync(corpusFile(`sonata-ish/${file}`), join(dataDir, file))
  }
  return dataDir
}

let engine: ForkedEngine | undefined
afterEach(() => {
  if (engine?.child.exitCode === null) engine.child.kill()
})

describe('the forked engine', () => {
  it('trains with progress, stops on cancel and leaves the last complete checkpoint loadable', async () => {
    const events: TrainingEvent[] = []
    let cancelled: Promise<EngineMessage> | undefined
    const progressIds = new Set<string>()
    engine = new ForkedEngine((event, id) => {
      progressIds.add(id)
      events.push(event)
      // Cancel as soon as the second epoch is under way: the first one is then complete.
      if (event.type === 'step' && event.epoch === 2 && cancelled === undefined) {
        cancelled = engine!.ask({ type: 'cancel', id: 'cancel', job: 'train' })
      }
    })
    const forked = engine

    expect(await forked.ask({ type: 'mystery' }, null)).toMatchObject({
      type: 'error',
      id: null,
      error: { name: 'ProtocolError' },
    })
    expect(await forked.ask({ type: 'hello', id: 'hello', protocolVersion: PROTOCOL_VERSION })).toMatchObject(
      {
        type: 'ready',
        backend: { name: 'wasm' },
      },
    )

    const dataDir = dataFolder()
    const outDir = temporary()
    // Far more epochs than it will run: only the cancel ends it early.
    const settings = tinySettings({ epochs: 500 })
    const trained = await forked.ask({ type: 'train', id: 'train', dataDir, outDir, settings })

    expect(await cancelled).toEqual({
      type: 'result',
      id: 'cancel',
      result: { type: 'cancel', job: 'train', found: true },
    })
    const { checkpoint, completedEpochs, cancelled: stopped } = resultOf(trained, 'train')
    expect([checkpoint, stopped]).toEqual([join(outDir, 'checkpoint'), true])
    expect(completedEpochs).toBeGreaterThanOrEqual(1)
    expect(progressIds).toEqual(new Set(['train']))
    expect(new Set(events.map((event) => event.type))).toEqual(
      new Set(['reading', 'dataset', 'step', 'epoch']),
    )
    expect(events.filter((event) => event.type === 'epoch')).toHaveLength(completedEpochs)

    const { meta } = resultOf(
      await forked.ask({ type: 'inspect', id: 'inspect', checkpoint: outDir }),
      'inspect',
    )
    expect(meta.history).toHaveLength(completedEpochs)
    const request = { seed: 1, temperature: 1, length: 16, count: 1 }
    const generated = await forked.ask({ type: 'generate', id: 'generate', checkpoint: outDir, request })
    expect(resultOf(generated, 'generate').pieces[0].notes.length).toBeGreaterThan(0)

    expect(await forked.stop()).toBe(0)
  })

  it.each<[string, string, (forked: ForkedEngine) => void]>([
    ['closes the channel', ENTRY, (forked) => void forked.stop()],
    ["closes Electron's parentPort", PARENT_PORT_ENTRY, (forked) => void forked.child.kill('SIGUSR2')],
  ])(
    'stops a training after its step when the host %s, keeps its checkpoint and exits quietly',
    async (_how, entry, leave) => {
      let left = false
      const exited = new Promise<number | null>((resolve) => {
        engine = new ForkedEngine((event) => {
          // The host leaves while the second epoch is under way, mid-step as a host giving up would: the
          // engine's next progress message then meets a closed channel.
          if (event.type === 'step' && event.epoch === 2 && !left) {
            left = true
            leave(engine!)
          }
        }, entry)
        engine.child.once('exit', resolve)
      })
      const forked = engine!
      await forked.ask({ type: 'hello', id: 'hello', protocolVersion: PROTOCOL_VERSION })
      const outDir = temporary()
      forked.child.send({
        type: 'train',
        id: 'train',
        dataDir: dataFolder(),
        outDir,
        settings: tinySettings({ epochs: 500 }),
      })

      expect(await exited).toBe(0)
      expect(left).toBe(true)
      expect(forked.stderr).toMatch(/^cadenza engine: .*; exiting\n$/)
      expect(forked.stderr).not.toContain('    at ')
      const { history } = await readCheckpointMeta(join(outDir, 'checkpoint'))
      expect(history.length).toBeGreaterThanOrEqual(1)
    },
  )
})
