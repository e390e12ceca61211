// Browser. Where the piano roll draws bar and beat lines, from the piece's time signatures (bars.ts), thinned
// out when zoomed so far out that they would merge.
import { barIndexAt, barLength, barLineTime, signatureAt } from '../../../shared/music/bars'
import type { TimeSignatureChange } from '../../../shared/music/piece'

export interface BarLine {
  time: number
  /** 1 for the first bar, as musicians count. */
  number: number
  /** Whether the ruler has room to write the number. */
  labelled: boolean
}

export interface Grid {
  bars: BarLine[]
  beats: number[]
}

/** The finest step notes move by, in quarters: arrows nudge by it and a dragged note lands on its lines. */
export const SIXTEENTH = 0.25

/** Lines closer than this many pixels are not drawn. */
const MIN_BEAT_SPACING = 8
const MIN_LABEL_SPACING = 36

/** Bar and beat lines in quarters [from, to). */
export function gridLines(
  signatures: readonly TimeSignatureChange[],
  from: number,
  to: number,
  pixelsPerQuarter: number,
): Grid {
  const grid: Grid = { bars: [], beats: [] }
  const typicalBar = barLength(signatureAt(signatures, from)) * pixelsPerQuarter
  const labelEvery = 2 ** Math.max(0, Math.ceil(Math.log2(MIN_LABEL_SPACING / typicalBar)))
  for (let bar = Math.max(0, barIndexAt(signatures, from)); ; bar++) {
    const time = barLineTime(signatures, bar)
    if (time >= to) break
    if (time >= from) grid.bars.push({ time, number: bar + 1, labelled: bar % labelEvery === 0 })
    const beat = 4 / signatureAt(signatures, time).denominator
    if (beat * pixelsPerQuarter < MIN_BEAT_SPACING) continue
    const next = barLineTime(signatures, bar + 1)
    for (let t = time + beat; t < next - 1e-9 && t < to; t += beat) if (t >= from) grid.beats.push(t)
  }
  return grid
}
