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
import { compareNotes, type NoteEvent, type Piece } from '../../shared/music/piece'
import { stepOnsets, type Step } from '../../shared/music/steps'

export const FEATURE_COUNT = FEATURES.length
const [LENGTH, PITCH, INTENSITY, DELTA] = [0, 1, 2, 3]

/** Mean and standard deviation of each feature over the sounding tones of all steps. */
export function normalizationOf(stepLists: readonly (readonly Step[])[]): Normalization {
  const tones = stepLists.flatMap((steps) => steps.flat()).filter((tone) => tone.intensity > 0)
  if (tones.length === 0) throw new Error('no tones to normalize')
  const columns = tones.map((tone) => [tone.length, tone.pitch, tone.intensity, tone.delta])
  const mean = [0, 1, 2, 3].map((f) => columns.reduce((total, values) => total + values[f], 0) / tones.length)
  // Two passes: E[x^2] - mean^2 leaves rounding noise instead of 0 for a constant like 0.1.
  const variance = [0, 1, 2, 3].map(
    (f) => columns.reduce((total, values) => total + (values[f] - mean[f]) ** 2, 0) / tones.length,
  )
  // A feature that never varies (say, every note the same length) still needs a usable scale.
  const std = variance.map((v, f) => (v > 1e-12 * Math.max(1, mean[f] ** 2) ? Math.sqrt(v) : 1))
  return { mean, std }
}

/**
 * Steps to a normalized [steps x (4 * m)] array. An absent tone is encoded as the feature means (0 after
 * normalization) with intensity 0, so "no tone" is a clear, learnable value far below any real velocity.
 */
export function encodeSteps(steps: readonly Step[], normalization: Normalization): Float32Array {
  const tonesPerStep = steps[0]?.length ?? 0
  const width = tonesPerStep * FEATURE_COUNT
  const { mean, std } = normalization
  const out = new Float32Array(steps.length * width)
  steps.forEach((step, s) => {
    step.forEach((tone, j) => {
      const at = s * width + j * FEATURE_COUNT
      const present = tone.intensity > 0
      const raw = [tone.length, tone.pitch, tone.intensity, tone.delta]
      for (let feature = 0; feature < FEATURE_COUNT; feature++) {
        const value = present || feature === INTENSITY || feature === DELTA ? raw[feature] : mean[feature]
        out[at + feature] = (value - mean[feature]) / std[feature]
      }
    })
  })
  return out
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
 * nearest semitone within the range, velocities to 1-127, lengths to >= 0. Quantizing to the export
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
    notes,
    tempos: [],
    timeSignatures: [],
    modelOutput: steps.map((step) => step.map((tone) => ({ ...tone }))),
    ...(options.intensityThresholds && { intensityThresholds: [...options.intensityThresholds] }),
  }
}
