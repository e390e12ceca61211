// Electron main. The studio's IPC: one handler per operation of src/shared/ipcContract.ts, and the single
// registration that guards them all: the sender must be the studio window on the app's own page, and the
// arguments must match the operation's schema, before a handler runs. Paths never come from the renderer,
// except dataset folders that the user picked in a dialog or dropped on the studio in this session (a run
// records its folder, so resuming it names none). A drop is the same consent as a pick: the user chose that
// folder, and its path reaches main only as the preload read it from the dropped File. Electron objects are
// passed in, so everything here is tested in Node.
import { readFile, stat, writeFile } from 'node:fs/promises'
import { basename, extname, isAbsolute } from 'node:path'
import type {
  IpcMain,
  IpcMainInvokeEvent,
  NativeImage,
  OpenDialogOptions,
  SaveDialogOptions,
  WebContents,
} from 'electron'
import type { z } from 'zod'
import { OPERATIONS, channelOf, type Operation } from '../shared/ipcChannels'
import {
  IPC_CONTRACT,
  type CadenzaEvent,
  type IpcParsedArgs,
  type IpcResult,
  type StudioTrainingEvent,
  type TrainingOutcome,
} from '../shared/ipcContract'
import type { Settings } from '../shared/modelSettings'
import type { Piece } from '../shared/music/piece'
import { MIDI_EXTENSIONS, STANDARD_MIDI_EXTENSIONS } from '../shared/music/midiFileNames'
import { midiToPiece } from '../shared/music/midiToPiece'
import type { TrainingEvent } from '../shared/trainingEvent'
import { ARCHIVE_EXTENSION, type CheckpointLibrary } from './checkpointLibrary'
import type { EngineHost } from './engineHost'
import { readRunSource, writeRunSource } from './runSource'
import { safeFileName, takeFileName, writeTakeFile, writeTakeInto } from './takeFiles'

/** Electron's file dialogs, shown for the window that asked; undefined when the user cancels. */
export interface Dialogs {
  save(sender: WebContents, options: SaveDialogOptions): Promise<string | undefined>
  open(sender: WebContents, options: OpenDialogOptions): Promise<string | undefined>
}

export interface IpcDependencies {
  host: Pick<EngineHost, 'ready' | 'request' | 'train' | 'readDataset' | 'pauseTraining'>
  library: Pick<
    CheckpointLibrary,
    | 'list'
    | 'entry'
    | 'dirOf'
    | 'createRun'
    | 'rename'
    | 'duplicate'
    | 'keepBestEpoch'
    | 'remove'
    | 'exportTo'
    | 'importFrom'
  >
  dialogs: Dialogs
  appVersion: string
  /** shell.showItemInFolder */
  showItemInFolder: (path: string) => void
  /** Where dragged-out takes are written: `<userData>/exports`. */
  exportsDir: string
  /** The picture under the pointer while a take is dragged out; Electron refuses an empty one. */
  dragIcon: Pick<NativeImage, 'isEmpty'>
  /** Sends an event to the studio window. */
  send: (event: CadenzaEvent) => void
}

/** What a handler may use of the event: the window that called, for dialogs and dragging. */
export interface HandlerEvent {
  sender: WebContents
}

type Handler<K extends Operation> = (args: IpcParsedArgs<K>, event: HandlerEvent) => Promise<IpcResult<K>>
export type HandlerTable = { readonly [K in Operation]: Handler<K> }

const MIDI_FILTER = { name: 'MIDI files', extensions: [...MIDI_EXTENSIONS] }
// Takes are saved as Standard MIDI Files, never as RIFF MIDI (.rmi).
const SAVED_MIDI_FILTER = { name: 'MIDI files', extensions: [...STANDARD_MIDI_EXTENSIONS] }
const ARCHIVE_FILTER = { name: 'Cadenza checkpoints', extensions: [ARCHIVE_EXTENSION.slice(1)] }

export function createHandlers(deps: IpcDependencies): HandlerTable {
  const { host, library, dialogs, send } = deps
  /** Folders the user picked or dropped: the only paths the renderer names (readDataset, startTraining). */
  const pickedFolders = new Set<string>()
  let training: AbortController | undefined
  let reading: AbortController | undefined

  const mustBePicked = (folder: string) => {
    if (!pickedFolders.has(folder)) throw new Error('the dataset folder was neither picked nor dropped')
  }

  /** Claimed before the first await, so two calls cannot both start. */
  const claimTraining = () => {
    if (training !== undefined) throw new Error('a training is running already; cancel it first')
    training = new AbortController()
    return training
  }

  /** Trains into the run's folder, where the engine resumes the checkpoint it finds. */
  const trainRun = async (
    controller: AbortController,
    run: { id: string; dir: string },
    dataDir: string,
    settings: Settings,
  ): Promise<TrainingOutcome> => {
    // An epoch's samples are read before it is sent: events go out through one chain to keep their order.
    let sent = Promise.resolve()
    const forward = (event: TrainingEvent) => {
      sent = sent.then(async () => send({ type: 'training', runId: run.id, event: await forStudio(event) }))
    }
    try {
      const result = await host.train(
        { dataDir, outDir: run.dir, settings },
        { signal: controller.signal, onProgress: forward },
      )
      return { runId: run.id, completedEpochs: result.completedEpochs, cancelled: result.cancelled }
    } finally {
      await sent
    }
  }

  const pickFolder = async (sender: WebContents) => {
    const folder = await dialogs.open(sender, {
      title: 'Choose a folder of MIDI files',
      properties: ['openDirectory'],
    })
    if (folder !== undefined) pickedFolders.add(folder)
    return folder
  }

  return {
    appInfo: async () => ({ version: deps.appVersion, backend: (await host.ready()).backend }),
    listCheckpoints: () => library.list(),
    renameCheckpoint: ([id, name]) => library.rename(id, name),
    duplicateCheckpoint: ([id]) => library.duplicate(id),
    keepBestEpoch: ([id]) => library.keepBestEpoch(id),
    removeCheckpoint: ([id]) => library.remove(id),
    revealCheckpoint: async ([id]) => deps.showItemInFolder(await library.dirOf(id)),
    exportCheckpoint: async ([id], { sender }) => {
      const { name } = await library.entry(id)
      const file = await dialogs.save(sender, {
        title: 'Export checkpoint',
        defaultPath: safeFileName(name, ARCHIVE_EXTENSION),
        filters: [ARCHIVE_FILTER],
      })
      return file === undefined ? null : library.exportTo(id, file)
    },
    importCheckpoint: async (_args, { sender }) => {
      const file = await dialogs.open(sender, {
        title: 'Import checkpoint',
        properties: ['openFile'],
        filters: [ARCHIVE_FILTER],
      })
      return file === undefined ? null : library.importFrom(file)
    },
    generate: async ([id, request]) => {
      const checkpoint = await library.dirOf(id)
      return (await host.request({ type: 'generate', checkpoint, request })).pieces
    },
    startTraining: async ([{ name, settings, dataDir: given }], { sender }) => {
      if (given !== undefined) mustBePicked(given)
      const controller = claimTraining()
      try {
        const dataDir = given ?? (await pickFolder(sender))
        if (dataDir === undefined || controller.signal.aborted) return null
        const run = await library.createRun(name)
        await writeRunSource(run.dir, { dataDir, settings })
        return await trainRun(controller, run, dataDir, settings)
      } finally {
        training = undefined
      }
    },
    resumeTraining: async ([id, { epochs }]) => {
      const controller = claimTraining()
      try {
        const dir = await library.dirOf(id)
        // The run's own settings: the engine refuses another model, and reads the data as the run began.
        const { dataDir, settings } = await readRunSource(dir)
        if (epochs !== undefined) {
          settings.training.epochs = epochs
          await writeRunSource(dir, { dataDir, settings })
        }
        return await trainRun(controller, { id, dir }, dataDir, settings)
      } finally {
        training = undefined
      }
    },
    cancelTraining: async () => {
      training?.abort()
      return training !== undefined
    },
    pauseTraining: ([paused]) => host.pauseTraining(paused),
    pickMidiFile: async (_args, { sender }) => {
      const file = await dialogs.open(sender, {
        title: 'Choose a MIDI file',
        properties: ['openFile'],
        filters: [MIDI_FILTER],
      })
      if (file === undefined) return null
      const name = basename(file, extname(file))
      try {
        return { name, piece: midiToPiece(await readFile(file)) }
      } catch (error) {
        throw new Error(`${basename(file)}: ${error instanceof Error ? error.message : String(error)}`)
      }
    },
    pickMidiFolder: async (_args, { sender }) => (await pickFolder(sender)) ?? null,
    // The user chose this folder by dropping it, as by picking it in the dialog (see the header).
    dropMidiFolder: async ([folder]) => {
      if (!isAbsolute(folder) || !(await isFolder(folder))) {
        throw new Error(`${folder || 'what was dropped'} is not a folder: drop a folder of MIDI files`)
      }
      pickedFolders.add(folder)
      return folder
    },
    readDataset: async ([dataDir, settings]) => {
      mustBePicked(dataDir)
      if (reading !== undefined) throw new Error('a dataset is being read already; cancel it first')
      const controller = (reading = new AbortController())
      try {
        const onProgress = (event: TrainingEvent) => {
          if (event.type === 'reading')
            send({ type: 'dataset-reading', done: event.done, total: event.total })
        }
        const result = await host.readDataset(
          { dataDir, settings },
          { signal: controller.signal, onProgress },
        )
        return result.report
      } finally {
        reading = undefined
      }
    },
    cancelReadDataset: async () => {
      reading?.abort()
      return reading !== undefined
    },
    saveTake: async ([take], { sender }) => {
      const file = await dialogs.save(sender, {
        title: 'Save as MIDI',
        defaultPath: takeFileName(take.name),
        filters: [SAVED_MIDI_FILTER],
      })
      if (file === undefined) return null
      await writeTakeFile(file, take)
      return file
    },
    dragTake: async ([take], { sender }) => {
      if (deps.dragIcon.isEmpty()) throw new Error('the drag icon is missing from the app')
      const file = await writeTakeInto(deps.exportsDir, take)
      sender.startDrag({ file, icon: deps.dragIcon as NativeImage })
    },
    saveWav: async ([{ name, wav }], { sender }) => {
      const file = await dialogs.save(sender, {
        title: 'Export WAV',
        defaultPath: safeFileName(name, '.wav'),
        filters: [{ name: 'WAV audio', extensions: ['wav'] }],
      })
      if (file === undefined) return null
      await writeFile(file, wav)
      return file
    },
  }
}

/** Whether `path` is an existing folder. */
async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

/** Sample files as pieces; one that cannot be read (e.g. deleted meanwhile) is left out, not the epoch. */
async function readSamples(files: readonly string[]): Promise<Piece[]> {
  const read = (file: string) =>
    readFile(file)
      .then(midiToPiece)
      .catch(() => null)
  return (await Promise.all(files.map(read))).filter((piece) => piece !== null)
}

/** The renderer never sees paths: sample files go to it as pieces. */
async function forStudio(event: TrainingEvent): Promise<StudioTrainingEvent> {
  if (event.type === 'epoch') {
    return { type: 'epoch', record: event.record, samples: await readSamples(event.samples) }
  }
  if (event.type === 'dataset') {
    return { ...event, samples: await Promise.all(event.samples.map(readSamples)) }
  }
  return event
}

/** Engine crashes, as events for the studio window. Returns the function that stops forwarding them. */
export function forwardEngineCrashes(
  host: Pick<EngineHost, 'on' | 'off'>,
  send: (event: CadenzaEvent) => void,
) {
  const forward = ({ reason, restarting }: { reason: string; restarting: boolean }) =>
    send({ type: 'engine-crashed', reason, restarting })
  host.on('crashed', forward)
  return () => void host.off('crashed', forward)
}

/** "argument 2.temperature: Too big: expected number to be <=2", from zod's first issue. */
function describeIssue([issue]: z.core.$ZodIssue[]): string {
  const [index, ...rest] = issue.path
  const where = typeof index === 'number' ? [`argument ${index + 1}`, ...rest].join('.') : 'arguments'
  return `${where}: ${issue.message}`
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]

/**
 * Registers every operation's handler on its channel. A call from anyone but a trusted sender, or with
 * arguments that do not match, is rejected with one line naming the channel and the problem; so is a
 * handler's failure, whose whole story goes to the log. Returns the function that removes the handlers.
 */
export function registerIpcHandlers({
  ipcMain,
  handlers,
  isTrustedSender,
  log,
}: {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>
  handlers: HandlerTable
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean
  log: (line: string) => void
}): () => void {
  const register = <K extends Operation>(operation: K) => {
    const channel = channelOf(operation)
    ipcMain.handle(channel, async (event, ...args: unknown[]) => {
      if (!isTrustedSender(event)) {
        log(`${channel}: refused a call from ${event.senderFrame?.url ?? 'a frame that is gone'}`)
        throw new Error(`${channel}: refused: not called by the studio window`)
      }
      const parsed = IPC_CONTRACT[operation].args.safeParse(args)
      if (!parsed.success) throw new Error(`${channel}: invalid ${describeIssue(parsed.error.issues)}`)
      try {
        // The schema of operation K parses to K's arguments; TypeScript cannot follow that through the lookup.
        return await handlers[operation](parsed.data as IpcParsedArgs<K>, event)
      } catch (error) {
        log(`${channel}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
        // Electron passes only the message on to the renderer, so the kind of error goes into it.
        const name = error instanceof Error && error.name !== 'Error' ? `${error.name}: ` : ''
        throw new Error(`${channel}: ${name}${firstLine(error)}`)
      }
    })
  }
  for (const operation of OPERATIONS) register(operation)
  return () => {
    for (const operation of OPERATIONS) ipcMain.removeHandler(channelOf(operation))
  }
}
