// Node (engine). Sums of listed rows of a matrix, in WebAssembly (rowSums.wat): its 128-bit SIMD adds four
// float32s an instruction where JavaScript adds one number at a time, which makes the one-hot products of
// oneHotRows.ts, a dozen rows of a thousand values and more summed per row, about five times faster.
import { ROW_SUMS_WASM } from './rowSumsWasm'
import { WasmInstance } from './wasmInstance'

interface RowSumsExports {
  sumListedRows(
    source: number,
    width: number,
    indices: number,
    starts: number,
    rows: number,
    sums: number,
  ): void
}

/** Where each part of the memory starts: on 16 bytes, a SIMD value's size. */
const aligned = (bytes: number) => Math.ceil(bytes / 16) * 16

/** A matrix [rows, width] placed in WebAssembly memory of its own, where it stays for many sums of its rows. */
export class RowSums {
  private readonly wasm = new WasmInstance<RowSumsExports>(ROW_SUMS_WASM)
  private width = 0
  private sourceBytes = 0

  constructor(source: Float32Array, width: number) {
    this.place(source, width)
  }

  /** Replaces the matrix with `source` [rows, width], in the memory grown for the last (fresh memory costs). */
  place(source: Float32Array, width: number): void {
    if (width % 4 !== 0) throw new Error(`row sums need a row width that is a multiple of 4, not ${width}`)
    this.width = width
    this.sourceBytes = aligned(source.byteLength)
    new Float32Array(this.wasm.reserve(this.sourceBytes), 0, source.length).set(source)
  }

  /**
   * For each i, row i of `initial` (zeros if not given) plus the rows listed in indices[starts[i]] ..
   * indices[starts[i + 1] - 1], added in that order: [starts.length - 1, width], in a view of the memory
   * that the next sum overwrites.
   */
  sum(indices: Int32Array, starts: Int32Array, initial?: Float32Array): Float32Array {
    const rows = starts.length - 1
    const indicesAt = this.sourceBytes
    const startsAt = indicesAt + aligned(indices.byteLength)
    const sumsAt = startsAt + aligned(starts.byteLength)
    const memory = this.wasm.reserve(sumsAt + rows * this.width * Float32Array.BYTES_PER_ELEMENT)
    new Int32Array(memory, indicesAt, indices.length).set(indices)
    new Int32Array(memory, startsAt, starts.length).set(starts)
    const sums = new Float32Array(memory, sumsAt, rows * this.width)
    if (initial) sums.set(initial)
    else sums.fill(0)
    this.wasm.exports.sumListedRows(0, this.width, indicesAt, startsAt, rows, sumsAt)
    return sums
  }
}
