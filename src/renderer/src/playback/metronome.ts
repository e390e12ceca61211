// Browser (pure). The metronome's clicks: one per beat of the piece's time signatures, the first beat of
// each bar accented, as notes in seconds for a scheduler, so clicks loop and follow tempo like the piece.
import { pieceEnd, type Piece } from '../../../shared/music/piece'
import { tempoMap } from '../../../shared/music/tempoMap'
import type { TimedNote } from './scheduler'

/** Pitches and velocities of the click sound; the port that plays them decides the timbre. */
export const ACCENT_CLICK = { pitch: 84, velocity: 120 }
export const BEAT_CLICK = { pitch: 77, velocity: 90 }
/** Seconds a click lasts. */
const CLICK_LENGTH = 0.05

/** Beats from the start up to (not including) `endQuarter`, in quarter notes, with whether each starts a bar. */
export function beats(piece: Piece, endQuarter: number): { time: number; downbeat: boolean }[] {
  const signatures =
    piece.timeSignatures.length && piece.timeSignatures[0].time === 0
      ? piece.timeSignatures
      : [{ time: 0, numerator: 4, denominator: 4 }, ...piece.timeSignatures]
  const result: { time: number; downbeat: boolean }[] = []
  signatures.forEach(({ time, numerator, denominator }, i) => {
    const until = Math.min(endQuarter, signatures[i + 1]?.time ?? Infinity)
    const beat = 4 / denominator
    for (let k = 0; time + k * beat < until - 1e-9; k++) {
      result.push({ time: time + k * beat, downbeat: k % numerator === 0 })
    }
  })
  return result
}

/** Clicks on every beat that starts before the piece ends, at the given tempo scale. */
export function metronomeClicks(piece: Piece, tempoScale = 1): TimedNote[] {
  const map = tempoMap(piece.tempos, tempoScale)
  return beats(piece, pieceEnd(piece)).map(({ time, downbeat }) => {
    const start = map.toSeconds(time)
    const click = downbeat ? ACCENT_CLICK : BEAT_CLICK
    return { start, end: start + CLICK_LENGTH, pitch: click.pitch, velocity: click.velocity }
  })
}
