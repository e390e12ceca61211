// Node (engine process, CLI, tests). Chooses the TensorFlow.js backend that does the numeric work: the
// one that trains fastest on this machine, or exactly the one a user forced. Where several load, each is
// timed on a short training step once per machine and backend version (backendSpeed.ts keeps the figures),
// because no fixed order is right everywhere: a laptop's integrated GPU can lose to its CPU cores. The
// choice and its reason are shown on the command line and in the studio, and the backend is stored in
// checkpoints, because generation is byte-identical only on the same backend.
import * as tf from '@tensorflow/tfjs'
import { cpus } from 'node:os'
import { probeTrainingStep, trainingSpeed, type Speed } from './backendSpeed'
import { GUMBEL_KERNEL } from '../wasm/gumbel'
import { LSTM_CELL_GRADIENTS_KERNEL, LSTM_CELL_KERNEL } from '../wasm/lstmCell'
import { registerWasmSlices } from '../wasm/wasmSlice'
import { startWasmBackend } from './wasmThreads'
import { gpuFault, startWebGpuBackend, stopWebGpuBackend, type WebGpuAdapter } from './webgpuBackend'

export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const
export type BackendName = (typeof BACKEND_NAMES)[number]

/** The ones automatic selection times against each other; plain JavaScript is only the last resort. */
const TIMED_BACKENDS: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm']

export interface BackendInfo {
  name: BackendName
  /** Words for the person at the keyboard, not for an engineer. */
  description: string
  /** Why it was chosen: forced, the only one that starts, or the timed steps of those that do. */
  reason: string
}

/** A backend that was working and no longer is ([Note: GPU faults] in webgpuBackend.ts). */
export class BackendFaultError extends Error {
  override name = 'BackendFaultError'
}

const BACKEND_DESCRIPTIONS: Record<BackendName, string> = {
  'tensorflow-gpu': 'native TensorFlow with CUDA (GPU)',
  tensorflow: 'native TensorFlow (CPU)',
  webgpu: 'WebGPU (GPU)',
  wasm: 'WebAssembly (CPU)',
  cpu: 'plain JavaScript (CPU, slow)',
}

interface Candidate {
  /** The name TensorFlow.js registers it under; both native packages register 'tensorflow'. */
  tfName: string
  /** The package whose import registers it; absent for 'cpu', which ships inside @tensorflow/tfjs, and
   * for 'webgpu', which webgpuBackend.ts registers itself. */
  packageName?: string
}

const CANDIDATES: Record<BackendName, Candidate> = {
  'tensorflow-gpu': { tfName: 'tensorflow', packageName: '@tensorflow/tfjs-node-gpu' },
  tensorflow: { tfName: 'tensorflow', packageName: '@tensorflow/tfjs-node' },
  webgpu: { tfName: 'webgpu' },
  wasm: { tfName: 'wasm', packageName: '@tensorflow/tfjs-backend-wasm' },
  cpu: { tfName: 'cpu' },
}

/**
 * Why a backend cannot be used, or undefined once it has loaded and initialized. Remembered per backend:
 * importing a native package and initializing a backend are done once per process, and a failure will
 * not heal by trying again. WebGPU released by an automatic choice is forgotten, to start afresh.
 */
const prepared = new Map<BackendName, Promise<string | undefined>>()
/** Which native package registered 'tensorflow'; the other one can no longer take that name. */
let nativeOwner: BackendName | undefined
let current: BackendInfo | undefined
/** How many threads the WebAssembly backend runs on, once it has started (see wasmThreads.ts). */
let wasmThreads: number | null = null
/** The adapter the WebGPU backend runs on, once it has started. */
let webGpuAdapter: WebGpuAdapter | undefined
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

/**
 * The engine's own kernels for the WebAssembly backend: an LSTM cell and its backward pass, and Gumbel noise,
 * once per process.
 */
function registerEngineKernels(): void {
  for (const kernel of [LSTM_CELL_KERNEL, LSTM_CELL_GRADIENTS_KERNEL, GUMBEL_KERNEL]) {
    if (!tf.getKernel(kernel.kernelName, kernel.backendName)) tf.registerKernel(kernel)
  }
}

async function prepare(name: BackendName): Promise<string | undefined> {
  const { tfName, packageName } = CANDIDATES[name]
  if (packageName !== undefined) {
    const problem = await loadPackage(name, packageName)
    if (problem !== undefined) return problem
  }
  if (name === 'wasm') {
    wasmThreads = await startWasmBackend()
    if (wasmThreads === null) return 'it failed to initialize'
    registerWasmSlices()
    registerEngineKernels()
    return undefined
  }
  if (name === 'webgpu') {
    const started = await startWebGpuBackend()
    if (typeof started === 'string') return started
    webGpuAdapter = started
    return undefined
  }
  // setBackend resolves to false (after a console warning) when the backend fails to initialize, for
  // example when the GPU build finds no usable CUDA device.
  const ok = await tf.setBackend(tfName).catch(() => false)
  return ok ? undefined : 'it failed to initialize'
}

/** The backend in words, with what decides much of its speed: WebAssembly's threads, WebGPU's adapter. */
function describeBackend(name: BackendName): string {
  if (name === 'wasm' && wasmThreads !== null) {
    return `WebAssembly (CPU, ${wasmThreads === 1 ? 'one thread' : `${wasmThreads} threads`})`
  }
  if (name === 'webgpu' && webGpuAdapter !== undefined) {
    const { description, software } = webGpuAdapter
    return software ? `WebGPU (software, on the CPU: ${description}, slow)` : `WebGPU (GPU: ${description})`
  }
  return BACKEND_DESCRIPTIONS[name]
}

/** What a backend's speed depends on, so that a kept figure is used only where it still holds. */
function speedKey(name: BackendName): string {
  const hardware =
    name === 'webgpu'
      ? `${webGpuAdapter?.description}, Dawn ${webGpuAdapter?.version}`
      : `${cpus()[0]?.model.trim()} x${name === 'wasm' ? wasmThreads : cpus().length}`
  return `${name}: TensorFlow.js ${tf.version_core}, ${process.platform}-${process.arch}, ${hardware}`
}

/** Loads and initializes one backend and makes it TensorFlow.js's current one, or says why it cannot. */
async function activate(name: BackendName): Promise<string | undefined> {
  // [Note: GPU faults]: a lost GPU stays lost for this process.
  if (name === 'webgpu' && gpuFault() !== undefined) return gpuFault()
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

/** Why a backend that starts is still not one to choose by itself: a software GPU only emulates one. */
function notForAutomaticUse(name: BackendName): string | undefined {
  if (name !== 'webgpu' || !webGpuAdapter?.software) return undefined
  return `its only adapter is a software one (${webGpuAdapter.description}), used only when forced`
}

function chosen(name: BackendName, reason: string): BackendInfo {
  current = { name, description: describeBackend(name), reason }
  return current
}

/**
 * The fastest of the timed backends, and the reason with the figures, fastest first: "the fastest here:
 * webgpu 120 ms, wasm 850 ms a training step (timed on this machine 2026-12-03)".
 */
export function fastestOf(speeds: readonly [BackendName, Speed][]): { name: BackendName; reason: string } {
  const sorted = [...speeds].sort(([, a], [, b]) => a.stepMs - b.stepMs)
  const figures = sorted.map(([name, { stepMs }]) => `${name} ${stepMs} ms`).join(', ')
  const dates = [...new Set(sorted.map(([, { measuredAt }]) => measuredAt.slice(0, 10)))].join(', ')
  return {
    name: sorted[0][0],
    reason: `the fastest here: ${figures} a training step (timed on this machine ${dates})`,
  }
}

/** Every timed backend that starts, each timed once per machine; the fastest becomes current. */
async function selectFastest(): Promise<BackendInfo> {
  const problems: string[] = []
  /** Those that start but are not for automatic use, which the reason names. */
  const passedOver: string[] = []
  const usable: BackendName[] = []
  for (const name of TIMED_BACKENDS) {
    const problem = await activate(name)
    const passOver = problem === undefined ? notForAutomaticUse(name) : undefined
    if (problem !== undefined) problems.push(`${name}: ${problem}`)
    else if (passOver !== undefined) passedOver.push(`${name}: ${passOver}`)
    else usable.push(name)
  }
  const besides = () => (passedOver.length > 0 ? ` (${passedOver.join('; ')})` : '')
  if (usable.length === 0) {
    const problem = await activate('cpu')
    if (problem !== undefined) {
      throw new Error(
        `no TensorFlow.js backend could be started (${[...problems, `cpu: ${problem}`].join('; ')})`,
      )
    }
    return chosen('cpu', `the only backend that starts here (${[...problems, ...passedOver].join('; ')})`)
  }
  if (usable.length === 1) {
    await activate(usable[0])
    return chosen(usable[0], `the only fast backend that starts here${besides()}`)
  }
  const speeds: [BackendName, Speed][] = []
  for (const name of usable) {
    await activate(name)
    try {
      speeds.push([name, await trainingSpeed(speedKey(name), probeTrainingStep)])
    } catch (error) {
      // A backend that starts but cannot train (a GPU driver's bug) is passed over, not fatal.
      passedOver.push(`${name}: its timed training step failed (${firstLine(error)})`)
    }
  }
  if (speeds.length === 0) throw new Error(`no backend could train here (${passedOver.join('; ')})`)
  const fastest = fastestOf(speeds)
  await activate(fastest.name)
  return chosen(fastest.name, `${fastest.reason}${besides()}`)
}

/** Stops a WebGPU backend that started, whose device would otherwise hold GPU memory for nothing. */
function releaseWebGpu(): void {
  // Started, it starts afresh when next asked for; a failure to start is still remembered.
  if (webGpuAdapter !== undefined) prepared.delete('webgpu')
  webGpuAdapter = undefined
  stopWebGpuBackend()
}

/** The automatic choice; WebGPU, started to be considered and not chosen, is released. */
async function selectAutomatically(): Promise<BackendInfo> {
  let choice: BackendInfo | undefined
  try {
    choice = await selectFastest()
    return choice
  } finally {
    if (choice?.name !== 'webgpu') releaseWebGpu()
  }
}

async function select(forced: BackendName | undefined): Promise<BackendInfo> {
  if (forced === undefined) return selectAutomatically()
  if (!BACKEND_NAMES.includes(forced)) {
    throw new Error(`unknown backend "${String(forced)}" (choose one of ${BACKEND_NAMES.join(', ')})`)
  }
  const problem = await activate(forced)
  if (problem !== undefined) throw new Error(`backend "${forced}" is not available here (${problem})`)
  return chosen(forced, 'forced')
}

/**
 * Makes `forced`, or else the backend that trains fastest here, TensorFlow.js's current backend. Safe to call
 * again: what has loaded stays loaded, and a later call simply switches; but an automatic choice that is not
 * WebGPU releases its device, and the tensors on it with it.
 */
export function selectBackend(forced?: BackendName): Promise<BackendInfo> {
  const result = queue.then(() => select(forced))
  queue = result.catch(() => undefined)
  return result
}

/** Why the current backend can no longer be trusted, if it cannot ([Note: GPU faults]). */
export function backendFault(): string | undefined {
  return tf.engine().backendName === 'webgpu' ? gpuFault() : undefined
}

/** The backend chosen by the last successful selectBackend, if TensorFlow.js still uses it. */
export function currentBackend(): BackendInfo | undefined {
  // engine().backendName, unlike tf.getBackend(), does not initialize a backend as a side effect.
  if (current === undefined || tf.engine().backendName !== CANDIDATES[current.name].tfName) return undefined
  return current
}
