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
 * Each group's largest value of `values` [rows, width] (the drawn class, when the values are logits plus
 * Gumbel noise; the first of equal values) and, if asked, each group's softmax.
 */
export function drawGroups(values: Float32Array, width: number, withSoftmax: boolean): GroupDraw {
  const oneHot = new Float32Array(values.length)
  const softmax = withSoftmax ? new Float32Array(values.length) : undefined
  const columns = new Int32Array((values.length / TONE_WIDTH) * CLASS_COUNTS.length)
  let group = 0
  for (let start = 0; start < values.length;) {
    for (const count of CLASS_COUNTS) {
      let best = start
      for (let c = start + 1; c < start + count; c++) if (values[c] > values[best]) best = c
      oneHot[best] = 1
      columns[group++] = best % width
      if (softmax) {
        let total = 0
        for (let c = start; c < start + count; c++) total += softmax[c] = Math.exp(values[c] - values[best])
        for (let c = start; c < start + count; c++) softmax[c] /= total
      }
      start += count
    }
  }
  return {
    oneHot,
    ...(softmax && { softmax }),
    ones: { columns, perRow: CLASS_COUNTS.length * (width / TONE_WIDTH) },
  }
}
