// The engine host with the real engine forked under Node (as Electron's utility process would run it),
// and with small scripted processes for what a real engine does not do on cue: send garbage, crash at
// once, ignore a request to exit. The layer rules keep engine modules out of src/main, tests included, so
// checkpoints are prepared and checked through the protocol itself.
import { copyFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { corpusFile } from '../../test/corpus'
import { tinySettings } from '../../test/tinySettings'
import { PROTOCOL_VERSION, type HostMessage } from '../shared/engineProtocol'
import type { TrainingEvent } from '../shared/trainingEvent'
import { EngineHost, type CrashReport, type EngineExit, type EngineProcess } from './engineHost'
import { startNodeEngine, type NodeEngineProcess } from './nodeEngineProcess'

const ENTRY = resolve(import.meta.dirname, '../engine/process/engineEntry.ts')
const temporary = () => mkdtempSync(join(tmpdir(), 'cadenza-host-'))

let host: EngineHost | undefined
afterEach(async () => {
  await host?.stop()
  host = undefined
})

/** A host of the real engine; `children` collects each process it starts. */
function realHost(children: NodeEngineProcess[]): EngineHost {
  const start = () => {
    const engine = startNodeEngine(ENTRY, {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, CADENZA_BACKEND: 'wasm' },
    })
    children.push(engine)
    return engine
  }
  return new EngineHost({ start, restartDelayMs: 10 })
}

function corpusFolder(): string {
  const dataDir = temporary()
  for (const file of ['mozk545a.mid', 'mozk331a.mid', 'mozk545b.mid']) {
    copyFileSync(corpusFile(`sonata-ish/${file}`), join(dataDir, file))
  }
  return dataDir
}

/** A stand-in process: `script` sees each message sent to it and may reply or exit. */
function scripted(
  script: (message: HostMessage, reply: (message: unknown) => void, exit: (exit: EngineExit) => void) => void,
  { obeysEnd = true } = {},
): EngineProcess & { killed: boolean } {
  let onMessage = (_message: unknown) => {}
  let onExit = (_exit: EngineExit) => {}
  // Asynchronous, as a real process's messages are.
  const reply = (message: unknown) => setImmediate(() => onMessage(message))
  const exit = (how: EngineExit) => setImmediate(() => onExit(how))
  const engine = {
    killed: false,
    postMessage: (message: HostMessage) => script(message, reply, exit),
    onMessage: (listener: typeof onMessage) => (onMessage = listener),
    onExit: (listener: typeof onExit) => (onExit = listener),
    end: () => obeysEnd && exit({ code: 0, signal: null }),
    kill: () => {
      engine.killed = true
      exit({ code: null, signal: 'SIGKILL' })
    },
  }
  return engine
}

const ready = (id: string) => ({
  type: 'ready',
  id,
  protocolVersion: PROTOCOL_VERSION,
  appVersion: '0.0.0',
  backend: { name: 'cpu', description: 'scripted', reason: 'forced' },
})

describe('the engine host, with the real engine', () => {
  it('greets the engine, trains, and inspects and generates from the checkpoint', async () => {
    const children: NodeEngineProcess[] = []
    host = realHost(children)
    expect((await host.ready()).backend.name).toBe('wasm')

    const outDir = temporary()
    const events: TrainingEvent['type'][] = []
    const trained = await host.train(
      { dataDir: corpusFolder(), outDir, settings: tinySettings() },
      { onProgress: (event) => events.push(event.type) },
    )
    expect(trained).toMatchObject({ checkpoint: join(outDir, 'checkpoint'), cancelled: false })
    expect(events).toContain('epoch')

    const { meta } = await host.request({ type: 'inspect', checkpoint: outDir })
    expect(meta.history).toHaveLength(trained.completedEpochs)
    const request = { seed: 1, temperature: 1, length: 16, count: 2 }
    const { pieces } = await host.request({ type: 'generate', checkpoint: outDir, request })
    expect(pieces).toHaveLength(2)

    await expect(host.request({ type: 'inspect', checkpoint: temporary() })).rejects.toMatchObject({
      name: 'CheckpointError',
    })

    // Asked politely, the engine exits by itself rather than being killed.
    await host.stop()
    expect(children.map(({ child }) => [child.exitCode, child.signalCode])).toEqual([[0, null]])
  })

  it('reports a crash mid-training, restarts, and resumes from the last complete checkpoint', async () => {
    const children: NodeEngineProcess[] = []
    const crashes: CrashReport[] = []
    host = realHost(children)
    host.on('crashed', (report) => crashes.push(report))
    const dataDir = corpusFolder()
    const outDir = temporary()
    // Far more epochs than it will run: the kill, and later a cancel, end it.
    const settings = tinySettings({ epochs: 500 })

    const killed = host.train(
      { dataDir, outDir, settings },
      {
        // Once the second epoch is under way, the first one's checkpoint is complete.
        onProgress: (event) => {
          if (event.type === 'step' && event.epoch === 2) children[0].child.kill('SIGKILL')
        },
      },
    )
    const reason = 'the engine stopped unexpectedly (signal SIGKILL)'
    await expect(killed).rejects.toThrow(reason)
    expect(crashes).toEqual([{ reason, restarting: true }])

    expect((await host.ready()).backend.name).toBe('wasm')
    expect(children).toHaveLength(2)
    let resumedEpochs: number | undefined
    const cancel = new AbortController()
    const resumed = await host.train(
      { dataDir, outDir, settings },
      {
        signal: cancel.signal,
        onProgress: (event) => {
          if (event.type === 'dataset') resumedEpochs = event.history.length
          if (event.type === 'step') cancel.abort()
        },
      },
    )
    expect(resumedEpochs).toBeGreaterThanOrEqual(1)
    expect(resumed.cancelled).toBe(true)
    const { meta } = await host.request({ type: 'inspect', checkpoint: outDir })
    expect(meta.history.length).toBeGreaterThanOrEqual(1)
  })

  it('pauses a training, holding it until continued, and reports a crash while paused as any other', async () => {
    const children: NodeEngineProcess[] = []
    host = realHost(children)
    expect(await host.pauseTraining(true)).toBe(false)
    const dataDir = corpusFolder()
    let steps = 0
    let firstStep = () => {}
    const stepped = new Promise<void>((resolve) => (firstStep = resolve))
    const paused: boolean[] = []
    const onProgress = (event: TrainingEvent) => {
      if (event.type === 'paused') paused.push(event.paused)
      if (event.type !== 'step') return
      steps++
      firstStep()
    }
    // Two epochs of ten steps: time enough to pause in the first.
    const settings = tinySettings({ stepsPerEpoch: 10 })
    const training = host.train({ dataDir, outDir: temporary(), settings }, { onProgress })
    await stepped
    expect(await host.pauseTraining(true)).toBe(true)
    const held = steps
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(steps).toBe(held)
    expect(held).toBeLessThan(20)
    expect(await host.pauseTraining(false)).toBe(true)
    expect(await training).toMatchObject({ completedEpochs: 2, cancelled: false })
    expect(steps).toBe(20)
    expect(paused).toEqual([true, false])

    const crashing = host.train({ dataDir, outDir: temporary(), settings })
    expect(await host.pauseTraining(true)).toBe(true)
    children[0].child.kill('SIGKILL')
    await expect(crashing).rejects.toThrow('the engine stopped unexpectedly (signal SIGKILL)')
    expect(await host.pauseTraining(false)).toBe(false)
  })
})

describe('the engine host, with scripted processes', () => {
  it('ignores and logs messages that are invalid or answer nothing', async () => {
    const log: string[] = []
    const start = () =>
      scripted((message, reply) => {
        reply({ type: 'mystery', id: message.id })
        reply(ready('not-asked'))
        reply(ready(message.id))
      })
    host = new EngineHost({ start, log: (line) => log.push(line) })

    expect(await host.ready()).toEqual({
      appVersion: '0.0.0',
      backend: { name: 'cpu', description: 'scripted', reason: 'forced' },
    })
    expect(log).toHaveLength(2)
    expect(log[0]).toMatch(/invalid message/)
    expect(log[1]).toMatch(/no open request.*not-asked/)
  })

  it('stops restarting an engine that keeps crashing', async () => {
    let starts = 0
    const crashes: CrashReport[] = []
    const start = () => {
      starts++
      return scripted((_message, _reply, exit) => exit({ code: 3, signal: null }))
    }
    host = new EngineHost({ start, restartDelayMs: 1 })
    const gaveUp = new Promise((resolve) => {
      host!.on('crashed', (report) => {
        crashes.push(report)
        if (!report.restarting) resolve(report)
      })
    })
    await gaveUp

    expect(starts).toBe(3 + 1)
    expect(crashes.map((report) => report.restarting)).toEqual([true, true, true, false])
    expect(crashes[0].reason).toBe('the engine stopped unexpectedly (exit code 3)')
    await expect(host.ready()).rejects.toThrow(/4 times within a minute, so it is not started again/)
  })

  it('kills an engine that does not exit when asked, and rejects what it still owed', async () => {
    const engine = scripted((message, reply) => message.type === 'hello' && reply(ready(message.id)), {
      obeysEnd: false,
    })
    host = new EngineHost({ start: () => engine, stopTimeoutMs: 10 })
    await host.ready()
    const unanswered = host.request({ type: 'inspect', checkpoint: '/nowhere' })
    // Let the request reach the process before stopping.
    await new Promise((resolve) => setImmediate(resolve))

    await host.stop()
    expect(engine.killed).toBe(true)
    await expect(unanswered).rejects.toMatchObject({
      name: 'EngineStopped',
      message: 'the engine was stopped',
    })
    await expect(host.request({ type: 'inspect', checkpoint: '/nowhere' })).rejects.toThrow(
      'the engine was stopped',
    )
  })
})
