// Runs anywhere. What a musician can ask of a generation beside its temperature (studio.md, "Steer what it
// writes"): a key and scale, a range of keys, a rhythmic grid, a density in notes per bar, the most keys
// at once and how often its own figures come back. The CLI, the studio and the recipe name them as written
// here; the engine (drawRules.ts) turns them into the rules of each draw. Scale names and note names are
// tonal's.
import { midi as noteMidi } from '@tonaljs/note'
import { get as getScale } from '@tonaljs/scale'
import { z } from 'zod'

/** The scales offered, by the names tonal knows them by ("minor" is the natural minor). */
export const SCALES = [
  'major',
  'minor',
  'harmonic minor',
  'melodic minor',
  'dorian',
  'phrygian',
  'lydian',
  'mixolydian',
  'locrian',
  'major pentatonic',
  'minor pentatonic',
  'blues',
] as const
export type ScaleName = (typeof SCALES)[number]

/** Pitch class names as the studio shows them. */
export const TONICS = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const

/** Ten fingers; 6 of the 434,445 onsets of the 320-file corpus hold more keys (tutti of its concertos). */
export const MOST_KEYS_AT_ONCE = 10
/** The piano's keys, A0 to C8. */
export const LOWEST_PIANO_KEY = 21
export const HIGHEST_PIANO_KEY = 108

/** The notes per bar a density may ask for. */
export const DENSITY_LIMITS = { lowest: 0.5, highest: 64 } as const

const KeySchema = z.object({ tonic: z.number().int().min(0).max(11), scale: z.enum(SCALES) })
export type Key = z.infer<typeof KeySchema>

/** Straight: onsets and lengths on sixteenths. Triplets: eighth-note triplets too. Absent: free. */
export const GRIDS = ['straight', 'triplets'] as const
export type Grid = (typeof GRIDS)[number]
/** The durations, in quarter notes, whose multiples each grid allows for onsets and lengths. */
export const GRID_UNITS: Record<Grid, readonly number[]> = { straight: [1 / 4], triplets: [1 / 4, 1 / 3] }

/** How far the draws lean towards the piece's own figures: 0 not at all, 1 only towards them. */
export const RepetitionSchema = z.number().min(0).max(1)

const pianoKey = z.number().int().min(LOWEST_PIANO_KEY).max(HIGHEST_PIANO_KEY)

export const SteeringSchema = z.object({
  /** A key and scale, or 'primer': the key detected in the primer (`detectKey`). */
  key: z.union([KeySchema, z.literal('primer')]).optional(),
  /** The lowest and highest key, MIDI numbers. */
  range: z
    .object({ lowest: pianoKey, highest: pianoKey })
    .refine(({ lowest, highest }) => lowest <= highest, 'the lowest key must not lie above the highest')
    .optional(),
  grid: z.enum(GRIDS).optional(),
  /** Notes per bar. */
  density: z.number().min(DENSITY_LIMITS.lowest).max(DENSITY_LIMITS.highest).optional(),
  /** The most keys that sound at one onset. */
  maxChord: z.number().int().min(1).max(MOST_KEYS_AT_ONCE).optional(),
  /** How far the draws lean towards the piece's own figures (figureMemory.ts): the model's own without it. */
  repetition: RepetitionSchema.optional(),
})
export type Steering = z.infer<typeof SteeringSchema>

/** A key's name as typed: "D minor". */
export function keyName({ tonic, scale }: Key): string {
  return `${TONICS[tonic]} ${scale}`
}

/** The pitch classes (0 = C) of a key's scale. */
export function scalePitchClasses({ tonic, scale }: Key): number[] {
  const { chroma } = getScale(`C ${scale}`)
  return [...chroma].flatMap((bit, interval) => (bit === '1' ? [(tonic + interval) % 12] : []))
}

/** "D minor", "f# dorian", "Bb blues": a key, or a one-line reason. */
export function parseKey(text: string): Key | string {
  const match = /^\s*([A-Ga-g][#b]?)\s+(.+?)\s*$/.exec(text)
  const scale = match?.[2].toLowerCase()
  const tonicMidi = match ? noteMidi(`${match[1][0].toUpperCase()}${match[1].slice(1)}4`) : null
  if (tonicMidi === null || !SCALES.includes(scale as ScaleName)) {
    return `expected a tonic (C, C#, Db ... B) and a scale: ${SCALES.join(', ')}`
  }
  return { tonic: tonicMidi % 12, scale: scale as ScaleName }
}

/** "C3-C6" (C4 is MIDI 60): a range of piano keys, or a one-line reason. */
export function parseRange(text: string): { lowest: number; highest: number } | string {
  const [low, high, ...rest] = text.split('-').map((name) => noteMidi(name.trim()))
  const onPiano = (key: number | null | undefined): key is number =>
    key !== null && key !== undefined && key >= LOWEST_PIANO_KEY && key <= HIGHEST_PIANO_KEY
  if (rest.length > 0 || !onPiano(low) || !onPiano(high)) {
    return 'expected two piano keys from A0 to C8, lowest first, such as C3-C6 (C4 is MIDI 60)'
  }
  if (low > high) return 'the lowest key must not lie above the highest'
  return { lowest: low, highest: high }
}

/** A key of the piano as "C#4". */
export function keyLabel(pitch: number): string {
  return `${TONICS[pitch % 12]}${Math.floor(pitch / 12) - 1}`
}

/**
 * Which MIDI keys a steering allows, as a function of the pitch, with `key` already resolved (a primer's
 * detected key in place of 'primer').
 */
export function allowsPitch(steering: Steering, key: Key | undefined): (pitch: number) => boolean {
  const classes = key ? new Set(scalePitchClasses(key)) : null
  const { range } = steering
  return (pitch) =>
    (!classes || classes.has(pitch % 12)) && (!range || (pitch >= range.lowest && pitch <= range.highest))
}

/** The allowed key nearest to `pitch` (the lower of two as near): how the paper's generator is steered. */
export function nearestAllowedPitch(pitch: number, allows: (pitch: number) => boolean): number {
  const rounded = Math.min(HIGHEST_PIANO_KEY, Math.max(LOWEST_PIANO_KEY, Math.round(pitch)))
  for (let distance = 0; distance <= HIGHEST_PIANO_KEY - LOWEST_PIANO_KEY; distance++) {
    for (const candidate of [rounded - distance, rounded + distance]) {
      if (candidate >= LOWEST_PIANO_KEY && candidate <= HIGHEST_PIANO_KEY && allows(candidate))
        return candidate
    }
  }
  throw new Error('the steering allows no key of the piano')
}

// Krumhansl and Kessler's key profiles (1982): how well each pitch class fits a major and a minor key on C.
const MAJOR_PROFILE = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]
const MINOR_PROFILE = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]

function correlation(a: readonly number[], b: readonly number[]): number {
  const mean = (x: readonly number[]) => x.reduce((s, v) => s + v, 0) / x.length
  const [ma, mb] = [mean(a), mean(b)]
  let [ab, aa, bb] = [0, 0, 0]
  a.forEach((_, i) => {
    ab += (a[i] - ma) * (b[i] - mb)
    aa += (a[i] - ma) ** 2
    bb += (b[i] - mb) ** 2
  })
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0
}

/**
 * The major or minor key whose profile best fits the notes' pitch classes weighted by length (the
 * Krumhansl-Schmuckler algorithm); C major for no notes.
 */
export function detectKey(notes: readonly { pitch: number; length: number }[]): Key {
  const weights = new Array<number>(12).fill(0)
  // A zero-length note still names its pitch class.
  for (const { pitch, length } of notes) weights[pitch % 12] += Math.max(length, 1 / 16)
  let best: Key = { tonic: 0, scale: 'major' }
  let bestFit = -Infinity
  for (const [scale, profile] of [
    ['major', MAJOR_PROFILE],
    ['minor', MINOR_PROFILE],
  ] as const) {
    for (let tonic = 0; tonic < 12; tonic++) {
      const rotated = profile.map((_, pc) => profile[(pc - tonic + 12) % 12])
      const fit = correlation(weights, rotated)
      if (fit > bestFit) [best, bestFit] = [{ tonic, scale }, fit]
    }
  }
  return best
}
