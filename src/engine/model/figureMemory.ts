// Node (engine). A sampling generator's memory of its own figures: the draw of a tone's pitch and delta leans
// towards what followed the last times the previous pitch sounded, as a musician plays a figure again. G
// alone seldom does: over windows of 4 bars its 3-tone figures recur a quarter as often as in real pieces
// (docs/model-experiments.md, "Figures played again"). It is a cache model (Kuhn and De Mori 1990; Grave et
// al. 2017 for neural language models): at `weight` w the draw is from (1 - w) G's distribution + w the
// cache's, where each of the row's last WINDOW tones whose pitch is the previous tone's votes for the tone
// that followed it, the more recent the more (DECAY a tone back), three times as much where the tone before
// it also matches. Primed tones count as played. At temperature 0 nothing is drawn, so nothing leans.
// The rules (drawRules.ts) lean G's logits first and restrict them after: `FigureMemory` for their RowRules,
// on values read back, and `DeviceFigureMemory` for their DeviceRules, on tensors; both make the same draws.
import * as tf from '@tensorflow/tfjs'
import { FEATURES } from '../../shared/checkpointMeta'
import { EXCLUDED } from './drawRules'
import { CLASS_COUNTS, GROUP_OFFSETS } from './toneClasses'

/** The tones a row's votes come from. */
const WINDOW = 64
/** The tones a row remembers: its latest, the WINDOW before it, and the one before those (`before` below). */
const MEMORY = WINDOW + 2
/** A vote's weight per tone further back. */
const DECAY = 0.97
/** A vote's weight where the two tones before it match the last two, against one where only one does. */
const CONTEXT = 3

const PITCH = FEATURES.indexOf('pitch')
const DELTA = FEATURES.indexOf('delta')
/** The groups that lean: the pitch and the delta, what makes a figure. */
const LEANING = [PITCH, DELTA] as const
/** The pitch's place among LEANING. */
const PITCH_GROUP = LEANING.indexOf(PITCH)
/** Each vote's decay, float32: the vote k tones back (k from 1) weighs DECAYS[k - 1]. */
const DECAYS = Float32Array.from({ length: WINDOW }, (_, k) => DECAY ** k)

/** The figure memory of rows of one tone per step, on values read back. */
export class FigureMemory {
  /** Per row, its last MEMORY tones' classes per leaning group, the latest first: [rows, LEANING, MEMORY]. */
  private readonly played: Int16Array
  /** Per row, how many tones it remembers. */
  private readonly counts: Int32Array
  private readonly votes = LEANING.map((f) => new Float64Array(CLASS_COUNTS[f]))

  constructor(
    rows: number,
    private readonly weight: number,
    /** The temperatures of the leaning groups' draws, in FEATURES order. */
    private readonly temperatures: readonly number[],
  ) {
    this.played = new Int16Array(rows * LEANING.length * MEMORY)
    this.counts = new Int32Array(rows)
  }

  /** The class of group `g` (of LEANING) of `row`'s tone `back` tones before its latest. */
  private class(row: number, g: number, back: number): number {
    return this.played[(row * LEANING.length + g) * MEMORY + back]
  }

  /** Remembers `row`'s latest tone, given (a primer's) or drawn: its pitch and delta classes. */
  remember(row: number, pitch: number, delta: number): void {
    ;[pitch, delta].forEach((value, g) => {
      const at = (row * LEANING.length + g) * MEMORY
      this.played.copyWithin(at + 1, at, at + MEMORY - 1)
      this.played[at] = value
    })
    this.counts[row] = Math.min(MEMORY, this.counts[row] + 1)
  }

  /**
   * Rewrites `row`'s tone logits at `at` in `logits`, as G gave them, to lean towards its figures where it
   * has any. They stay finite, at EXCLUDED or above.
   */
  lean(logits: Float32Array, at: number, row: number): void {
    const count = this.counts[row]
    const last = this.class(row, PITCH_GROUP, 0)
    this.votes.forEach((votes) => votes.fill(0))
    let total = 0
    for (let back = 1; back < Math.min(count, WINDOW + 1); back++) {
      if (this.class(row, PITCH_GROUP, back) !== last) continue
      const before =
        count > back + 1 && this.class(row, PITCH_GROUP, back + 1) === this.class(row, PITCH_GROUP, 1)
      const vote = Math.fround(DECAYS[back - 1] * (before ? CONTEXT : 1))
      LEANING.forEach((_, g) => (this.votes[g][this.class(row, g, back - 1)] += vote))
      total += vote
    }
    if (total === 0) return
    LEANING.forEach((f, g) => {
      const temperature = this.temperatures[f]
      if (temperature === 0) return
      const start = at + GROUP_OFFSETS[f]
      const size = CLASS_COUNTS[f]
      let largest = -Infinity
      for (let c = 0; c < size; c++) largest = Math.max(largest, logits[start + c] / temperature)
      let sum = 0
      for (let c = 0; c < size; c++) sum += Math.exp(logits[start + c] / temperature - largest)
      for (let c = 0; c < size; c++) {
        const drawn = Math.exp(logits[start + c] / temperature - largest) / sum
        const mixed = (1 - this.weight) * drawn + (this.weight * this.votes[g][c]) / total
        logits[start + c] = Math.max(EXCLUDED, Math.fround(temperature * Math.log(mixed)))
      }
    })
  }
}

/** `FigureMemory` as tensor ops, for backends whose values cannot be read back during a generation. */
export class DeviceFigureMemory {
  /** Per leaning group, the rows' last MEMORY tones as one-hots, the latest first: [rows, MEMORY, classes]. */
  private played: tf.Tensor3D[]
  private readonly decays: tf.Tensor2D

  constructor(
    rows: number,
    private readonly weight: number,
    private readonly temperatures: readonly number[],
  ) {
    this.played = LEANING.map((f) => tf.keep(tf.zeros([rows, MEMORY, CLASS_COUNTS[f]])))
    this.decays = tf.keep(tf.tensor2d(DECAYS, [1, WINDOW]))
  }

  /** `FigureMemory.remember` for every row: its tone in one-hot `values` [rows, TONE_WIDTH]. */
  remember(values: tf.Tensor2D): void {
    const rows = values.shape[0]
    const next = LEANING.map((f, g) =>
      tf.keep(
        tf.tidy(() => {
          const latest = tf.slice(values, [0, GROUP_OFFSETS[f]], [rows, CLASS_COUNTS[f]]).expandDims(1)
          const kept = tf.slice(this.played[g], [0, 0, 0], [rows, MEMORY - 1, CLASS_COUNTS[f]])
          return tf.concat([latest, kept], 1) as tf.Tensor3D
        }),
      ),
    )
    tf.dispose(this.played)
    this.played = next
  }

  /** `FigureMemory.lean` on a step's logits [rows, TONE_WIDTH] as G gave them: the rewritten logits. */
  lean(logits: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const rows = logits.shape[0]
      const pitches = this.played[PITCH_GROUP]
      const tones = (from: number, played = pitches) =>
        tf.slice(played, [0, from, 0], [rows, WINDOW, played.shape[2]])
      /** How alike each remembered tone's pitch (from `from` back) is to the tone `to` back: 1 or 0. */
      const matches = (from: number, to: number) =>
        tf.sum(tf.mul(tones(from), tf.slice(pitches, [0, to, 0], [rows, 1, pitches.shape[2]])), 2)
      const before = matches(2, 1)
      const votes = tf.mul(tf.mul(matches(1, 0), tf.add(1, tf.mul(before, CONTEXT - 1))), this.decays)
      const total = tf.sum(votes, 1, true)
      const leaning = tf.greater(total, 0)
      const groups = LEANING.map((f, g) => {
        const start = GROUP_OFFSETS[f]
        const group = tf.slice(logits, [0, start], [rows, CLASS_COUNTS[f]])
        const temperature = this.temperatures[f]
        if (temperature === 0) return group
        const voted = tf.squeeze(tf.matMul(tf.expandDims(votes, 1), tones(0, this.played[g])), [1])
        // A row with votes has at least the farthest one's weight; one without keeps G's logits below.
        const cache = tf.div(voted, tf.maximum(total, DECAYS[WINDOW - 1]))
        const mixed = tf.add(
          tf.mul(tf.softmax(tf.div(group, temperature)), 1 - this.weight),
          tf.mul(cache, this.weight),
        )
        const leant = tf.maximum(tf.mul(tf.log(mixed), temperature), EXCLUDED)
        return tf.where(tf.broadcastTo(leaning, group.shape), leant, group)
      })
      // In FEATURES order: length, pitch, intensity, delta.
      const [pitch, delta] = groups
      const pitchStart = GROUP_OFFSETS[PITCH]
      const afterPitch = pitchStart + CLASS_COUNTS[PITCH]
      return tf.concat(
        [
          tf.slice(logits, [0, 0], [rows, pitchStart]),
          pitch,
          tf.slice(logits, [0, afterPitch], [rows, GROUP_OFFSETS[DELTA] - afterPitch]),
          delta,
        ],
        1,
      ) as tf.Tensor2D
    })
  }

  dispose(): void {
    tf.dispose([...this.played, this.decays])
  }
}
