// Node (engine). Products with one-hot rows, done as the sums they are. A sampling model's tones are one-hot
// groups, a dozen ones among hundreds of columns, and a dense matMul with such rows spends nearly all its
// work on zeros: summing the kernel rows the ones pick (the forward product) and, for the weight gradient,
// the gradient rows each column was picked by, reads a fraction of the values. On the CPU backends that is
// several times faster than the matMul; the sums run four rows at a time, since the stores are what cost.
import * as tf from '@tensorflow/tfjs'

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

/** Adds rows `a`, `b`, `c` and `d` of `values` (offsets, in values) to `into` of `sums`, `width` values. */
function addFour(
  sums: Float32Array,
  into: number,
  values: Float32Array,
  [a, b, c, d]: number[],
  width: number,
) {
  for (let v = 0; v < width; v++)
    sums[into + v] += values[a + v] + values[b + v] + values[c + v] + values[d + v]
}

/** Adds the rows of `values` at `offsets` (in values) to `sums` at `into`. */
function addRows(sums: Float32Array, into: number, values: Float32Array, offsets: number[], width: number) {
  let k = 0
  for (; k + 4 <= offsets.length; k += 4) addFour(sums, into, values, offsets.slice(k, k + 4), width)
  for (; k < offsets.length; k++) for (let v = 0; v < width; v++) sums[into + v] += values[offsets[k] + v]
}

/** `rows` times `kernel` [columns, width]: for each row, the sum of the kernel rows of its ones. */
export function sumKernelRows(
  kernel: Float32Array,
  width: number,
  { columns, perRow }: OneHotRows,
): Float32Array {
  const rows = columns.length / perRow
  const sums = new Float32Array(rows * width)
  const offsets = new Array<number>(perRow)
  for (let row = 0; row < rows; row++) {
    for (let k = 0; k < perRow; k++) offsets[k] = columns[row * perRow + k] * width
    addRows(sums, row * width, kernel, offsets, width)
  }
  return sums
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
  const pickedBy: number[][] = Array.from({ length: columnCount }, () => [])
  for (let k = 0; k < columns.length; k++) pickedBy[columns[k]].push(Math.floor(k / perRow) * width)
  const sums = new Float32Array(columnCount * width)
  pickedBy.forEach((offsets, column) => addRows(sums, column * width, gradients, offsets, width))
  return sums
}

/** The same as tf.matMul(oneHot, kernel), from the ones' columns. */
export function oneHotMatMul(rows: OneHotRows, kernel: tf.Tensor): tf.Tensor2D {
  const width = kernel.shape[1]!
  const sums = sumKernelRows(kernel.dataSync() as Float32Array, width, rows)
  return tf.tensor2d(sums, [rows.columns.length / rows.perRow, width])
}
