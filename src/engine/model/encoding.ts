// Node (engine). Model steps (grouped from notes by shared/music/steps.ts) as the networks see them,
// normalized with the training corpus's statistics, and back: decoding snaps the model's continuous output
// to MIDI notes and keeps the raw values beside them.
import { FEATURES, type Normalization } from '../../shared/checkpointMeta'
import {
  DEFAULT_DECODE_OPTIONS,
  snapPitch,
  soundingTones,
  type DecodeOptions,
} from '../../shared/music/decoding'
import { compareNotes, endedAtRestrike, type NoteEvent, type Piece } from '../../shared/music/piece'
import { stepOnsets, type Step } from '../../shared/music/steps'

export const FEATURE_COUNT = FEATURES.length
const [LENGTH, PITCH, INTENSITY, DELTA] = [0, 1, 2, 3]

/**
 * One part of a corpus (a piece) as its normalization needs it: per feature, the count, mean and summed
 * squared deviations of its sounding tones. Parts merge (normalizationOf) in any grouping, so pieces are
 * measured one at a time, in workers, and never all held at once.
 */
export interface Moments {
  count: number
  mean: number[]
  m2: number[]
}

export function momentsOf(steps: readonly Step[]): Moments {
  const tones = steps.flat().filter((tone) => tone.intensity > 0)
  const columns = tones.map((tone) => [tone.length, tone.pitch, tone.intensity, tone.delta])
  const count = tones.length
  const mean = [0, 1, 2, 3].map((f) =>
    count === 0 ? 0 : columns.reduce((total, values) => total + values[f], 0) / count,
  )
  // Two passes: E[x^2] - mean^2 leaves rounding noise instead of 0 for a constant like 0.1.
  const m2 = [0, 1, 2, 3].map((f) => columns.reduce((total, values) => total + (values[f] - mean[f]) ** 2, 0))
  return { count, mean, m2 }
}

/** Mean and standard deviation of each feature over the sounding tones of all parts (Chan et al.'s merge). */
export function normalizationOf(parts: readonly Moments[]): Normalization {
  let total: Moments = { count: 0, mean: [0, 0, 0, 0], m2: [0, 0, 0, 0] }
  for (const part of parts) {
    if (part.count === 0) continue
    const count = total.count + part.count
    const delta = part.mean.map((mean, f) => mean - total.mean[f])
    total = {
      count,
      mean: total.mean.map((mean, f) => mean + (delta[f] * part.count) / count),
      m2: total.m2.map((m2, f) => m2 + part.m2[f] + (delta[f] ** 2 * total.count * part.count) / count),
    }
  }
  if (total.count === 0) throw new Error('no tones to normalize')
  const { mean } = total
  const variance = total.m2.map((m2) => m2 / total.count)
  // A feature that never varies (say, every note the same length) still needs a usable scale.
  const std = variance.map((v, f) => (v > 1e-12 * Math.max(1, mean[f] ** 2) ? Math.sqrt(v) : 1))
  return { mean, std }
}

/** Steps in real units as [steps x (4 * m)] values, row by row: what encodeValues normalizes. */
export function stepValues(steps: readonly Step[]): Float64Array {
  const tonesPerStep = steps[0]?.length ?? 0
  const out = new Float64Array(steps.length * tonesPerStep * FEATURE_COUNT)
  let at = 0
  for (const step of steps) {
    for (const tone of step) {
      out.set([tone.length, tone.pitch, tone.intensity, tone.delta], at)
      at += FEATURE_COUNT
    }
  }
  return out
}

/**
 * stepValues normalized, [steps x (4 * m)]. An absent tone is encoded as the feature means (0 after
 * normalization) with intensity 0, so "no tone" is a clear, learnable value far below any real velocity.
 */
export function encodeValues(values: ArrayLike<number>, normalization: Normalization): Float32Array {
  const { mean, std } = normalization
  const out = new Float32Array(values.length)
  for (let at = 0; at < values.length; at += FEATURE_COUNT) {
    const present = values[at + INTENSITY] > 0
    for (let feature = 0; feature < FEATURE_COUNT; feature++) {
      const keep = present || feature === INTENSITY || feature === DELTA
      out[at + feature] = ((keep ? values[at + feature] : mean[feature]) - mean[feature]) / std[feature]
    }
  }
  return out
}

/** Steps to a normalized [steps x (4 * m)] array (see encodeValues). */
export function encodeSteps(steps: readonly Step[], normalization: Normalization): Float32Array {
  return encodeValues(stepValues(steps), normalization)
}

/** A normalized [steps x (4 * m)] array back to steps in real units (the model's raw output). */
export function denormalize(
  values: ArrayLike<number>,
  tonesPerStep: number,
  normalization: Normalization,
): Step[] {
  const width = tonesPerStep * FEATURE_COUNT
  const { mean, std } = normalization
  const steps: Step[] = []
  for (let at = 0; at + width <= values.length; at += width) {
    const step: Step = []
    for (let j = 0; j < tonesPerStep; j++) {
      const feature = (f: number) => values[at + j * FEATURE_COUNT + f] * std[f] + mean[f]
      step.push({
        length: feature(LENGTH),
        pitch: feature(PITCH),
        intensity: feature(INTENSITY),
        delta: feature(DELTA),
      })
    }
    steps.push(step)
  }
  return steps
}

/**
 * Snaps raw steps to notes: each tone starts at its step's onset (see stepOnsets), pitches round to the
 * nearest semitone within the range, velocities to 1-127, lengths to >= 0 and no later than the key's next
 * onset, so that a take sounds as its exported file does (`endedAtRestrike`). Quantizing to the export
 * resolution happens when the piece is written as MIDI. `modelOutput` keeps every tone, sounding or not,
 * and the piece keeps per-slot thresholds when they were given, so that the studio decodes them alike.
 */
export function stepsToPiece(steps: readonly Step[], options: DecodeOptions = DEFAULT_DECODE_OPTIONS): Piece {
  const notes: NoteEvent[] = []
  const onsets = stepOnsets(steps)
  for (const [s, step] of steps.entries()) {
    const onset = onsets[s]
    for (const tone of soundingTones(step, options)) {
      notes.push({
        onset,
        length: Math.max(0, tone.length),
        pitch: snapPitch(tone.pitch, options),
        velocity: Math.min(127, Math.max(1, Math.round(tone.intensity))),
      })
    }
  }
  notes.sort(compareNotes)
  return {
    notes: endedAtRestrike(notes),
    tempos: [],
    timeSignatures: [],
    modelOutput: steps.map((step) => step.map((tone) => ({ ...tone }))),
    ...(options.intensityThresholds && { intensityThresholds: [...options.intensityThresholds] }),
  }
}
