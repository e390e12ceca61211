// Node (engine). Products with one-hot rows, done as the sums they are. A sampling model's tones are one-hot
// groups, a dozen ones among hundreds of columns, and a dense matMul with such rows spends nearly all its
// work on zeros: summing the kernel rows the ones pick (the forward product) and, for the weight gradient,
// the gradient rows each column was picked by, reads a fraction of the values. On the CPU backends that is
// several times faster than the matMul. The sums run in WebAssembly (rowSums.ts).
import * as tf from '@tensorflow/tfjs'
import { RowSums } from '../wasm/rowSums'

/** Where the ones of a batch of one-hot rows are: `perRow` columns per row, row by row. */
export interface OneHotRows {
  columns: Int32Array
  perRow: number
}

/** The one-hot rows of `values` [rows, width], each with `perRow` ones. */
export function oneHotRows(values: Float32Array, width: number, perRow: number): OneHotRows {
  const columns = new Int32Array((values.length / width) * perRow)
  let found = 0
  for (let at = 0; at < values.length; at++) if (values[at] !== 0) columns[found++] = at % width
  if (found !== columns.length) throw new Error(`expected ${columns.length} ones, found ${found}`)
  return { columns, perRow }
}

/** The rows of a [batch, time] sequence's one-hot rows in time-major order, as a backward pass gathers them. */
export function timeMajor({ columns, perRow }: OneHotRows, batch: number, time: number): OneHotRows {
  const reordered = new Int32Array(columns.length)
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < time; t++) {
      const from = (b * time + t) * perRow
      reordered.set(columns.subarray(from, from + perRow), (t * batch + b) * perRow)
    }
  }
  return { columns: reordered, perRow }
}

/** Where each of `rows` rows' list of `perRow` entries starts, and where the last ends. */
function evenStarts(rows: number, perRow: number): Int32Array {
  return Int32Array.from({ length: rows + 1 }, (_, row) => row * perRow)
}

/** A kernel [columns, width] that one-hot rows multiply, placed once for many products (a generation's steps). */
export class OneHotKernel {
  private readonly rows: RowSums

  constructor(kernel: Float32Array, width: number) {
    this.rows = new RowSums(kernel, width)
  }

  /**
   * `ones` times the kernel, plus `added` [rows, width] if given: for each row, the sum of the kernel rows of
   * its ones. The next product overwrites it.
   */
  times({ columns, perRow }: OneHotRows, added?: Float32Array): Float32Array {
    return this.rows.sum(columns, evenStarts(columns.length / perRow, perRow), added)
  }
}

/** The row sums of the one-off products below: one instance for all, as they run one at a time. */
let oneOff: RowSums | undefined

/** `source` [rows, width] placed in the one-off products' row sums. */
function placed(source: Float32Array, width: number): RowSums {
  if (oneOff) oneOff.place(source, width)
  else oneOff = new RowSums(source, width)
  return oneOff
}

/** `rows` times `kernel` [columns, width]: for each row, the sum of the kernel rows of its ones. */
export function sumKernelRows(
  kernel: Float32Array,
  width: number,
  { columns, perRow }: OneHotRows,
): Float32Array {
  return placed(kernel, width)
    .sum(columns, evenStarts(columns.length / perRow, perRow))
    .slice()
}

/**
 * The transpose of `rows` (one-hot, [rows, columnCount]) times `gradients` [rows, width]: for each column,
 * the sum of the gradient rows whose ones include it. This is a one-hot input's kernel gradient.
 */
export function sumByColumn(
  gradients: Float32Array,
  width: number,
  { columns, perRow }: OneHotRows,
  columnCount: number,
): Float32Array {
  // The gradient rows listed by the column that picked them (a counting sort), each column's in row order.
  const starts = new Int32Array(columnCount + 1)
  for (const column of columns) starts[column + 1]++
  for (let column = 0; column < columnCount; column++) starts[column + 1] += starts[column]
  const next = starts.slice(0, columnCount)
  const pickedBy = new Int32Array(columns.length)
  for (let k = 0; k < columns.length; k++) pickedBy[next[columns[k]]++] = Math.floor(k / perRow)
  return placed(gradients, width).sum(pickedBy, starts).slice()
}

/** The same as tf.matMul(oneHot, kernel), from the ones' columns. */
export function oneHotMatMul(rows: OneHotRows, kernel: tf.Tensor): tf.Tensor2D {
  const width = kernel.shape[1]!
  const sums = sumKernelRows(kernel.dataSync() as Float32Array, width, rows)
  return tf.tensor2d(sums, [rows.columns.length / rows.perRow, width])
}
