// Runs anywhere. Bar lines from a piece's time signatures, in quarter notes, so that a length can be asked
// for in bars (model.md sec. 4). Bars are counted from time 0; each time-signature change starts a new bar,
// as MIDI files put them on bar lines (one that is not cuts the bar before it short). Before the first
// change, and without any, the MIDI default of 4/4 holds.
import { DEFAULT_METER, meterSignature } from './meter'
import type { TimeSignatureChange } from './piece'

const COMMON_TIME = meterSignature(DEFAULT_METER)

/** Quarter notes in one bar: `numerator` notes of 1/`denominator` each. */
export function barLength({ numerator, denominator }: TimeSignatureChange): number {
  return (numerator * 4) / denominator
}

interface Segment {
  signature: TimeSignatureChange
  /** The time of the next change (Infinity for the last segment). */
  end: number
  /** Bars started in this segment. */
  bars: number
}

function segments(signatures: readonly TimeSignatureChange[]): Segment[] {
  // The last of several changes at one time wins; a signature of no length (a damaged file) is ignored.
  const changes = [COMMON_TIME, ...signatures]
    .filter((signature) => barLength(signature) > 0)
    .filter((signature, i, all) => all[i + 1]?.time !== signature.time)
  return changes.map((signature, i) => {
    const end = changes[i + 1]?.time ?? Infinity
    return { signature, end, bars: Math.ceil((end - signature.time) / barLength(signature)) }
  })
}

/** The time of bar line `bar`: 0 is the start of the piece, 1 the end of the first bar. */
export function barLineTime(signatures: readonly TimeSignatureChange[], bar: number): number {
  const all = segments(signatures)
  let [i, before] = [0, 0]
  while (i < all.length - 1 && bar - before >= all[i].bars) before += all[i++].bars
  return all[i].signature.time + (bar - before) * barLength(all[i].signature)
}

/** The time signature in force at `time`: the last change at or before it, 4/4 before any. */
export function signatureAt(signatures: readonly TimeSignatureChange[], time: number): TimeSignatureChange {
  const all = segments(signatures)
  let i = 0
  while (i < all.length - 1 && time >= all[i].end) i++
  return all[i].signature
}

/** The index of the bar that `time` lies in (0 for the first bar). */
export function barIndexAt(signatures: readonly TimeSignatureChange[], time: number): number {
  const all = segments(signatures)
  let [i, before] = [0, 0]
  while (i < all.length - 1 && time >= all[i].end) before += all[i++].bars
  return before + Math.floor((time - all[i].signature.time) / barLength(all[i].signature))
}
