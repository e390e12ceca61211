// Node (engine). Starts TensorFlow.js's WebAssembly backend on every core. Its multithreaded build runs
// under Node (Emscripten's pthreads on worker_threads), but the package never uses it there: it reports no
// thread support under Node, hands its workers their scripts as Blob URLs that Node's workers cannot load,
// and caps the threads at half the logical cores. So for the one call that initializes it, this module
// answers those three: the flag says yes, the Blobs become files, and the cores are counted twice so that
// the cap is the real count. Matrix products split their output among the threads and sum each element in
// the same order, so results are the same to the bit as on one thread (wasmThreads.test.ts checks this).
import * as tf from '@tensorflow/tfjs'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import type { Worker } from 'node:worker_threads'

/** Set to 1, the backend runs its single-threaded build, as it does where threads cannot start. */
export const THREADS_VARIABLE = 'CADENZA_WASM_THREADS'

/** The package's main script as a worker runs it: first the bundle's own imports, which it refers to. */
const WORKER_IMPORTS =
  "var require$$0 = require('fs'), require$$1 = require('path'), require$$3 = require('perf_hooks'), " +
  "require$$4 = require('os'), commonjsGlobal = globalThis;\n"
/** How the bundle names the modules it imports. */
const BUNDLE_IMPORT = /require\$\$\d+/g
const IMPORTED = new Set(WORKER_IMPORTS.match(BUNDLE_IMPORT))
const MAIN_SCRIPT_START = 'var WasmBackendModuleThreadedSimd'
/** The worker script's test for a main script given as a path; made to always take the path. */
const WORKER_PATH_TEST = 'if(typeof e.data.urlOrBlob=="string")'

type BlobOptions = ConstructorParameters<typeof Blob>[1]

/** A Blob that keeps its text, so that it can be written out synchronously. */
class TextBlob extends Blob {
  readonly text_: string

  constructor(parts: string[], options?: BlobOptions) {
    super(parts, options)
    this.text_ = parts.join('')
  }
}

/** The part of Emscripten's thread bookkeeping that holds its workers. */
interface EmscriptenThreads {
  unusedWorkers: Worker[]
  runningWorkers: Worker[]
}

/** Whether the package's main script imports only what WORKER_IMPORTS gives it. */
function importsKnown(mainScript: string): boolean {
  return (mainScript.match(BUNDLE_IMPORT) ?? []).every((name) => IMPORTED.has(name))
}

/** Writes the scripts a worker runs under Node; returns the worker's. */
function writeScripts(folder: string, mainScript: string, workerScript: string): string {
  const mainPath = join(folder, 'main.js')
  writeFileSync(mainPath, WORKER_IMPORTS + mainScript)
  const workerPath = join(folder, 'worker.js')
  const takesPath = `e.data.urlOrBlob=${JSON.stringify(mainPath)};if(true)`
  writeFileSync(workerPath, workerScript.replace(WORKER_PATH_TEST, takesPath))
  return workerPath
}

/**
 * Runs `initialize` (the backend's first tf.setBackend) with the three answers above in place, and takes
 * them back afterwards. The scripts' folder lives as long as the process, since workers read them as they
 * start. Where the package's scripts are not as expected, its workers get the Blob URLs, which Node
 * refuses before any worker runs, and `initialize` fails.
 */
async function withThreadsUnderNode(initialize: () => Promise<boolean>): Promise<boolean> {
  const folder = mkdtempSync(join(os.tmpdir(), 'cadenza-wasm-'))
  process.once('exit', () => rmSync(folder, { recursive: true, force: true }))
  let mainScript: string | undefined
  const { Blob: originalBlob } = globalThis
  const { createObjectURL } = URL
  const { cpus } = os
  globalThis.Blob = class extends TextBlob {
    constructor(parts: string[], options?: BlobOptions) {
      super(parts, options)
      if (this.text_.startsWith(MAIN_SCRIPT_START) && importsKnown(this.text_)) mainScript = this.text_
    }
  }
  /** Written once: each of the workers Emscripten starts asks for the same script. */
  let workerPath: string | undefined
  URL.createObjectURL = (blob: Blob) => {
    const isWorkerScript = blob instanceof TextBlob && blob.text_.includes(WORKER_PATH_TEST)
    if (!isWorkerScript || mainScript === undefined) return createObjectURL(blob)
    workerPath ??= writeScripts(folder, mainScript, blob.text_)
    return workerPath
  }
  os.cpus = () => [...cpus(), ...cpus()]
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true)
  try {
    return await initialize()
  } finally {
    globalThis.Blob = originalBlob
    URL.createObjectURL = createObjectURL
    os.cpus = cpus
  }
}

/**
 * Makes the WebAssembly backend (registered by importing its package) TensorFlow.js's current one: on
 * every core (up to the package's 8), or on one where threads do not start or CADENZA_WASM_THREADS is 1.
 * Resolves to the number of threads, or null when the backend does not start at all.
 */
export async function startWasmBackend(): Promise<number | null> {
  const start = () => tf.setBackend('wasm').catch(() => false)
  const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm')
  if (process.env[THREADS_VARIABLE] !== '1' && (await withThreadsUnderNode(start))) {
    // Emscripten's idle workers would keep Node running after the program's own work is done.
    const { PThread } = (tf.backend() as unknown as { wasm: { PThread: EmscriptenThreads } }).wasm
    for (const worker of [...PThread.unusedWorkers, ...PThread.runningWorkers]) worker.unref()
    return getThreadsCount()
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
  return (await start()) ? getThreadsCount() : null
}
