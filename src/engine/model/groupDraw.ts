// Node (engine). A sampling generator's draw on values read back from the backend: a step's groups are a few
// hundred numbers, and per-group tensor ops cost more in dispatch than this does in arithmetic.
import type { OneHotRows } from './oneHotRows'
import { CLASS_COUNTS, TONE_WIDTH } from './toneClasses'

export interface GroupDraw {
  /** Each group's largest value as one, the rest zeros: [rows, width] like the values. */
  oneHot: Float32Array
  /** Each group's softmax, if asked for. */
  softmax?: Float32Array
  /** Where the ones are. */
  ones: OneHotRows
}

/**
 * Calls `visit` for each group of `values` [rows, width]: where it starts, its size and where its largest
 * value is (the first of equal ones).
 */
function forEachGroup(
  values: Float32Array,
  visit: (start: number, count: number, largest: number) => void,
): void {
  for (let start = 0; start < values.length;) {
    for (const count of CLASS_COUNTS) {
      let largest = start
      for (let c = start + 1; c < start + count; c++) if (values[c] > values[largest]) largest = c
      visit(start, count, largest)
      start += count
    }
  }
}

/**
 * Where each group's largest value of `values` [rows, width] is: the drawn class, when the values are logits
 * plus Gumbel noise.
 */
export function drawnClasses(values: Float32Array, width: number): OneHotRows {
  const columns = new Int32Array((values.length / TONE_WIDTH) * CLASS_COUNTS.length)
  let group = 0
  forEachGroup(values, (_start, _count, largest) => (columns[group++] = largest % width))
  return { columns, perRow: CLASS_COUNTS.length * (width / TONE_WIDTH) }
}

/** `drawnClasses` as one-hot groups as well and, if asked, each group's softmax. */
export function drawGroups(values: Float32Array, width: number, withSoftmax: boolean): GroupDraw {
  const oneHot = new Float32Array(values.length)
  const softmax = withSoftmax ? new Float32Array(values.length) : undefined
  forEachGroup(values, (start, count, largest) => {
    oneHot[largest] = 1
    if (!softmax) return
    let total = 0
    for (let c = start; c < start + count; c++) total += softmax[c] = Math.exp(values[c] - values[largest])
    for (let c = start; c < start + count; c++) softmax[c] /= total
  })
  return { oneHot, ...(softmax && { softmax }), ones: drawnClasses(values, width) }
}
