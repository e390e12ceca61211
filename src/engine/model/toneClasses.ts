// Node (engine). The classes a sampling generator chooses each tone's four values from (model.md sec. 2a):
// pitch among the piano's 88 keys or "no tone", length and delta among musical durations, velocity among
// 32 bands. A tone is stored as four class numbers; the networks see each as a one-hot group.
import { FEATURES } from '../../shared/checkpointMeta'
import type { Quadruplet } from '../../shared/music/piece'
import type { Step } from '../../shared/music/steps'

export const LOWEST_KEY = 21
export const PIANO_KEYS = 88
/** The pitch class of an absent tone (a C-RNN-GAN-3 slot that stays silent). */
export const NO_TONE = PIANO_KEYS

/**
 * Durations in quarter notes: the binary and triplet values of 64th notes to two whole notes, with their
 * dotted forms. In the 320-file corpus 97% of deltas and 76% of lengths lie on a 1/48 grid; the rest are
 * played a little short or long, and snap to the nearest duration by ratio.
 */
export const DURATIONS = [
  0,
  1 / 48,
  1 / 24,
  1 / 16,
  1 / 12,
  1 / 8,
  1 / 6,
  3 / 16,
  1 / 4,
  1 / 3,
  3 / 8,
  5 / 12,
  1 / 2,
  2 / 3,
  3 / 4,
  1,
  5 / 4,
  4 / 3,
  3 / 2,
  2,
  5 / 2,
  3,
  4,
  6,
  8,
] as const

const VELOCITY_BAND = 4
const VELOCITY_CLASSES = 128 / VELOCITY_BAND

/** Classes per feature, in the order of FEATURES (length, pitch, intensity, delta). */
export const CLASS_COUNTS = FEATURES.map((feature) =>
  feature === 'pitch' ? PIANO_KEYS + 1 : feature === 'intensity' ? VELOCITY_CLASSES : DURATIONS.length,
)
/** One-hot values per tone: the four groups side by side. */
export const TONE_WIDTH = CLASS_COUNTS.reduce((a, b) => a + b, 0)
/** Where each feature's group starts within a tone's one-hot values. */
export const GROUP_OFFSETS = CLASS_COUNTS.map((_, f) => CLASS_COUNTS.slice(0, f).reduce((a, b) => a + b, 0))

/** Shorter than a 96th note counts as 0: simultaneous onsets, or a zero-length note. */
const SHORTEST = 1 / 96

/** The nearest duration by ratio (a 0.479-quarter note is a slightly short eighth, not a dotted sixteenth). */
export function durationClass(quarters: number): number {
  if (!(quarters >= SHORTEST)) return 0
  let best = 1
  for (let c = 2; c < DURATIONS.length; c++) {
    if (Math.abs(Math.log(quarters / DURATIONS[c])) < Math.abs(Math.log(quarters / DURATIONS[best]))) best = c
  }
  return best
}

/** A MIDI pitch moved by octaves onto the piano's keys, as a class. */
export function pitchClass(pitch: number): number {
  let key = Math.round(pitch) - LOWEST_KEY
  while (key < 0) key += 12
  while (key >= PIANO_KEYS) key -= 12
  return key
}

const velocityClass = (velocity: number) =>
  Math.min(VELOCITY_CLASSES - 1, Math.max(0, Math.floor(velocity / VELOCITY_BAND)))

/** A tone's four classes, in the order of FEATURES. An absent tone keeps its delta and nothing else. */
export function toneToClasses(tone: Quadruplet): number[] {
  const present = tone.intensity > 0
  return [
    present ? durationClass(tone.length) : 0,
    present ? pitchClass(tone.pitch) : NO_TONE,
    present ? velocityClass(tone.intensity) : 0,
    durationClass(tone.delta),
  ]
}

/** The tone four classes stand for: the duration itself, the key, the middle of the velocity band. */
export function classesToTone([length, pitch, velocity, delta]: readonly number[]): Quadruplet {
  const present = pitch !== NO_TONE
  return {
    length: present ? DURATIONS[length] : 0,
    pitch: present ? LOWEST_KEY + pitch : 0,
    intensity: present ? velocity * VELOCITY_BAND + VELOCITY_BAND / 2 : 0,
    delta: DURATIONS[delta],
  }
}

/** Steps to class numbers, [steps x (4 * m)] row by row. */
export function stepsToClasses(steps: readonly Step[]): Float32Array {
  const tonesPerStep = steps[0]?.length ?? 0
  const out = new Float32Array(steps.length * tonesPerStep * FEATURES.length)
  let at = 0
  for (const step of steps) {
    for (const tone of step) {
      out.set(toneToClasses(tone), at)
      at += FEATURES.length
    }
  }
  return out
}

/** The class of each group in one-hot values [steps x (m * TONE_WIDTH)]: the largest value of each group. */
export function oneHotToClasses(values: ArrayLike<number>, tonesPerStep: number): number[][][] {
  const width = tonesPerStep * TONE_WIDTH
  const steps: number[][][] = []
  for (let at = 0; at + width <= values.length; at += width) {
    steps.push(
      Array.from({ length: tonesPerStep }, (_, j) =>
        CLASS_COUNTS.map((count, f) => {
          const start = at + j * TONE_WIDTH + GROUP_OFFSETS[f]
          let best = 0
          for (let c = 1; c < count; c++) if (values[start + c] > values[start + best]) best = c
          return best
        }),
      ),
    )
  }
  return steps
}
