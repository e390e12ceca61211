// Node (engine). Starts TensorFlow.js's WebGPU backend under Node, on Dawn (the `webgpu` package's
// dawn.node), which reaches Metal, D3D12 and Vulkan. The backend's own start-up asks the browser's
// navigator.gpu for an adapter and gives up silently when there is none; here the adapter is asked for
// first, so that "no adapter" is a one-line reason, a software adapter (SwiftShader, llvmpipe, WARP) is
// known as one, and the device's loss and its out-of-memory errors are heard ([Note: GPU faults]).
import * as tf from '@tensorflow/tfjs'
import { createRequire } from 'node:module'
import { loadSharedLibrary } from './sharedLibrary'

export interface WebGpuAdapter {
  /** The adapter in words, e.g. "apple metal-3" or "SwiftShader driver 5.0.0". */
  description: string
  /** A CPU emulating a GPU: correct, but never chosen automatically. */
  software: boolean
  /** The `webgpu` package's version, which is Dawn's. */
  version: string
}

/**
 * [Note: GPU faults] A device that is lost (a driver reset, a GPU unplugged, the OS reclaiming it) or that
 * ran out of memory does not throw where TensorFlow.js uses it: its commands become no-ops and its reads
 * fail or return garbage. So the device's `lost` promise and its uncaptured errors are remembered here,
 * and training asks (backend.ts's backendFault) before every step, after a step that failed and before
 * every checkpoint: a step on a faulty device is never saved, and the run stops with one line, keeping its
 * last checkpoint, which resumes on any backend. The engine's next job runs on another backend. A device
 * destroyed on purpose (stopWebGpuBackend) is no fault: only the running device's loss and errors count.
 */
let fault: string | undefined
/** The device the registered 'webgpu' backend runs on. */
let running: GPUDevice | undefined

/** Why the GPU can no longer be trusted, or undefined while it can (see [Note: GPU faults]). */
export function gpuFault(): string | undefined {
  return fault
}

/**
 * TensorFlow.js's WebGPU matMul picks one of four programs by shape. Two are unfit here: the split-K one
 * (for a long inner dimension and a small output, as in a weight gradient over every step of a batch)
 * adds its partial sums with atomics in whichever order the GPU runs them, so a run would not repeat
 * itself to the bit; and the reduce one (for outputs of up to 128 values, as in G's per-step output layer)
 * synchronizes its workgroup at every step of its loop, which made each small matMul take 60 ms on
 * SwiftShader against 0.5 ms for the others. The packed (tiled) program, which it picks for every larger
 * product anyway, is deterministic and never far behind, so every matMul uses it.
 */
const MATMUL_PACKED_PROGRAM = 3

/** Software adapters by their names, for drivers that do not set isFallbackAdapter. */
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|basic render|warp/i

interface AdapterInfoFields {
  vendor?: string
  architecture?: string
  description?: string
  isFallbackAdapter?: boolean
}

function describeAdapter(info: AdapterInfoFields): WebGpuAdapter {
  const description =
    info.description || [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unnamed adapter'
  const software =
    info.isFallbackAdapter === true || SOFTWARE_ADAPTER.test(`${description} ${info.architecture ?? ''}`)
  const { version } = createRequire(import.meta.url)('webgpu/package.json') as { version: string }
  return { description, software, version }
}

/** The limits TensorFlow.js's own start-up asks for: the adapter's, where the defaults are lower. */
function requiredLimits(adapter: GPUAdapter): Record<string, number> {
  const names = [
    'maxComputeWorkgroupStorageSize',
    'maxComputeWorkgroupsPerDimension',
    'maxStorageBufferBindingSize',
    'maxBufferSize',
    'maxComputeWorkgroupSizeX',
    'maxComputeInvocationsPerWorkgroup',
  ] as const
  return Object.fromEntries(names.map((name) => [name, adapter.limits[name]]))
}

/** An error the device reported without anyone asking, as the one line that ends a training. */
export function describeGpuError(error: GPUError): string {
  return error instanceof GPUOutOfMemoryError
    ? 'the GPU ran out of memory (a smaller batch, sequence length or model needs less)'
    : `the GPU reported an error (${error.message.split('\n')[0]})`
}

function watchForFaults(device: GPUDevice): void {
  void device.lost.then((info) => {
    if (device !== running) return
    fault ??= `the GPU was lost (${info.message || info.reason || 'no reason given'})`
  })
  device.addEventListener('uncapturederror', (event) => {
    if (device !== running) return
    fault ??= describeGpuError((event as GPUUncapturedErrorEvent).error)
  })
}

/**
 * Dawn's GPU, made once per process and kept: Dawn goes on processing a GPU's events after the last
 * reference to it is gone, and one collected by then crashes the process (std::system_error in
 * InstanceBase::ProcessEvents). A restart requests a new device from it.
 */
let gpu: GPU | undefined

/**
 * Registers and initializes TensorFlow.js's 'webgpu' backend on the best adapter Dawn finds, and makes it
 * the current backend. Resolves to the adapter, or to why it cannot start.
 */
export async function startWebGpuBackend(): Promise<WebGpuAdapter | string> {
  // On Linux Dawn reaches GPUs through the Vulkan loader, and prints a warning of its own to stderr where
  // there is none; so the loader is looked for first.
  if (process.platform === 'linux' && !loadSharedLibrary('libvulkan.so.1')) {
    return 'no Vulkan loader found (libvulkan.so.1, in the package libvulkan1 or vulkan-loader)'
  }
  try {
    const dawn = await import('webgpu')
    // Imported before navigator.gpu exists, the package registers no backend of its own (it would pick
    // its own adapter, without telling why it failed).
    const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu')
    Object.assign(globalThis, dawn.globals)
    gpu ??= dawn.create([])
    // Node 21 and newer (Electron's utility process) have a navigator without gpu; Node 20 has none.
    const global = globalThis as { navigator?: object }
    global.navigator ??= {}
    Object.defineProperty(global.navigator, 'gpu', { value: gpu, configurable: true })
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' })
    if (adapter === null) return 'no WebGPU adapter found (no GPU driver for Vulkan, Metal or Direct3D 12)'
    const device = await adapter.requestDevice({ requiredLimits: requiredLimits(adapter) })
    running = device
    watchForFaults(device)
    const info = adapter.info
    if (tf.findBackendFactory('webgpu') !== null) tf.removeBackend('webgpu')
    tf.registerBackend('webgpu', () => new WebGPUBackend(device, info))
    tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', MATMUL_PACKED_PROGRAM)
    // By default small ops whose inputs are still in main memory run on the CPU, whose exp and sums round
    // otherwise than the GPU's: a run resumed from weights read from disk would then not repeat an
    // uninterrupted one to the bit. Everything runs on the GPU.
    tf.env().set('WEBGPU_CPU_FORWARD', false)
    const ok = await tf.setBackend('webgpu').catch(() => false)
    return ok ? describeAdapter(info) : 'it failed to initialize'
  } catch (error) {
    return `it failed to start (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`
  }
}

/**
 * Unregisters the 'webgpu' backend and destroys its device, so that it holds no GPU memory;
 * startWebGpuBackend starts it afresh.
 */
export function stopWebGpuBackend(): void {
  const device = running
  if (device === undefined) return
  // First, so that the device's loss is not taken for a fault.
  running = undefined
  tf.removeBackend('webgpu')
  device.destroy()
}
