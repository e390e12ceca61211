// Node. `cadenza generate`'s steering options: each value as typed, checked, into the Steering that the
// engine takes (steering.ts). A bad value is refused in one line that says what is allowed.
import { InvalidArgumentError, Option } from 'commander'
import {
  DENSITY_LIMITS,
  MOST_KEYS_AT_ONCE,
  parseKey,
  parseRange,
  SCALES,
  type Grid,
  type Steering,
} from '../shared/music/steering'

/** What the grid is called on the command line: sixteenths, eighth-note triplets, or none. */
const GRID_NAMES: Partial<Record<string, Grid | 'free'>> = {
  '16': 'straight',
  '8t': 'triplets',
  free: 'free',
}

function scale(value: string): NonNullable<Steering['key']> {
  if (value.trim().toLowerCase() === 'primer') return 'primer'
  const key = parseKey(value)
  if (typeof key === 'string') throw new InvalidArgumentError(`${key}; or "primer"`)
  return key
}

function grid(value: string): Grid | 'free' {
  const named = GRID_NAMES[value]
  if (!named) throw new InvalidArgumentError(`expected one of ${Object.keys(GRID_NAMES).join(', ')}`)
  return named
}

function range(value: string): NonNullable<Steering['range']> {
  const parsed = parseRange(value)
  if (typeof parsed === 'string') throw new InvalidArgumentError(parsed)
  return parsed
}

function density(value: string): number {
  const number = Number(value)
  const { lowest, highest } = DENSITY_LIMITS
  if (value.trim() === '' || !(number >= lowest && number <= highest)) {
    throw new InvalidArgumentError(`expected notes per bar, from ${lowest} to ${highest}`)
  }
  return number
}

function chordSize(value: string): number {
  const number = Number(value)
  if (!/^\d+$/.test(value) || number < 1 || number > MOST_KEYS_AT_ONCE) {
    throw new InvalidArgumentError(`expected a whole number from 1 to ${MOST_KEYS_AT_ONCE}`)
  }
  return number
}

/** `--repetition`, described as `what`. */
export const repetitionOption = (what: string) =>
  new Option('--repetition <weight>', what).argParser(repetition)

function repetition(value: string): number {
  const number = Number(value)
  if (value.trim() === '' || !(number >= 0 && number <= 1)) {
    throw new InvalidArgumentError('expected a weight from 0 (never) to 1 (only its own figures)')
  }
  return number
}

export interface SteeringOptions {
  scale?: Steering['key']
  range?: Steering['range']
  grid?: Grid | 'free'
  density?: number
  maxChord?: number
  repetition?: number
}

export const steeringOptions = (): Option[] => [
  new Option(
    '--scale <key>',
    `draw only the tones of a key: a tonic (C, C#, Db ... B) and a scale (${SCALES.join(', ')}), ` +
      `such as "D minor"; or "primer": the primer's own key`,
  ).argParser(scale),
  new Option(
    '--range <keys>',
    'draw only keys from the lowest to the highest, such as C3-C6 (C4 is MIDI 60)',
  ).argParser(range),
  new Option(
    '--grid <grid>',
    'onsets and lengths on sixteenths (16), with eighth-note triplets too (8t), or free',
  ).argParser(grid),
  new Option('--density <notes>', "notes per bar, sparser or busier than the model's own").argParser(density),
  new Option('--max-chord <n>', `at most this many keys at once (1 to ${MOST_KEYS_AT_ONCE})`).argParser(
    chordSize,
  ),
  repetitionOption(
    "how far the draws lean towards the piece's own figures: 0 never, 1 only (default: the model's own)",
  ),
]

/** The steering the options ask for, or none. */
export function steeringOf({
  scale,
  range,
  grid,
  density,
  maxChord,
  repetition,
}: SteeringOptions): Steering | undefined {
  const steering: Steering = {
    ...(scale !== undefined && { key: scale }),
    ...(range !== undefined && { range }),
    ...(grid !== undefined && grid !== 'free' && { grid }),
    ...(density !== undefined && { density }),
    ...(maxChord !== undefined && { maxChord }),
    ...(repetition !== undefined && { repetition }),
  }
  return Object.keys(steering).length > 0 ? steering : undefined
}
