// Node (engine). Reads a library of MIDI files through a file task (fileTasks.ts), one file's result at a
// time and in the files' order, so that memory holds what the caller keeps plus the few files under way,
// never the folder. The tasks run in worker threads (one a core by default): their heaps are bounded, so
// the garbage of parsing thousands of files cannot grow the process, and the cores share the parsing.
// CADENZA_READ_THREADS=0 runs them on the calling thread instead (the benchmark compares the two).
import { readFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Piscina } from 'piscina'
import { runTask, type FileTaskName, type TaskAnswer, type TaskOptions, type TaskResult } from './fileTasks'
import { readFailure } from './midiFiles'
import type { WorkerJob } from './readWorker'

export type FileRead<K extends FileTaskName> =
  /** `bytes`: the file's, when asked for (keepBytes). */
  { file: string; value: TaskResult<K>; bytes?: Uint8Array } | { file: string; problem: string }

export interface ReadOptions<K extends FileTaskName> {
  /** The task's options for one file. */
  options: (file: string) => TaskOptions<K>
  onFile?: (done: number, total: number) => void
  /** Yield each readable file's bytes with its value (the dataset's fingerprint hashes them). */
  keepBytes?: boolean
  signal?: AbortSignal
  /** Worker threads; 0 runs the tasks on this thread. Default: CADENZA_READ_THREADS, else one per core. */
  threads?: number
}

/** A worker's heap: far more than the largest MIDI file needs, far less than a library. */
const WORKER_HEAP_MB = 128
/**
 * A worker's young generation, where a parse's short-lived objects die: V8 would let it grow to 16 MB or
 * more a semi-space, a cost paid once per worker that buys nothing for files of a few hundred kilobytes.
 */
const WORKER_YOUNG_MB = 8

export function readThreads(): number {
  const given = Number(process.env.CADENZA_READ_THREADS)
  return Number.isInteger(given) && given >= 0 ? given : availableParallelism()
}

/**
 * The worker's module: from source (tsx) through a shim that registers tsx in the worker; in the bundle,
 * the worker is an entry of its own beside this chunk (electron.vite.config.ts).
 */
function workerFilename(): string {
  const source = import.meta.url.endsWith('.ts')
  return fileURLToPath(new URL(source ? './readWorkerFromSource.mjs' : './readWorker.js', import.meta.url))
}

/**
 * Yields each file's result in the order of `files`. A file that cannot be read, or that its task refuses,
 * yields its one-line problem; the others go on. Aborting `signal` ends the reading with an AbortError.
 */
export async function* readFiles<K extends FileTaskName>(
  files: readonly string[],
  task: K,
  { options, onFile = () => {}, keepBytes = false, signal, threads = readThreads() }: ReadOptions<K>,
): AsyncGenerator<FileRead<K>> {
  const pool =
    threads === 0
      ? null
      : new Piscina<WorkerJob<K>, TaskAnswer<K>>({
          filename: workerFilename(),
          minThreads: threads,
          maxThreads: threads,
          resourceLimits: {
            maxOldGenerationSizeMb: WORKER_HEAP_MB,
            maxYoungGenerationSizeMb: WORKER_YOUNG_MB,
          },
        })
  const run = async (bytes: Uint8Array, file: string): Promise<TaskAnswer<K>> => {
    if (pool === null) return runTask(task, bytes, options(file))
    // Handed over rather than copied, when the bytes own their buffer (as fs's are).
    const transferList = bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer as ArrayBuffer] : []
    try {
      return await pool.run({ task, bytes, options: options(file) }, { transferList, signal })
    } catch (error) {
      // The worker that ran out of heap is replaced; the file is one that cannot be read.
      if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw error
      return { problem: `too large to read (more than ${WORKER_HEAP_MB} MB of memory)` }
    }
  }
  /** Reads the file and starts its task; the task's result is awaited later, in the files' order. */
  const start = async (file: string): Promise<{ read: Promise<FileRead<K>> }> => {
    let bytes: Uint8Array
    try {
      bytes = await readFile(file)
    } catch (error) {
      return { read: Promise.resolve({ file, problem: readFailure(error) }) }
    }
    const kept = keepBytes ? Uint8Array.from(bytes) : undefined
    const read = run(bytes, file).then((answer) =>
      'value' in answer ? { file, value: answer.value, bytes: kept } : { file, problem: answer.problem },
    )
    return { read }
  }
  // Two files a thread keep every thread busy while the next file is read.
  const inFlight = Math.max(1, 2 * threads)
  const pending: Promise<FileRead<K>>[] = []
  let done = 0
  const next = async () => {
    const read = await pending.shift()!
    onFile(++done, files.length)
    return read
  }
  try {
    for (const file of files) {
      signal?.throwIfAborted()
      pending.push((await start(file)).read)
      if (pending.length >= inFlight) yield await next()
    }
    while (pending.length > 0) yield await next()
  } finally {
    // What is left was abandoned (an abort, or a caller that stopped early): its failures are not news.
    for (const read of pending) read.catch(() => undefined)
    await pool?.destroy()
  }
}
