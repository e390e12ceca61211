// Node (engine). An instance of one of the engine's own WebAssembly modules (a .wat beside its user, compiled
// by `npm run wasm`), whose memory grows as the work needs and keeps what it holds.
const PAGE_BYTES = 65536

const compiled = new Map<string, WebAssembly.Module>()

export class WasmInstance<Exports> {
  readonly exports: Exports
  private readonly memory: WebAssembly.Memory

  /** A fresh instance of the module whose bytes are `base64`; the module is compiled once. */
  constructor(base64: string) {
    let module = compiled.get(base64)
    if (!module) compiled.set(base64, (module = new WebAssembly.Module(Buffer.from(base64, 'base64'))))
    const exports = new WebAssembly.Instance(module).exports
    this.exports = exports as Exports
    this.memory = exports.memory as WebAssembly.Memory
  }

  /** The memory, grown to at least `bytes` (growing keeps what it holds, but moves it: views are taken after). */
  reserve(bytes: number): ArrayBuffer {
    const missing = bytes - this.memory.buffer.byteLength
    if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE_BYTES))
    return this.memory.buffer
  }

  /** The memory's first `length` float32s, grown to hold them. */
  floats(length: number): Float32Array {
    return new Float32Array(this.reserve(length * Float32Array.BYTES_PER_ELEMENT), 0, length)
  }
}
