// The IPC handler table behind its registration, as the renderer reaches it: a recording fake of ipcMain,
// the real checkpoint library, and the real engine forked under Node for generation. Dialogs, the window and
// the drag are recorded fakes; the files they lead to are real.
import { EventEmitter } from 'node:events'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { IpcMainInvokeEvent, OpenDialogOptions, SaveDialogOptions, WebContents } from 'electron'
import { afterAll, describe, expect, it } from 'vitest'
import { corpusFile } from '../../test/corpus'
import { tinySettings } from '../../test/tinySettings'
import { DEFAULT_CHECKPOINT_ID } from '../shared/checkpointEntry'
import { OPERATIONS, channelOf, type Operation } from '../shared/ipcChannels'
import type { CadenzaEvent, IpcArgs, IpcResult } from '../shared/ipcContract'
import { midiToPiece } from '../shared/music/midiToPiece'
import { pieceToMidi } from '../shared/music/pieceToMidi'
import type { Piece } from '../shared/music/piece'
import type { TrainingEvent } from '../shared/trainingEvent'
import { CheckpointLibrary } from './checkpointLibrary'
import { EngineHost } from './engineHost'
import {
  createHandlers,
  forwardEngineCrashes,
  registerIpcHandlers,
  type IpcDependencies,
} from './ipcHandlers'
import { startNodeEngine } from './nodeEngineProcess'

const ROOT = resolve(import.meta.dirname, '../..')
const ENTRY = join(ROOT, 'src/engine/process/engineEntry.ts')
const DRAG_ICON = join(ROOT, 'resources/drag-icon.png')
const temporary = () => mkdtempSync(join(tmpdir(), 'cadenza-ipc-'))

const PIECE: Piece = {
  notes: [
    { onset: 0, length: 1, pitch: 60, velocity: 90 },
    { onset: 1, length: 0.5, pitch: 64, velocity: 70 },
  ],
  tempos: [{ time: 0, bpm: 100 }],
  timeSignatures: [{ time: 0, numerator: 3, denominator: 4 }],
  recipe: '{"seed":7}',
}

/** The studio window's webContents, recording its drags. */
function fakeStudio() {
  const drags: { file: string; icon: unknown }[] = []
  const contents = { startDrag: (item: { file: string; icon: unknown }) => drags.push(item) }
  return { sender: contents as unknown as WebContents, drags }
}

/** Dialogs that answer from a script and record what they were asked. */
function fakeDialogs(answers: (string | undefined)[]) {
  const asked: (SaveDialogOptions | OpenDialogOptions)[] = []
  const answer = async (_sender: WebContents, options: SaveDialogOptions | OpenDialogOptions) => {
    asked.push(options)
    return answers.shift()
  }
  return { dialogs: { save: answer, open: answer }, asked }
}

/** The icon as nativeImage.createFromPath would give it: empty when the file is missing or empty. */
const iconFrom = (file: string) => ({ file, isEmpty: () => !existsSync(file) || statSync(file).size === 0 })

/** Registers the handlers on a recording ipcMain; `call` invokes a channel as the renderer would. */
function registered(deps: Partial<IpcDependencies>, { trusted = true } = {}) {
  const channels = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>>()
  const logged: string[] = []
  const { sender, drags } = fakeStudio()
  const dispose = registerIpcHandlers({
    ipcMain: {
      handle: (channel, listener) => void channels.set(channel, listener as never),
      removeHandler: (channel) => void channels.delete(channel),
    },
    handlers: createHandlers({
      host: {} as IpcDependencies['host'],
      library: new CheckpointLibrary({
        root: temporary(),
        defaultModelDir: join(ROOT, 'resources/default-model'),
      }),
      dialogs: fakeDialogs([]).dialogs,
      appVersion: '1.2.3',
      showItemInFolder: () => {},
      exportsDir: join(temporary(), 'exports'),
      dragIcon: iconFrom(DRAG_ICON),
      send: () => {},
      ...deps,
    }),
    isTrustedSender: () => trusted,
    log: (line) => logged.push(line),
  })
  const call = <K extends Operation>(operation: K, ...args: IpcArgs<K>) =>
    channels.get(channelOf(operation))!(
      { sender, senderFrame: { url: 'file:///x' } } as never,
      ...args,
    ) as Promise<IpcResult<K>>
  return { call, channels, logged, drags, dispose }
}

const request = { seed: 3, temperature: 1, length: 12, count: 2 }

describe('the IPC registration', () => {
  it('registers a handler for every operation, and removes them all', () => {
    const { channels, dispose } = registered({})
    expect([...channels.keys()]).toEqual(OPERATIONS.map(channelOf))
    dispose()
    expect(channels.size).toBe(0)
  })

  it('refuses a sender that is not the studio window before anything runs', async () => {
    let asked = false
    const { call, logged } = registered(
      {
        host: {
          ready: async () => (
            (asked = true),
            { appVersion: '', backend: { name: '', description: '', reason: '' } }
          ),
        } as never,
      },
      { trusted: false },
    )
    await expect(call('appInfo')).rejects.toThrow(
      /^cadenza:appInfo: refused: not called by the studio window$/,
    )
    expect(asked).toBe(false)
    expect(logged).toEqual(['cadenza:appInfo: refused a call from file:///x'])
  })

  it('rejects arguments that do not match, naming the channel, the argument and the problem', async () => {
    const { call } = registered({})
    await expect(call('generate', DEFAULT_CHECKPOINT_ID, { ...request, temperature: 5 })).rejects.toThrow(
      /^cadenza:generate: invalid argument 2\.temperature: Too big: expected number to be <=2$/,
    )
    await expect(call('renameCheckpoint', '', 'New name')).rejects.toThrow(
      /^cadenza:renameCheckpoint: invalid argument 1: Too small/,
    )
    await expect(
      (call as (op: string, ...args: unknown[]) => Promise<unknown>)('appInfo', 'extra'),
    ).rejects.toThrow(/^cadenza:appInfo: invalid arguments: Too big/)
    const take = { name: 'x', piece: { ...PIECE, notes: [{ onset: 0, length: 1, pitch: 200, velocity: 1 }] } }
    await expect(call('saveTake', take)).rejects.toThrow(
      /^cadenza:saveTake: invalid argument 1\.piece\.notes\.0\.pitch: /,
    )
  })

  it("reports a handler's failure in one line, with its kind; the log has the rest", async () => {
    const { call, logged } = registered({})
    await expect(call('removeCheckpoint', DEFAULT_CHECKPOINT_ID)).rejects.toThrow(
      /^cadenza:removeCheckpoint: LibraryError: .*"Default model".* cannot be deleted$/,
    )
    expect(logged[0]).toMatch(/^cadenza:removeCheckpoint: LibraryError: .*\n\s+at /)
  })
})

describe('the handlers, with the real engine', () => {
  const host = new EngineHost({
    start: () =>
      startNodeEngine(ENTRY, {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, CADENZA_BACKEND: 'wasm' },
      }),
  })
  afterAll(() => host.stop())

  it('tell the app version and the backend, and generate from the default model by its id', async () => {
    const { call } = registered({ host })
    expect(await call('appInfo')).toEqual({
      version: '1.2.3',
      backend: expect.objectContaining({ name: 'wasm' }),
    })
    const pieces = await call('generate', DEFAULT_CHECKPOINT_ID, request)
    expect(pieces).toHaveLength(2)
    expect(pieces[0].notes.length).toBeGreaterThan(0)
    await expect(call('generate', 'no-such-id', request)).rejects.toThrow(/^cadenza:generate: /)
  })

  it('read the report of a picked dataset folder, and of no folder the user did not pick', async () => {
    const folder = temporary()
    copyFileSync(corpusFile('sonata-ish/mozk545a.mid'), join(folder, 'mozk545a.mid'))
    writeFileSync(join(folder, 'broken.mid'), 'MThd')
    const { call } = registered({ host, dialogs: fakeDialogs([folder]).dialogs })
    await expect(call('readDataset', folder, tinySettings())).rejects.toThrow(
      /^cadenza:readDataset: the dataset folder was neither picked nor dropped$/,
    )
    expect(await call('pickMidiFolder')).toBe(folder)
    expect(await call('readDataset', folder, tinySettings())).toMatchObject({
      filesRead: 1,
      filesSkipped: [{ file: join(folder, 'broken.mid'), error: 'truncated: the MIDI header is incomplete' }],
    })
    await expect(
      call('readDataset', folder, { ...tinySettings(), model: { layers: 0 } } as never),
    ).rejects.toThrow(/^cadenza:readDataset: invalid argument 2\.model/)
  })

  it('resume a run where its last checkpoint ends, on its own folder and settings, sending samples as pieces', async () => {
    const folder = temporary()
    for (const file of ['mozk545a.mid', 'mozk545b.mid']) {
      copyFileSync(corpusFile(`sonata-ish/${file}`), join(folder, file))
    }
    const libraryRoot = temporary()
    const library = new CheckpointLibrary({
      root: libraryRoot,
      defaultModelDir: join(ROOT, 'resources/default-model'),
    })
    const events: CadenzaEvent[] = []
    const { call } = registered({
      host,
      library,
      dialogs: fakeDialogs([folder]).dialogs,
      send: (event) => events.push(event),
    })
    await call('pickMidiFolder')
    const first = await call('startTraining', { name: 'Sonatas', settings: tinySettings(), dataDir: folder })
    expect(first).toEqual({ runId: expect.any(String), completedEpochs: 2, cancelled: false })
    const runId = first!.runId
    const trainingEvents = () => events.flatMap((e) => (e.type === 'training' ? [e.event] : []))
    const epochs = trainingEvents().filter((event) => event.type === 'epoch')
    expect(epochs.map((event) => event.record.epoch)).toEqual([1, 2])
    expect(epochs[0].samples).toEqual([expect.objectContaining({ notes: expect.any(Array) })])
    expect(JSON.stringify(events)).not.toContain(libraryRoot)

    events.length = 0
    expect(await call('resumeTraining', runId, { epochs: 3 })).toEqual({
      runId,
      completedEpochs: 4,
      cancelled: false,
    })
    expect(trainingEvents().find((event) => event.type === 'dataset')).toMatchObject({
      backend: { name: 'wasm', reason: 'forced' },
      history: [{ epoch: 1 }, { epoch: 2 }],
      report: { corpusStatistics: expect.objectContaining({ num_tones: 3 * 128 }) },
      samples: epochs.map((event) => event.samples),
    })
    expect(trainingEvents().flatMap((event) => (event.type === 'epoch' ? [event.record.epoch] : []))).toEqual(
      [3, 4],
    )
    expect(await library.entry(runId)).toMatchObject({ status: 'ready', epochs: 4 })
    await expect(call('resumeTraining', DEFAULT_CHECKPOINT_ID, {})).rejects.toThrow(
      /^cadenza:resumeTraining: this checkpoint does not record the folder it trained on/,
    )
  }, 120_000)
})

describe('takes', () => {
  it('drag out as a real .mid in the exports folder, with a non-empty icon', async () => {
    const exportsDir = join(temporary(), 'exports')
    const { call, drags } = registered({ exportsDir })
    await call('dragTake', { name: 'Take 3: a/b', piece: PIECE })
    expect(drags).toEqual([{ file: join(exportsDir, 'Take 3- a-b.mid'), icon: expect.anything() }])
    const [{ file, icon }] = drags
    expect(midiToPiece(readFileSync(file))).toEqual(PIECE)
    expect((icon as ReturnType<typeof iconFrom>).file).toBe(DRAG_ICON)
    expect((icon as ReturnType<typeof iconFrom>).isEmpty()).toBe(false)
  })

  it('use a 32 px PNG as the drag icon, and refuse to drag without one', async () => {
    const png = readFileSync(DRAG_ICON)
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG')
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([32, 32])
    const { call, drags } = registered({ dragIcon: iconFrom(join(temporary(), 'missing.png')) })
    await expect(call('dragTake', { name: 'x', piece: PIECE })).rejects.toThrow(/drag icon is missing/)
    expect(drags).toEqual([])
  })

  it('save as .mid where the save dialog says, or nowhere when it is cancelled', async () => {
    const file = join(temporary(), 'chosen.mid')
    const { dialogs, asked } = fakeDialogs([file, undefined])
    const { call } = registered({ dialogs })
    expect(await call('saveTake', { name: 'Nocturne?', piece: PIECE })).toBe(file)
    expect(midiToPiece(readFileSync(file))).toEqual(PIECE)
    expect(asked[0]).toMatchObject({ defaultPath: 'Nocturne-.mid' })
    expect(await call('saveTake', { name: 'Nocturne', piece: PIECE })).toBeNull()
  })

  it('export WAV audio where the save dialog says, and only WAV audio', async () => {
    // A WAV file of one silent 16-bit sample at 8 kHz: the header and two bytes of data.
    const wav = new Uint8Array([
      ...Buffer.from('RIFF'),
      38,
      0,
      0,
      0,
      ...Buffer.from('WAVEfmt '),
      16,
      0,
      0,
      0,
      1,
      0,
      1,
      0,
      0x40,
      0x1f,
      0,
      0,
      0x80,
      0x3e,
      0,
      0,
      2,
      0,
      16,
      0,
      ...Buffer.from('data'),
      2,
      0,
      0,
      0,
      0,
      0,
    ])
    const file = join(temporary(), 'chosen.wav')
    const { dialogs, asked } = fakeDialogs([file, undefined])
    const { call } = registered({ dialogs })
    expect(await call('saveWav', { name: 'Take 1', wav })).toBe(file)
    expect(new Uint8Array(readFileSync(file))).toEqual(wav)
    expect(asked[0]).toMatchObject({ defaultPath: 'Take 1.wav' })
    expect(await call('saveWav', { name: 'Take 1', wav })).toBeNull()
    await expect(call('saveWav', { name: 'x', wav: new Uint8Array(64) })).rejects.toThrow(
      /^cadenza:saveWav: invalid argument 1\.wav: not WAV audio/,
    )
    expect(asked).toHaveLength(2)
  })

  it('are read from a MIDI file the user picks, by name and piece', async () => {
    const file = join(temporary(), 'primer.mid')
    writeFileSync(file, pieceToMidi(PIECE))
    const broken = join(temporary(), 'broken.mid')
    writeFileSync(broken, 'not midi')
    const { call } = registered({ dialogs: fakeDialogs([file, broken, undefined]).dialogs })
    expect(await call('pickMidiFile')).toEqual({ name: 'primer', piece: PIECE })
    await expect(call('pickMidiFile')).rejects.toThrow(/^cadenza:pickMidiFile: broken\.mid: /)
    expect(await call('pickMidiFile')).toBeNull()
  })
})

describe('training', () => {
  /** A host whose training reports one event and then waits to be cancelled; it records pauses. */
  function scriptedHost() {
    const trained: unknown[] = []
    const pauses: boolean[] = []
    let running = false
    const host = {
      pauseTraining: async (paused: boolean) => (pauses.push(paused), running),
      train: (
        req: unknown,
        { onProgress, signal }: { onProgress: (e: TrainingEvent) => void; signal: AbortSignal },
      ) => {
        trained.push(req)
        running = true
        onProgress({ type: 'reading', done: 0, total: 3 })
        return new Promise((resolve) =>
          signal.addEventListener('abort', () => {
            running = false
            resolve({ type: 'train', checkpoint: '', completedEpochs: 2, cancelled: true })
          }),
        )
      },
    }
    return { host: host as unknown as IpcDependencies['host'], trained, pauses }
  }

  it('trains one run at a time on a picked folder into a new library run, streaming progress, until cancelled', async () => {
    const folder = temporary()
    const libraryRoot = temporary()
    const library = new CheckpointLibrary({
      root: libraryRoot,
      defaultModelDir: join(ROOT, 'resources/default-model'),
    })
    const { host, trained, pauses } = scriptedHost()
    const events: CadenzaEvent[] = []
    const { call } = registered({
      host,
      library,
      dialogs: fakeDialogs([folder]).dialogs,
      send: (e) => events.push(e),
    })

    expect(await call('cancelTraining')).toBe(false)
    expect(await call('pauseTraining', true)).toBe(false)
    expect(await call('pickMidiFolder')).toBe(folder)
    const running = call('startTraining', { name: 'Etudes', settings: tinySettings(), dataDir: folder })
    await expect.poll(() => events.length).toBe(1)
    await expect(
      call('startTraining', { name: 'Other', settings: tinySettings(), dataDir: folder }),
    ).rejects.toThrow(/^cadenza:startTraining: a training is running already/)
    expect(await call('pauseTraining', true)).toBe(true)
    expect(await call('pauseTraining', false)).toBe(true)
    await expect(
      (call as (op: string, ...args: unknown[]) => Promise<unknown>)('pauseTraining', 'yes'),
    ).rejects.toThrow(/^cadenza:pauseTraining: invalid argument 1: Invalid input: expected boolean/)
    expect(pauses).toEqual([true, true, false])
    expect(await call('cancelTraining')).toBe(true)
    const outcome = await running
    expect(outcome).toEqual({ runId: expect.any(String), completedEpochs: 2, cancelled: true })
    expect(events).toEqual([
      { type: 'training', runId: outcome!.runId, event: { type: 'reading', done: 0, total: 3 } },
    ])
    expect(trained).toEqual([
      {
        dataDir: folder,
        outDir: join(libraryRoot, outcome!.runId),
        settings: expect.objectContaining(tinySettings()),
      },
    ])
    expect((await library.entry(outcome!.runId)).name).toBe('Etudes')

    // Cancelled before its first checkpoint, the run still resumes, on the folder and settings it recorded.
    const resumed = call('resumeTraining', outcome!.runId, { epochs: 7 })
    await expect.poll(() => trained.length).toBe(2)
    const more = tinySettings()
    more.training.epochs = 7
    expect(trained[1]).toEqual({ dataDir: folder, outDir: join(libraryRoot, outcome!.runId), settings: more })
    expect(await call('cancelTraining')).toBe(true)
    await resumed
  })

  it('trains on no folder the user did not pick, and not at all when the folder dialog is cancelled', async () => {
    const { host, trained } = scriptedHost()
    const { call } = registered({ host, dialogs: fakeDialogs([undefined]).dialogs })
    await expect(
      call('startTraining', { name: 'Sneaky', settings: tinySettings(), dataDir: '/etc' }),
    ).rejects.toThrow(/^cadenza:startTraining: the dataset folder was neither picked nor dropped$/)
    expect(await call('startTraining', { name: 'Later', settings: tinySettings() })).toBeNull()
    expect(trained).toEqual([])
  })
})

describe('dropped folders', () => {
  it('count as picked when they are folders; anything else is refused in one line naming it', async () => {
    const folder = temporary()
    const file = join(folder, 'mozk545a.mid')
    copyFileSync(corpusFile('sonata-ish/mozk545a.mid'), file)
    const requests: unknown[] = []
    const host = {
      readDataset: async (request: unknown) => (requests.push(request), { report: 'the report' }),
    }
    const { call } = registered({ host: host as unknown as IpcDependencies['host'] })
    const refusal = (named: string) =>
      new Error(`cadenza:dropMidiFolder: ${named} is not a folder: drop a folder of MIDI files`)

    for (const dropped of [file, join(folder, 'gone'), 'relative/folder']) {
      await expect(call('dropMidiFolder', dropped)).rejects.toThrow(refusal(dropped))
      await expect(call('readDataset', dropped, tinySettings())).rejects.toThrow(
        /neither picked nor dropped$/,
      )
    }
    // What Electron gives for a File that is not on disk.
    await expect(call('dropMidiFolder', '')).rejects.toThrow(refusal('what was dropped'))

    expect(await call('dropMidiFolder', folder)).toBe(folder)
    expect(await call('readDataset', folder, tinySettings())).toBe('the report')
    expect(requests).toEqual([{ dataDir: folder, settings: tinySettings() }])
  })
})

describe('engine crashes', () => {
  it('go to the renderer as events, until forwarding stops', () => {
    const host = new EventEmitter<{ crashed: [{ reason: string; restarting: boolean }] }>()
    const events: CadenzaEvent[] = []
    const stop = forwardEngineCrashes(host as never, (event) => events.push(event))
    host.emit('crashed', { reason: 'the engine stopped unexpectedly (exit code 134)', restarting: true })
    stop()
    host.emit('crashed', { reason: 'again', restarting: false })
    expect(events).toEqual([
      { type: 'engine-crashed', reason: 'the engine stopped unexpectedly (exit code 134)', restarting: true },
    ])
  })
})

describe('checkpoints', () => {
  it('are listed, revealed, exported, imported, renamed, duplicated and removed by id', async () => {
    const exported = join(temporary(), 'shared')
    const { dialogs, asked } = fakeDialogs([exported, `${exported}.cadenza`, undefined])
    const revealed: string[] = []
    const { call } = registered({ dialogs, showItemInFolder: (path) => revealed.push(path) })

    expect((await call('listCheckpoints')).map((entry) => entry.id)).toEqual([DEFAULT_CHECKPOINT_ID])
    await call('revealCheckpoint', DEFAULT_CHECKPOINT_ID)
    expect(revealed).toEqual([join(ROOT, 'resources/default-model')])

    expect(await call('exportCheckpoint', DEFAULT_CHECKPOINT_ID)).toBe(`${exported}.cadenza`)
    expect(asked[0]).toMatchObject({ defaultPath: 'Default model.cadenza' })
    const imported = (await call('importCheckpoint'))!
    expect(imported.status).toBe('ready')
    expect(await call('importCheckpoint')).toBeNull()

    expect((await call('renameCheckpoint', imported.id, 'Mine')).name).toBe('Mine')
    const copy = await call('duplicateCheckpoint', imported.id)
    await call('removeCheckpoint', imported.id)
    expect((await call('listCheckpoints')).map((entry) => entry.id)).toEqual([DEFAULT_CHECKPOINT_ID, copy.id])
  })
})
