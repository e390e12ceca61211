// Node (engine). The rules of a sampling generator's draws, in one place. Each value is drawn from G's
// distribution conditioned on what the rules allow, and G is fed what was drawn, so the music stays its own:
// - The piano's chord rule (always, with one tone per step): a key sounds once per onset, and an onset holds
//   at most `maxKeys` keys. G draws a tone's pitch and its delta independently from one state, so without
//   the rule it strikes a key again within a chord, and a chord can swallow dozens of tones. With it, the
//   delta "0" (joining the onset) keeps only the weight of the keys still free, and a joining tone draws
//   among them.
// - A steering's fixed exclusions (steering.ts): keys outside its scale or range, lengths off its grid.
// - Its grid's onsets: deltas that keep the onset on the grid, or bring it back in the fewest steps.
// - Its density: the deltas' distribution tilted by exp(-λ · duration), λ following how far the notes so
//   far lag behind the notes per bar asked for (a draw of 0, joining a chord, is never tilted).
// - Its repetition: before the rules above, G's pitch and delta lean towards the row's own figures
//   (figureMemory.ts).
// `DrawRules` holds the rules' tables, computed once; `RowRules` applies them to values read back
// (drawnGeneration.ts) and `DeviceRules` to tensors (WebGPU): both read the same tables and make the same
// draws. The kept logits are those drawn from but for the fixed exclusions, which only the draw adds, so
// that the raw-output lane can show the keys they ruled out.
import * as tf from '@tensorflow/tfjs'
import { FEATURES } from '../../shared/checkpointMeta'
import { GRID_UNITS, MOST_KEYS_AT_ONCE, type Grid } from '../../shared/music/steering'
import type { DeviceFigureMemory, FigureMemory } from './figureMemory'
import type { OneHotRows } from './oneHotRows'
import {
  CLASS_COUNTS,
  DURATIONS,
  GROUP_OFFSETS,
  LOWEST_KEY,
  NO_TONE,
  PIANO_KEYS,
  TONE_WIDTH,
} from './toneClasses'

/** A logit that no Gumbel noise lifts to a draw, yet finite: WGSL need not keep infinities. */
export const EXCLUDED = -1e9

const PITCH = FEATURES.indexOf('pitch')
const DELTA = FEATURES.indexOf('delta')
const LENGTH = FEATURES.indexOf('length')
const PITCH_START = GROUP_OFFSETS[PITCH]
const PITCHES = CLASS_COUNTS[PITCH]
const DELTA_START = GROUP_OFFSETS[DELTA]
const DELTAS = CLASS_COUNTS[DELTA]
/** The delta class of a tone that starts with the one before it. */
const JOINS = 0
/** Onsets within a beat, in 1/48 quarter notes: every duration of DURATIONS is a whole number of them. */
const TICKS_PER_BEAT = 48
const DELTA_TICKS = Int32Array.from(DURATIONS, (quarters) => Math.round(quarters * TICKS_PER_BEAT))
/** Each delta's duration, negated: the tilt's slope. */
const NEGATED_QUARTERS = Float32Array.from(DURATIONS, (quarters) => -quarters)
/** λ per quarter note that the notes lag behind (or run ahead of) the density asked for. */
const DENSITY_GAIN = 1
/**
 * λ's bounds. Busier needs a steep tilt among short deltas (at 8, a sixteenth's weight falls by e against a
 * 32nd's, and by e^2 against joining a chord); sparser needs little, since the longest deltas are long.
 */
const MOST_TILT = 8
const LEAST_TILT = -3

export interface RuleSettings {
  /** Which MIDI keys may sound; every key without it. */
  allowsPitch?: (pitch: number) => boolean
  grid?: Grid
  /** Notes per bar of `barQuarters` quarter notes. */
  density?: { notesPerBar: number; barQuarters: number }
  /** The most keys at one onset: MOST_KEYS_AT_ONCE without it. */
  maxKeys?: number
  /** Where the first drawn tone's delta is measured from, in quarter notes from the piece's start. */
  start?: number
  /** How far the draws lean towards the row's own figures, 0 to 1 (figureMemory.ts): 0 without it. */
  repetition?: number
}

/** Whether an onset `tick` ticks into its beat lies on the grid. */
const onGrid = (grid: Grid, tick: number) =>
  GRID_UNITS[grid].some((unit) => tick % Math.round(unit * TICKS_PER_BEAT) === 0)

/**
 * Per onset within a beat, [TICKS_PER_BEAT x DELTAS]: 0 for each delta that lands on the grid or, off it,
 * lands where the fewest further steps lead back to it; EXCLUDED for the rest.
 */
function onsetTable(grid: Grid): Float32Array {
  const land = (tick: number, delta: number) => (tick + DELTA_TICKS[delta]) % TICKS_PER_BEAT
  // Steps back to the grid from each tick, found by relaxing until nothing changes.
  const steps = Array.from({ length: TICKS_PER_BEAT }, (_, tick) => (onGrid(grid, tick) ? 0 : Infinity))
  for (let changed = true; changed;) {
    changed = false
    for (let tick = 0; tick < TICKS_PER_BEAT; tick++) {
      for (let delta = 0; delta < DELTAS; delta++) {
        if (steps[land(tick, delta)] + 1 < steps[tick])
          [steps[tick], changed] = [steps[land(tick, delta)] + 1, true]
      }
    }
  }
  const table = new Float32Array(TICKS_PER_BEAT * DELTAS)
  for (let tick = 0; tick < TICKS_PER_BEAT; tick++) {
    const fewest = Math.min(...Array.from({ length: DELTAS }, (_, delta) => steps[land(tick, delta)]))
    for (let delta = 0; delta < DELTAS; delta++) {
      if (steps[land(tick, delta)] > fewest) table[tick * DELTAS + delta] = EXCLUDED
    }
  }
  return table
}

export class DrawRules {
  /** Per pitch class, 1 where a key may sound (and for "no tone"). */
  readonly allowedPitches: Uint8Array
  /** A tone's fixed exclusions, [TONE_WIDTH]: 0 or EXCLUDED; null when there are none. */
  private readonly fixed: Float32Array | null
  /** The grid's deltas per onset within a beat (`onsetTable`), or null without a grid. */
  readonly onsets: Float32Array | null
  /** The quarter notes per note asked for, or null without a density. */
  readonly quartersPerNote: number | null
  readonly maxKeys: number
  /** The first drawn onset's tick within its beat. */
  readonly startTick: number
  readonly repetition: number

  constructor(settings: RuleSettings = {}) {
    const { allowsPitch, grid, density } = settings
    this.allowedPitches = Uint8Array.from({ length: PITCHES }, (_, c) =>
      c === NO_TONE || !allowsPitch || allowsPitch(LOWEST_KEY + c) ? 1 : 0,
    )
    if (!this.allowedPitches.some((allowed, c) => allowed && c !== NO_TONE)) {
      throw new Error('the steering allows no key of the piano')
    }
    const fixed = new Float32Array(TONE_WIDTH)
    this.allowedPitches.forEach((allowed, c) => (fixed[PITCH_START + c] = allowed ? 0 : EXCLUDED))
    if (grid) {
      DURATIONS.forEach((quarters, c) => {
        const onTheGrid = quarters > 0 && onGrid(grid, Math.round(quarters * TICKS_PER_BEAT))
        if (!onTheGrid) fixed[GROUP_OFFSETS[LENGTH] + c] = EXCLUDED
      })
    }
    this.fixed = fixed.some((x) => x !== 0) ? fixed : null
    this.onsets = grid ? onsetTable(grid) : null
    this.quartersPerNote = density ? Math.fround(density.barQuarters / density.notesPerBar) : null
    this.maxKeys = settings.maxKeys ?? MOST_KEYS_AT_ONCE
    const start = Math.round((settings.start ?? 0) * TICKS_PER_BEAT)
    this.startTick = ((start % TICKS_PER_BEAT) + TICKS_PER_BEAT) % TICKS_PER_BEAT
    this.repetition = settings.repetition ?? 0
  }

  /** Whether a draw's delta depends on where the onset is or on the notes so far. */
  get steersDeltas(): boolean {
    return this.onsets !== null || this.quartersPerNote !== null
  }

  /** The fixed exclusions of a step of `width` values (tone after tone), or null. */
  fixedStep(width: number): Float32Array | null {
    const { fixed } = this
    if (!fixed) return null
    const step = new Float32Array(width)
    for (let at = 0; at < width; at += TONE_WIDTH) step.set(fixed, at)
    return step
  }
}

/** λ of the density tilt for a lead of `lead` quarter notes: the float32 ops DeviceRules makes. */
function tiltSlope(lead: number): number {
  return Math.min(MOST_TILT, Math.max(LEAST_TILT, Math.fround(lead * DENSITY_GAIN)))
}

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

/** The rules for rows of one tone per step, on values read back. */
export class RowRules {
  /** Per row, 1 for each key struck at its current onset. */
  private readonly struck: Uint8Array
  private readonly counts: Uint8Array
  /** Per row, the onset's tick within its beat. */
  private readonly ticks: Int32Array
  /** Per row, the quarter notes its drawn tones have taken beyond what the density asks for them. */
  private readonly leads: Float32Array

  constructor(
    private readonly rules: DrawRules,
    rows: number,
    /** The pitch's temperature. */
    private readonly temperature: number,
    /** The rows' figures, where the draws lean towards them. */
    private readonly figures?: FigureMemory,
  ) {
    this.struck = new Uint8Array(rows * PIANO_KEYS)
    this.counts = new Uint8Array(rows)
    this.ticks = new Int32Array(rows).fill(rules.startTick)
    this.leads = new Float32Array(rows)
  }

  /**
   * Rewrites the logits of `row`'s tone (TONE_WIDTH values at `at` in `logits`, its Gumbel noise at the same
   * place in `perturbation`) for the draw that follows, which adds the fixed exclusions and takes each
   * group's largest perturbed value.
   */
  restrict(logits: Float32Array, perturbation: Float32Array, at: number, row: number): void {
    const { rules } = this
    this.figures?.lean(logits, at, row)
    const delta = at + DELTA_START
    if (rules.steersDeltas) {
      const onsets = rules.onsets?.subarray(this.ticks[row] * DELTAS)
      const slope = rules.quartersPerNote === null ? 0 : tiltSlope(this.leads[row])
      for (let c = 0; c < DELTAS; c++) {
        const bias = Math.fround((onsets?.[c] ?? 0) + Math.fround(slope * NEGATED_QUARTERS[c]))
        logits[delta + c] += bias
      }
    }
    const count = this.counts[row]
    if (count === 0) return
    const struck = this.struck.subarray(row * PIANO_KEYS, (row + 1) * PIANO_KEYS)
    const allowed = rules.allowedPitches
    const pitch = at + PITCH_START
    const free = softMaximum(
      logits,
      pitch,
      this.temperature,
      (c) => allowed[c] === 1 && (c === NO_TONE || !struck[c]),
    )
    const all = softMaximum(logits, pitch, this.temperature, (c) => allowed[c] === 1)
    logits[delta + JOINS] = count >= rules.maxKeys ? EXCLUDED : logits[delta + JOINS] + (free - all)
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

  /** Follows `row`'s tone, given (a primer's) or `drawn`: its pitch and delta classes. */
  follow(row: number, pitch: number, delta: number, drawn: boolean): void {
    this.figures?.remember(row, pitch, delta)
    const struck = this.struck.subarray(row * PIANO_KEYS, (row + 1) * PIANO_KEYS)
    if (drawn) {
      this.ticks[row] = (this.ticks[row] + DELTA_TICKS[delta]) % TICKS_PER_BEAT
      const owed = pitch === NO_TONE ? 0 : (this.rules.quartersPerNote ?? 0)
      this.leads[row] += Math.fround(-NEGATED_QUARTERS[delta] - owed)
    }
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
    this.follow(row, columns[at + PITCH] - PITCH_START, columns[at + DELTA] - DELTA_START, true)
  }

  /** Follows each row's given tone in one-hot `values` [rows, TONE_WIDTH] (a primer's step). */
  followOneHot(values: Float32Array): void {
    const largest = (from: number, count: number) => {
      let best = 0
      for (let c = 1; c < count; c++) if (values[from + c] > values[from + best]) best = c
      return best
    }
    for (let row = 0, at = 0; at < values.length; row++, at += TONE_WIDTH) {
      this.follow(row, largest(at + PITCH_START, PITCHES), largest(at + DELTA_START, DELTAS), false)
    }
  }
}

/** `RowRules` as tensor ops, for backends whose values cannot be read back in the middle of a generation. */
export class DeviceRules {
  /** [rows, PIANO_KEYS]: 1 for each key struck at the current onset. */
  private struck: tf.Tensor2D
  /** [rows]: each row's onset tick within its beat (int32). */
  private ticks: tf.Tensor1D
  /** [rows, 1]: each row's lead in quarter notes (see RowRules). */
  private leads: tf.Tensor2D
  private readonly tables: tf.Tensor[]

  constructor(
    private readonly rules: DrawRules,
    rows: number,
    private readonly temperature: number,
    private readonly figures?: DeviceFigureMemory,
  ) {
    this.struck = tf.keep(tf.zeros([rows, PIANO_KEYS]))
    this.ticks = tf.keep(tf.fill([rows], rules.startTick, 'int32'))
    this.leads = tf.keep(tf.zeros([rows, 1]))
    this.tables = [
      tf.keep(tf.tensor1d(DELTA_TICKS, 'int32')),
      tf.keep(tf.tensor2d(NEGATED_QUARTERS, [1, DELTAS])),
      tf.keep(
        tf.tensor2d(rules.onsets ?? new Float32Array(TICKS_PER_BEAT * DELTAS), [TICKS_PER_BEAT, DELTAS]),
      ),
      tf.keep(tf.tensor2d(rules.allowedPitches, [1, PITCHES], 'bool')),
    ]
  }

  /** `RowRules.restrict` on a step's logits [rows, TONE_WIDTH] and Gumbel noise: the rewritten logits. */
  restrict(given: tf.Tensor2D, perturbation: tf.Tensor2D): tf.Tensor2D {
    const { rules } = this
    const logits = this.figures?.lean(given) ?? given
    const [, negatedQuarters, onsets, allowed] = this.tables
    const rows = logits.shape[0]
    const group = (x: tf.Tensor2D, start: number, count: number) => tf.slice(x, [0, start], [rows, count])
    let deltaLogits = group(logits, DELTA_START, DELTAS)
    if (rules.steersDeltas) {
      const onset = rules.onsets ? tf.gather(onsets, this.ticks) : tf.zeros([rows, DELTAS])
      const slope = tf.clipByValue(tf.mul(this.leads, DENSITY_GAIN), LEAST_TILT, MOST_TILT)
      const tilt = rules.quartersPerNote === null ? tf.zeros([rows, DELTAS]) : tf.mul(slope, negatedQuarters)
      deltaLogits = tf.add(deltaLogits, tf.add(onset, tilt))
    }
    const isStruck = tf.cast(tf.concat([this.struck, tf.zeros([rows, PITCHES - PIANO_KEYS])], 1), 'bool')
    const ruledOut = tf.logicalNot(allowed)
    const pitch = group(logits, PITCH_START, PITCHES)
    const softMaximum = (excluded: tf.Tensor) => {
      const values = tf.where(excluded, tf.fill(pitch.shape, EXCLUDED), pitch) as tf.Tensor2D
      return this.temperature === 0
        ? tf.max(values, 1, true)
        : tf.mul(tf.logSumExp(tf.div(values, this.temperature), 1, true), this.temperature)
    }
    const free = softMaximum(tf.logicalOr(isStruck, ruledOut))
    const count = tf.sum(this.struck, 1, true)
    const joinsLogit = group(deltaLogits, 0, 1)
    const ruledJoins = tf.where(
      tf.greaterEqual(count, rules.maxKeys),
      tf.fill([rows, 1], EXCLUDED),
      tf.where(tf.equal(count, 0), joinsLogit, tf.add(joinsLogit, tf.sub(free, softMaximum(ruledOut)))),
    )
    const delta = tf.concat([ruledJoins, group(deltaLogits, 1, DELTAS - 1)], 1)
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

  /** Follows each row's tone in one-hot `values` [rows, TONE_WIDTH]: given (a primer's) or `drawn`. */
  follow(values: tf.Tensor2D, drawn: boolean): void {
    this.figures?.remember(values)
    const rows = values.shape[0]
    const [deltaTicks, negatedQuarters] = this.tables
    const next = tf.tidy(() => {
      const deltas = tf.slice(values, [0, DELTA_START], [rows, DELTAS])
      const joins = tf.slice(deltas, [0, JOINS], [rows, 1])
      const key = tf.slice(values, [0, PITCH_START], [rows, PIANO_KEYS])
      const struck = tf.minimum(tf.add(tf.mul(this.struck, joins), key), 1) as tf.Tensor2D
      if (!drawn) return { struck, ticks: tf.clone(this.ticks), leads: tf.clone(this.leads) }
      const ticks = tf.mod(
        tf.add(this.ticks, tf.gather(deltaTicks, tf.argMax(deltas, 1))),
        tf.scalar(TICKS_PER_BEAT, 'int32'),
      )
      const sounds = tf.sub(1, tf.slice(values, [0, PITCH_START + NO_TONE], [rows, 1]))
      const quarters = tf.neg(tf.sum(tf.mul(deltas, negatedQuarters), 1, true))
      const leads = tf.add(this.leads, tf.sub(quarters, tf.mul(sounds, this.rules.quartersPerNote ?? 0)))
      return { struck, ticks, leads }
    })
    tf.dispose([this.struck, this.ticks, this.leads])
    this.struck = tf.keep(next.struck)
    this.ticks = tf.keep(next.ticks as tf.Tensor1D)
    this.leads = tf.keep(next.leads as tf.Tensor2D)
  }

  dispose(): void {
    tf.dispose([this.struck, this.ticks, this.leads, ...this.tables])
    this.figures?.dispose()
  }
}
