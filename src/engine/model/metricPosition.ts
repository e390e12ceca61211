// Node (engine). The metric position that a meter model reads with each step (model.md sec. 2b): where in
// the bar lies the onset that the step's delta counts from, which is the previous step's onset (time 0 for
// the first). G reads it beside the previous step, so it knows where the beat is before it draws the delta;
// D reads it beside each step. Four classes, each a one-hot group:
// - the position within the eighth note, on the 1/48-quarter grid of the delta classes (24 classes);
// - the eighth of the bar (16; the eighths of a longer bar past the 16th count as the last);
// - the bar's length in eighths (16);
// - whether the meter is compound, in beats of three eighths (6/8, 9/8, 12/8): 2 classes.
// In training the positions come from the piece's time signatures and its onsets. In generation the first
// ones are known (a primer's, or a bar line) and the rest follow from the deltas G draws, on the CPU
// (MeterClock) or as tensor ops (DeviceMeterClock), by the same arithmetic. Each rounds the exact onset to
// the nearest tick, as a step of several tones starts at the mean of their deltas (stepOnsets), so that a
// generated piece's positions are those its notes have when it is read as training data.
import * as tf from '@tensorflow/tfjs'
import { FEATURES } from '../../shared/checkpointMeta'
import { barIndexAt, barLength, barLineTime, signatureAt } from '../../shared/music/bars'
import type { TimeSignatureChange } from '../../shared/music/piece'
import { stepOnsets, type Step } from '../../shared/music/steps'
import { DURATIONS, GROUP_OFFSETS, TONE_WIDTH } from './toneClasses'

const TICKS_PER_QUARTER = 48
const TICKS_PER_EIGHTH = TICKS_PER_QUARTER / 2
const EIGHTHS = 16

/** Classes per group: within the eighth, eighth of the bar, bar length in eighths, compound. */
export const METER_CLASS_COUNTS = [TICKS_PER_EIGHTH, EIGHTHS, EIGHTHS, 2] as const
/** Class numbers per step, as a dataset stores them. */
export const METER_GROUPS = METER_CLASS_COUNTS.length
/** One-hot values per step. */
export const METER_WIDTH = METER_CLASS_COUNTS.reduce((a, b) => a + b, 0)
const METER_OFFSETS = METER_CLASS_COUNTS.map((_, g) =>
  METER_CLASS_COUNTS.slice(0, g).reduce((a, b) => a + b, 0),
)

/** Each delta class in ticks: every duration lies on the 1/48-quarter grid. */
const DURATION_TICKS = DURATIONS.map((quarters) => Math.round(quarters * TICKS_PER_QUARTER))
const DELTA_START = GROUP_OFFSETS[FEATURES.indexOf('delta')]

/** A position in a bar, in ticks of 1/48 quarter (whole ones but in a clock, which keeps the exact onset). */
interface BarPosition {
  ticks: number
  barTicks: number
  compound: boolean
}

const compoundMeter = ({ numerator, denominator }: TimeSignatureChange) =>
  denominator === 8 && numerator > 3 && numerator % 3 === 0

/**
 * A step of two tones whose deltas differ by an odd number of ticks starts half a tick off the grid; the
 * clocks round that half up, and so does this, however the sum of quarters in floating point fell.
 */
const HALF_TICK_NUDGE = 1e-6

/** Where `exact` (quarters), to the nearest tick, lies in the bars of `signatures`. */
function barPosition(signatures: readonly TimeSignatureChange[], exact: number): BarPosition {
  const time = Math.round(exact * TICKS_PER_QUARTER + HALF_TICK_NUDGE) / TICKS_PER_QUARTER
  const signature = signatureAt(signatures, time)
  const barTicks = Math.max(1, Math.round(barLength(signature) * TICKS_PER_QUARTER))
  const sinceBarLine = Math.round(
    (time - barLineTime(signatures, barIndexAt(signatures, time))) * TICKS_PER_QUARTER,
  )
  // A bar cut short by the next change stays within its bar.
  return {
    ticks: Math.min(barTicks - 1, Math.max(0, sinceBarLine)),
    barTicks,
    compound: compoundMeter(signature),
  }
}

function positionClasses({ ticks: exact, barTicks, compound }: BarPosition): number[] {
  const ticks = Math.round(exact) % barTicks
  const eighths = Math.min(EIGHTHS, Math.max(1, Math.round(barTicks / TICKS_PER_EIGHTH)))
  return [
    ticks % TICKS_PER_EIGHTH,
    Math.min(EIGHTHS - 1, Math.floor(ticks / TICKS_PER_EIGHTH)),
    eighths - 1,
    compound ? 1 : 0,
  ]
}

/** The position that `classes` stand for: exact for bars of whole eighths up to 16. */
function positionOf(classes: ArrayLike<number>, at: number): BarPosition {
  return {
    ticks: classes[at + 1] * TICKS_PER_EIGHTH + classes[at],
    barTicks: (classes[at + 2] + 1) * TICKS_PER_EIGHTH,
    compound: classes[at + 3] === 1,
  }
}

/**
 * Each step's metric position as class numbers, the previous step's onset's, and then the last step's onset's
 * (where a continuation's first delta counts from): [(steps + 1) x METER_GROUPS].
 */
export function stepPositions(
  steps: readonly Step[],
  signatures: readonly TimeSignatureChange[],
): Float32Array {
  const anchors = [0, ...stepOnsets(steps)]
  const out = new Float32Array(anchors.length * METER_GROUPS)
  anchors.forEach((time, s) => out.set(positionClasses(barPosition(signatures, time)), s * METER_GROUPS))
  return out
}

/**
 * Steps' class numbers [steps x classesPerStep] with each step's metric position after them, as a dataset
 * stores a meter model's steps: `positions` as stepPositions gives them (the last is not a step's).
 */
export function withPositions(classes: Float32Array, positions: Float32Array): Float32Array {
  const steps = positions.length / METER_GROUPS - 1
  const perStep = classes.length / steps
  const out = new Float32Array(steps * (perStep + METER_GROUPS))
  for (let s = 0; s < steps; s++) {
    out.set(classes.subarray(s * perStep, (s + 1) * perStep), s * (perStep + METER_GROUPS))
    out.set(
      positions.subarray(s * METER_GROUPS, (s + 1) * METER_GROUPS),
      s * (perStep + METER_GROUPS) + perStep,
    )
  }
  return out
}

/** Class numbers [rows x steps x METER_GROUPS] as one-hot groups [rows x steps x METER_WIDTH]. */
export function meterOneHot(classes: ArrayLike<number>): Float32Array {
  const out = new Float32Array((classes.length / METER_GROUPS) * METER_WIDTH)
  for (let at = 0, row = 0; at < classes.length; at += METER_GROUPS, row += METER_WIDTH) {
    for (let g = 0; g < METER_GROUPS; g++) out[row + METER_OFFSETS[g] + classes[at + g]] = 1
  }
  return out
}

/**
 * The metric positions G reads in a generation or a free-running training pass: `known` [rows x steps x
 * METER_GROUPS] class numbers of its first steps (a primer's steps and the one after them, or one bar line),
 * and after them, each step's position moved on by the delta of the step before it.
 */
export interface KnownPositions {
  classes: Float32Array
  rows: number
  steps: number
}

/** One bar line's position, `rows` times: a generation without a primer in `signature`. */
export function startingAt(signature: TimeSignatureChange, rows: number): KnownPositions {
  const start = positionClasses(barPosition([signature], signature.time))
  const classes = new Float32Array(rows * METER_GROUPS)
  for (let r = 0; r < rows; r++) classes.set(start, r * METER_GROUPS)
  return { classes, rows, steps: 1 }
}

/** A step's delta in ticks: the mean of its tones' delta classes' (as stepOnsets). */
function stepDeltaTicks(deltaClasses: readonly number[]): number {
  return deltaClasses.reduce((total, c) => total + DURATION_TICKS[c], 0) / deltaClasses.length
}

/** Known positions, then each row's next position from the deltas drawn, on the CPU. */
export class MeterClock {
  private readonly positions: BarPosition[]

  constructor(private readonly known: KnownPositions) {
    const last = (known.steps - 1) * METER_GROUPS
    this.positions = Array.from({ length: known.rows }, (_, r) =>
      positionOf(known.classes, r * known.steps * METER_GROUPS + last),
    )
  }

  /** Row `row`'s one-hot columns at step `t`, each plus `offset`, written into `out` at `at`. */
  writeColumns(t: number, row: number, offset: number, out: Int32Array, at: number): void {
    const { known } = this
    const classes =
      t < known.steps
        ? Array.from(
            known.classes.subarray(
              (row * known.steps + t) * METER_GROUPS,
              (row * known.steps + t + 1) * METER_GROUPS,
            ),
          )
        : positionClasses(this.positions[row])
    for (let g = 0; g < METER_GROUPS; g++) out[at + g] = offset + METER_OFFSETS[g] + classes[g]
  }

  /** Moves row `row` on from step `t` by its delta classes (one per tone), where step t + 1 is not known. */
  advance(t: number, row: number, deltaClasses: readonly number[]): void {
    if (t + 1 < this.known.steps) return
    const position = this.positions[row]
    position.ticks = (position.ticks + stepDeltaTicks(deltaClasses)) % position.barTicks
  }
}

/** The delta classes of each tone of a one-hot step [TONE_WIDTH * m] whose ones are listed in `columns`. */
export function deltaClassesOf(columns: ArrayLike<number>): number[] {
  const deltas: number[] = []
  for (let k = 0; k < columns.length; k++) {
    const inTone = columns[k] % TONE_WIDTH
    if (inTone >= DELTA_START) deltas.push(inTone - DELTA_START)
  }
  return deltas
}

/** `MeterClock` as tensor ops, for backends whose values cannot be read back in the middle of a pass. */
export class DeviceMeterClock {
  /** The known steps' one-hot positions, [rows, METER_WIDTH] each. */
  private readonly knownSteps: tf.Tensor2D[]
  /** Ticks since the bar line, [rows, 1]. */
  private ticks: tf.Tensor2D
  private readonly barTicks: tf.Tensor2D
  /** The bar length's and compound groups' one-hot values, which a generation keeps: [rows, 18]. */
  private readonly meter: tf.Tensor2D
  /** Ticks of each one-hot value of a step [m * TONE_WIDTH]: its delta's for a delta class, else 0. */
  private readonly tickColumn: tf.Tensor2D

  constructor(
    private readonly known: KnownPositions,
    tonesPerStep: number,
  ) {
    const { rows, steps, classes } = known
    const last = Array.from({ length: rows }, (_, r) =>
      positionOf(classes, (r * steps + steps - 1) * METER_GROUPS),
    )
    const oneHot = tf.tensor3d(meterOneHot(classes), [rows, steps, METER_WIDTH])
    this.knownSteps = (tf.unstack(oneHot, 1) as tf.Tensor2D[]).map((step) => tf.keep(step))
    this.ticks = tf.keep(
      tf.tensor2d(
        last.map((p) => p.ticks),
        [rows, 1],
      ),
    )
    this.barTicks = tf.keep(
      tf.tensor2d(
        last.map((p) => p.barTicks),
        [rows, 1],
      ),
    )
    const meterStart = METER_OFFSETS[2]
    this.meter = tf.keep(
      tf.slice(this.knownSteps[steps - 1], [0, meterStart], [rows, METER_WIDTH - meterStart]),
    )
    const ticks = new Float32Array(tonesPerStep * TONE_WIDTH)
    for (let tone = 0; tone < tonesPerStep; tone++) {
      DURATION_TICKS.forEach(
        (value, c) => (ticks[tone * TONE_WIDTH + DELTA_START + c] = value / tonesPerStep),
      )
    }
    this.tickColumn = tf.keep(tf.tensor2d(ticks, [ticks.length, 1]))
    oneHot.dispose()
  }

  /** The one-hot positions at step `t`, [rows, METER_WIDTH]. */
  at(t: number): tf.Tensor2D {
    if (t < this.known.steps) return this.knownSteps[t]
    // Math.round's rounding (halves up), not tf.round's (halves to even).
    const ticks = tf.mod(tf.floor(tf.add(this.ticks, 0.5)), this.barTicks)
    const within = tf.mod(ticks, TICKS_PER_EIGHTH)
    const eighth = tf.minimum(tf.floorDiv(ticks, TICKS_PER_EIGHTH), EIGHTHS - 1)
    const oneHot = (x: tf.Tensor, count: number) =>
      tf.oneHot(tf.cast(tf.reshape(x, [-1]), 'int32'), count).toFloat()
    return tf.concat(
      [oneHot(within, TICKS_PER_EIGHTH), oneHot(eighth, EIGHTHS), this.meter],
      1,
    ) as tf.Tensor2D
  }

  /** Moves every row on from step `t` by its step's deltas in `drawn` [rows, m * TONE_WIDTH], one-hot. */
  advance(t: number, drawn: tf.Tensor2D): void {
    if (t + 1 < this.known.steps) return
    const next = tf.tidy(() =>
      tf.mod(tf.add(this.ticks, tf.matMul(drawn, this.tickColumn)), this.barTicks),
    ) as tf.Tensor2D
    this.ticks.dispose()
    this.ticks = tf.keep(next)
  }

  dispose(): void {
    tf.dispose([...this.knownSteps, this.ticks, this.barTicks, this.meter, this.tickColumn])
  }
}
