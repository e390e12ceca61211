// Node (engine process, CLI, tests). Chooses the TensorFlow.js backend that does the numeric work: the
// fastest one that loads on this machine, or exactly the one a user forced. The choice is shown on the
// command line and stored in checkpoints, because generation is byte-identical only on the same backend.
import * as tf from '@tensorflow/tfjs'
import { startWasmBackend } from './wasmThreads'

/** Best first: the order in which automatic selection tries them. */
export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const
export type BackendName = (typeof BACKEND_NAMES)[number]

export interface BackendInfo {
  name: BackendName
  /** Words for the person at the keyboard, not for an engineer. */
  description: string
}

const BACKEND_DESCRIPTIONS: Record<BackendName, string> = {
  'tensorflow-gpu': 'native TensorFlow with CUDA (GPU)',
  tensorflow: 'native TensorFlow (CPU)',
  wasm: 'WebAssembly (CPU)',
  cpu: 'plain JavaScript (CPU, slow)',
}

interface Candidate {
  /** The name TensorFlow.js registers it under; both native packages register 'tensorflow'. */
  tfName: string
  /** The package whose import registers it; absent for 'cpu', which ships inside @tensorflow/tfjs. */
  packageName?: string
}

const CANDIDATES: Record<BackendName, Candidate> = {
  'tensorflow-gpu': { tfName: 'tensorflow', packageName: '@tensorflow/tfjs-node-gpu' },
  tensorflow: { tfName: 'tensorflow', packageName: '@tensorflow/tfjs-node' },
  wasm: { tfName: 'wasm', packageName: '@tensorflow/tfjs-backend-wasm' },
  cpu: { tfName: 'cpu' },
}

/**
 * Why a backend cannot be used, or undefined once it has loaded and initialized. Remembered per backend:
 * importing a native package and initializing a backend are done once per process, and a failure will
 * not heal by trying again.
 */
const prepared = new Map<BackendName, Promise<string | undefined>>()
/** Which native package registered 'tensorflow'; the other one can no longer take that name. */
let nativeOwner: BackendName | undefined
let current: BackendInfo | undefined
/** How many threads the WebAssembly backend runs on, once it has started (see wasmThreads.ts). */
let wasmThreads: number | null = null
/** Selections run one at a time, since tf.setBackend switches global state. */
let queue: Promise<unknown> = Promise.resolve()

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.split('\n')[0].trim().slice(0, 200)
}

async function loadPackage(name: BackendName, packageName: string): Promise<string | undefined> {
  if (name !== 'wasm') {
    if (nativeOwner !== undefined && nativeOwner !== name) {
      return `${CANDIDATES[nativeOwner].packageName} is already loaded in this process`
    }
  }
  try {
    // A variable module name keeps TypeScript and bundlers from resolving the optional native packages,
    // which are absent wherever their install failed.
    const moduleName: string = packageName
    await import(moduleName)
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      // Only when the package itself is missing; a missing dependency of it (libtensorflow, CUDA) is
      // reported with its own message below.
      if (firstLine(error).includes(`'${packageName}'`)) return `${packageName} is not installed`
    }
    return `${packageName} failed to load: ${firstLine(error)}`
  }
  if (tf.findBackendFactory(CANDIDATES[name].tfName) == null) {
    // The package brought its own copy of TensorFlow.js and registered there, where we cannot use it.
    return `${packageName} registered with another copy of TensorFlow.js`
  }
  if (name !== 'wasm') nativeOwner = name
  return undefined
}

async function prepare(name: BackendName): Promise<string | undefined> {
  const { tfName, packageName } = CANDIDATES[name]
  if (packageName !== undefined) {
    const problem = await loadPackage(name, packageName)
    if (problem !== undefined) return problem
  }
  if (name === 'wasm') {
    wasmThreads = await startWasmBackend()
    return wasmThreads === null ? 'it failed to initialize' : undefined
  }
  // setBackend resolves to false (after a console warning) when the backend fails to initialize, for
  // example when the GPU build finds no usable CUDA device.
  const ok = await tf.setBackend(tfName).catch(() => false)
  return ok ? undefined : 'it failed to initialize'
}

/** The backend in words, with the WebAssembly backend's threads, which decide much of its speed. */
function describeBackend(name: BackendName): string {
  if (name !== 'wasm' || wasmThreads === null) return BACKEND_DESCRIPTIONS[name]
  return `WebAssembly (CPU, ${wasmThreads === 1 ? 'one thread' : `${wasmThreads} threads`})`
}

/** Loads and initializes one backend and makes it TensorFlow.js's current one, or says why it cannot. */
async function activate(name: BackendName): Promise<string | undefined> {
  let preparing = prepared.get(name)
  const firstTime = preparing === undefined
  if (preparing === undefined) {
    preparing = prepare(name)
    prepared.set(name, preparing)
  }
  const problem = await preparing
  if (problem !== undefined || firstTime) return problem
  // Initialized before: switching back is cheap and cannot fail for a reason that was not there then.
  return (await tf.setBackend(CANDIDATES[name].tfName)) ? undefined : 'it failed to initialize'
}

async function select(forced: BackendName | undefined): Promise<BackendInfo> {
  if (forced !== undefined) {
    if (!BACKEND_NAMES.includes(forced)) {
      throw new Error(`unknown backend "${String(forced)}" (choose one of ${BACKEND_NAMES.join(', ')})`)
    }
    const problem = await activate(forced)
    if (problem !== undefined) throw new Error(`backend "${forced}" is not available here (${problem})`)
    current = { name: forced, description: describeBackend(forced) }
    return current
  }
  const problems: string[] = []
  for (const name of BACKEND_NAMES) {
    const problem = await activate(name)
    if (problem === undefined) {
      current = { name, description: describeBackend(name) }
      return current
    }
    problems.push(`${name}: ${problem}`)
  }
  throw new Error(`no TensorFlow.js backend could be started (${problems.join('; ')})`)
}

/**
 * Makes `forced`, or else the best backend that loads here, TensorFlow.js's current backend. Safe to call
 * again: what has loaded stays loaded, and a later call simply switches.
 */
export function selectBackend(forced?: BackendName): Promise<BackendInfo> {
  const result = queue.then(() => select(forced))
  queue = result.catch(() => undefined)
  return result
}

/** The backend chosen by the last successful selectBackend, if TensorFlow.js still uses it. */
export function currentBackend(): BackendInfo | undefined {
  // engine().backendName, unlike tf.getBackend(), does not initialize a backend as a side effect.
  if (current === undefined || tf.engine().backendName !== CANDIDATES[current.name].tfName) return undefined
  return current
}
