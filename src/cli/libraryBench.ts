// Node. `cadenza bench --library`: what a musician's library of thousands of files costs. Builds one from a
// corpus in a temporary folder (largeLibrary.ts), then times `cadenza eval --json` over it and the studio's
// dataset report (the engine's readDataset, in an engine process of its own), each in a fresh process whose
// peak memory it reports, with the files read by worker threads and on one thread.
import { fork, type ForkOptions } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildLargeLibrary } from '../engine/data/largeLibrary'
import { readThreads } from '../engine/data/fileReader'
import { PROTOCOL_VERSION, type EngineMessage } from '../shared/engineProtocol'
import { PRESETS } from '../shared/modelSettings'
import { createProgress, type Progress } from './progress'

/** Copies of each corpus file: the 320 files of ../shared/data/midi become a library of 3,240. */
export const LIBRARY_COPIES = 10

const CLI = resolve(import.meta.dirname, '../../bin/cadenza.js')
const ENGINE = resolve(import.meta.dirname, '../engine/process/engineEntry.ts')
/** Loaded first in a measured process: writes its peak memory (process-wide, workers included) to fd 3. */
const PEAK_REPORTER =
  "data:text/javascript,import{writeSync}from'node:fs';process.on('exit',()=>writeSync(3,String(process.resourceUsage().maxRSS)))"

export interface LibraryFigure {
  seconds: number
  peak_mb: number
}

export interface LibraryBenchmark {
  files: number
  broken: number
  megabytes: number
  threads: number
  eval: LibraryFigure
  eval_no_workers: LibraryFigure
  dataset_report: LibraryFigure
  dataset_report_no_workers: LibraryFigure
}

/** Runs `module` in a fresh Node process; `drive` talks to it and resolves when it is done with it. */
function measured(
  module: string,
  args: string[],
  threads: number,
  drive: (child: ReturnType<typeof fork>) => Promise<void> = async () => {},
): Promise<LibraryFigure> {
  const options: ForkOptions = {
    execArgv: ['--import', 'tsx', '--import', PEAK_REPORTER],
    env: { ...process.env, CADENZA_READ_THREADS: String(threads) },
    stdio: ['ignore', 'ignore', 'inherit', 'pipe', 'ipc'],
  }
  const start = performance.now()
  const child = fork(module, args, options)
  let peak = ''
  child.stdio[3]!.on('data', (chunk: Buffer) => (peak += chunk.toString()))
  return new Promise((done, fail) => {
    drive(child).catch(fail)
    child.once('error', fail)
    child.stdio[3]!.once('end', () =>
      done({
        seconds: Math.round((performance.now() - start) / 100) / 10,
        peak_mb: Math.round(Number(peak) / 1024),
      }),
    )
  })
}

/** The studio's dataset report of `folder`, read by the engine as the Train panel asks for it. */
function readDatasetIn(folder: string) {
  return (child: ReturnType<typeof fork>) =>
    new Promise<void>((done, fail) => {
      child.on('message', (message: EngineMessage) => {
        if (message.type === 'ready') {
          child.send({ type: 'readDataset', id: 'report', dataDir: folder, settings: PRESETS.quick })
        } else if (message.type === 'result') {
          child.disconnect()
          done()
        } else if (message.type === 'error') fail(new Error(message.error.message))
      })
      child.send({ type: 'hello', id: 'hello', protocolVersion: PROTOCOL_VERSION })
    })
}

export async function runLibraryBenchmark(corpus: string): Promise<LibraryBenchmark> {
  const folder = await mkdtemp(join(tmpdir(), 'cadenza-library-'))
  try {
    let building: Progress | undefined
    const library = await buildLargeLibrary(corpus, folder, LIBRARY_COPIES, (_done, total) => {
      building ??= createProgress('building', total)
      building.advance()
    })
    building?.stop()
    const threads = readThreads()
    const evalWith = (n: number) => measured(CLI, ['eval', '--json', folder], n)
    const reportWith = (n: number) => measured(ENGINE, [], n, readDatasetIn(folder))
    return {
      files: library.files,
      broken: library.broken,
      megabytes: Math.round(library.bytes / 1e5) / 10,
      threads,
      eval: await evalWith(threads),
      eval_no_workers: await evalWith(0),
      dataset_report: await reportWith(threads),
      dataset_report_no_workers: await reportWith(0),
    }
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
