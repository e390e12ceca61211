// Node (engine). The piano's rule on the draws of a sampling generator of one tone per step: a key sounds
// once per onset, and an onset holds at most MOST_KEYS_AT_ONCE keys. G draws a tone's pitch and its delta
// independently from one state, so without the rule it strikes a key again within a chord, and a chord can
// swallow dozens of tones. With it, a tone is drawn from G's distribution conditioned on the rule: the delta
// "0" (joining the onset) keeps only the weight of the keys still free, and a tone that joins draws among
// them. The rule rewrites the step's logits, so that what is shown as drawn from is what was drawn from.
// `ChordRule` works on values read back (drawnGeneration.ts), `DeviceChordRule` on tensors (WebGPU);
// they make the same draws.
import * as tf from '@tensorflow/tfjs'
import { FEATURES } from '../../shared/checkpointMeta'
import type { OneHotRows } from './oneHotRows'
import { CLASS_COUNTS, GROUP_OFFSETS, NO_TONE, PIANO_KEYS, TONE_WIDTH } from './toneClasses'

/** Ten fingers; 6 of the 434,445 onsets of the 320-file corpus hold more keys (tutti of its concertos). */
export const MOST_KEYS_AT_ONCE = 10
/** A logit that no Gumbel noise lifts to a draw, yet finite: WGSL need not keep infinities. */
export const EXCLUDED = -1e9

const PITCH = FEATURES.indexOf('pitch')
const DELTA = FEATURES.indexOf('delta')
const PITCH_START = GROUP_OFFSETS[PITCH]
const PITCHES = CLASS_COUNTS[PITCH]
const DELTA_START = GROUP_OFFSETS[DELTA]
const DELTAS = CLASS_COUNTS[DELTA]
/** The delta class of a tone that starts with the one before it. */
const JOINS = 0

/** T log(sum of exp(v / T)) over the pitch logits at `from` that `counts` keeps: their largest at T = 0. */
function softMaximum(
  values: Float32Array,
  from: number,
  temperature: number,
  counts: (c: number) => boolean,
) {
  let largest = -Infinity
  for (let c = 0; c < PITCHES; c++) if (counts(c)) largest = Math.max(largest, values[from + c])
  if (temperature === 0) return largest
  let total = 0
  for (let c = 0; c < PITCHES; c++)
    if (counts(c)) total += Math.exp((values[from + c] - largest) / temperature)
  return largest + temperature * Math.log(total)
}

export class ChordRule {
  /** Per variation, 1 for each key struck at its current onset. */
  private readonly struck: Uint8Array
  private readonly counts: Uint8Array

  constructor(
    rows: number,
    private readonly temperature: number,
  ) {
    this.struck = new Uint8Array(rows * PIANO_KEYS)
    this.counts = new Uint8Array(rows)
  }

  /**
   * Rewrites the logits of `row`'s tone (TONE_WIDTH values at `at` in `logits`, its Gumbel noise at the same
   * place in `perturbation`) for the draw that follows, which takes each group's largest perturbed value.
   */
  restrict(logits: Float32Array, perturbation: Float32Array, at: number, row: number): void {
    const count = this.counts[row]
    if (count === 0) return
    const struck = this.struck.subarray(row * PIANO_KEYS, (row + 1) * PIANO_KEYS)
    const pitch = at + PITCH_START
    const delta = at + DELTA_START
    const free = softMaximum(logits, pitch, this.temperature, (c) => c === NO_TONE || struck[c] === 0)
    const all = softMaximum(logits, pitch, this.temperature, () => true)
    logits[delta + JOINS] = count >= MOST_KEYS_AT_ONCE ? EXCLUDED : logits[delta + JOINS] + (free - all)
    // The delta drawn, as the draw will find it: the first largest of the float32 sums.
    let drawn = 0
    let best = -Infinity
    for (let c = 0; c < DELTAS; c++) {
      const value = Math.fround(logits[delta + c] + perturbation[delta + c])
      if (value > best) [drawn, best] = [c, value]
    }
    if (drawn !== JOINS) return
    for (let key = 0; key < PIANO_KEYS; key++) if (struck[key]) logits[pitch + key] = EXCLUDED
  }

  /** Follows `row`'s tone, drawn or given: its pitch and delta classes. */
  follow(row: number, pitch: number, delta: number): void {
    const struck = this.struck.subarray(row * PIANO_KEYS, (row + 1) * PIANO_KEYS)
    if (delta !== JOINS) {
      struck.fill(0)
      this.counts[row] = 0
    }
    if (pitch === NO_TONE || struck[pitch]) return
    struck[pitch] = 1
    this.counts[row]++
  }

  /** Follows `row`'s tone as drawn: where its groups' ones are (one tone per row, in FEATURES order). */
  followDrawn(row: number, { columns, perRow }: OneHotRows): void {
    const at = row * perRow
    this.follow(row, columns[at + PITCH] - PITCH_START, columns[at + DELTA] - DELTA_START)
  }

  /** Follows each row's tone in one-hot `values` [rows, TONE_WIDTH] (a primer's step). */
  followOneHot(values: Float32Array): void {
    const largest = (from: number, count: number) => {
      let best = 0
      for (let c = 1; c < count; c++) if (values[from + c] > values[from + best]) best = c
      return best
    }
    for (let row = 0, at = 0; at < values.length; row++, at += TONE_WIDTH) {
      this.follow(row, largest(at + PITCH_START, PITCHES), largest(at + DELTA_START, DELTAS))
    }
  }
}

/** `ChordRule` as tensor ops, for backends whose values cannot be read back in the middle of a generation. */
export class DeviceChordRule {
  /** [rows, PIANO_KEYS]: 1 for each key struck at the current onset. */
  private struck: tf.Tensor2D

  constructor(
    rows: number,
    private readonly temperature: number,
  ) {
    this.struck = tf.keep(tf.zeros([rows, PIANO_KEYS]))
  }

  /** `ChordRule.restrict` on a step's logits [rows, TONE_WIDTH] and Gumbel noise: the rewritten logits. */
  restrict(logits: tf.Tensor2D, perturbation: tf.Tensor2D): tf.Tensor2D {
    const rows = logits.shape[0]
    const group = (x: tf.Tensor2D, start: number, count: number) => tf.slice(x, [0, start], [rows, count])
    const isStruck = tf.cast(tf.concat([this.struck, tf.zeros([rows, PITCHES - PIANO_KEYS])], 1), 'bool')
    const pitch = group(logits, PITCH_START, PITCHES)
    const softMaximum = (values: tf.Tensor2D) =>
      this.temperature === 0
        ? tf.max(values, 1, true)
        : tf.mul(tf.logSumExp(tf.div(values, this.temperature), 1, true), this.temperature)
    const free = softMaximum(tf.where(isStruck, tf.fill(pitch.shape, EXCLUDED), pitch) as tf.Tensor2D)
    const count = tf.sum(this.struck, 1, true)
    const joinsLogit = tf.where(
      tf.greaterEqual(count, MOST_KEYS_AT_ONCE),
      tf.fill([rows, 1], EXCLUDED),
      tf.where(
        tf.equal(count, 0),
        group(logits, DELTA_START, 1),
        tf.add(group(logits, DELTA_START, 1), tf.sub(free, softMaximum(pitch))),
      ),
    )
    const delta = tf.concat([joinsLogit, group(logits, DELTA_START + 1, DELTAS - 1)], 1)
    const joins = tf.equal(tf.argMax(tf.add(delta, group(perturbation, DELTA_START, DELTAS)), 1), JOINS)
    const excluded = tf.logicalAnd(isStruck, tf.reshape(joins, [rows, 1]))
    return tf.concat(
      [
        group(logits, 0, PITCH_START),
        tf.where(excluded, tf.fill(pitch.shape, EXCLUDED), pitch),
        group(logits, PITCH_START + PITCHES, DELTA_START - PITCH_START - PITCHES),
        delta,
      ],
      1,
    ) as tf.Tensor2D
  }

  /** Follows each row's tone in one-hot `values` [rows, TONE_WIDTH], drawn or given. */
  follow(values: tf.Tensor2D): void {
    const rows = values.shape[0]
    const next = tf.tidy(() => {
      const joins = tf.slice(values, [0, DELTA_START + JOINS], [rows, 1])
      const key = tf.slice(values, [0, PITCH_START], [rows, PIANO_KEYS])
      return tf.minimum(tf.add(tf.mul(this.struck, joins), key), 1) as tf.Tensor2D
    })
    this.struck.dispose()
    this.struck = tf.keep(next)
  }

  dispose(): void {
    this.struck.dispose()
  }
}
