import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { FEATURES } from '../../shared/checkpointMeta'
import { selectBackend } from '../process/backend'
import { createRandom } from '../random'
import { ChordRule, DeviceChordRule, EXCLUDED, MOST_KEYS_AT_ONCE } from './chordRule'
import { CLASS_COUNTS, GROUP_OFFSETS, NO_TONE, TONE_WIDTH } from './toneClasses'

const PITCH = GROUP_OFFSETS[FEATURES.indexOf('pitch')]
const DELTA = GROUP_OFFSETS[FEATURES.indexOf('delta')]
const JOINS = 0
const LATER = 3

/** One tone's logits: zeros, but for the given classes. */
function toneLogits(values: [number, number][]): Float32Array {
  const logits = new Float32Array(TONE_WIDTH)
  for (const [at, value] of values) logits[at] = value
  return logits
}

/** A perturbation that draws `delta` whatever the logits, and lets the logits decide the pitch. */
function drawing(delta: number): Float32Array {
  const perturbation = new Float32Array(TONE_WIDTH)
  perturbation[DELTA + delta] = 100
  return perturbation
}

/** log(sum of exp) of the pitch logits, over the classes `keep` keeps. */
function logMass(logits: Float32Array, keep: (c: number) => boolean): number {
  let total = 0
  for (let c = 0; c < CLASS_COUNTS[FEATURES.indexOf('pitch')]; c++) {
    if (keep(c)) total += Math.exp(logits[PITCH + c])
  }
  return Math.log(total)
}

beforeAll(async () => {
  await selectBackend('wasm')
})

describe('ChordRule', () => {
  it('leaves the first tone of a generation as G gives it', () => {
    const logits = toneLogits([[PITCH + 39, 3]])
    const before = logits.slice()
    new ChordRule(1, 1).restrict(logits, drawing(JOINS), 0, 0)
    expect(logits).toEqual(before)
  })

  it("keeps, for joining the onset, only the weight of the keys still free, and draws a joining tone's key among them", () => {
    const rule = new ChordRule(1, 1)
    rule.follow(0, 39, LATER)
    rule.follow(0, 43, JOINS)
    const logits = toneLogits([
      [PITCH + 39, 4],
      [PITCH + 43, 2],
      [PITCH + 46, 1],
      [DELTA + JOINS, 0.5],
    ])
    const original = logits.slice()
    rule.restrict(logits, drawing(JOINS), 0, 0)
    const free = logMass(original, (c) => c !== 39 && c !== 43)
    const all = logMass(original, () => true)
    expect(logits[DELTA + JOINS]).toBeCloseTo(0.5 + free - all, 5)
    expect([logits[PITCH + 39], logits[PITCH + 43]]).toEqual([EXCLUDED, EXCLUDED])
    expect(logits[PITCH + 46]).toBe(1)
    expect(logits[PITCH + NO_TONE]).toBe(0)
  })

  it('scales the weight by the temperature, and at temperature 0 compares the likeliest keys', () => {
    for (const temperature of [0.5, 0]) {
      const rule = new ChordRule(1, temperature)
      rule.follow(0, 39, LATER)
      const logits = toneLogits([
        [PITCH + 39, 4],
        [PITCH + 46, 1],
      ])
      rule.restrict(logits, drawing(LATER), 0, 0)
      // Temperature 0: the likeliest free key (46) lies 3 below the likeliest key (39).
      const expected =
        temperature === 0
          ? -3
          : temperature * (Math.log(Math.exp(2) + 87) - Math.log(Math.exp(8) + Math.exp(2) + 87))
      expect(logits[DELTA + JOINS]).toBeCloseTo(expected, 5)
      // A tone drawn at a later onset may strike any key.
      expect(logits[PITCH + 39]).toBe(4)
    }
  })

  it(`lets no more than ${MOST_KEYS_AT_ONCE} keys sound at one onset, and starts afresh at the next`, () => {
    const rule = new ChordRule(2, 1)
    rule.follow(0, 0, LATER)
    for (let key = 1; key < MOST_KEYS_AT_ONCE; key++) rule.follow(0, key, JOINS)
    rule.follow(1, 5, LATER)
    const full = toneLogits([[DELTA + JOINS, 5]])
    const open = toneLogits([[DELTA + JOINS, 5]])
    rule.restrict(full, drawing(LATER), 0, 0)
    rule.restrict(open, drawing(LATER), 0, 1)
    expect(full[DELTA + JOINS]).toBe(EXCLUDED)
    expect(open[DELTA + JOINS]).toBeGreaterThan(4)
    rule.follow(0, 20, LATER)
    const next = toneLogits([[DELTA + JOINS, 5]])
    rule.restrict(next, drawing(JOINS), 0, 0)
    expect(next[DELTA + JOINS]).toBeGreaterThan(4)
    expect(next[PITCH + 20]).toBe(EXCLUDED)
    expect(next[PITCH + 0]).toBe(0)
  })

  it('rewrites the logits as the same rule in tensor ops does', () => {
    const rows = 6
    const random = createRandom(5)
    const normal = (scale: number) =>
      Float32Array.from({ length: rows * TONE_WIDTH }, () => scale * (random.next() - 0.5))
    const onCpu = new ChordRule(rows, 0.8)
    const onDevice = new DeviceChordRule(rows, 0.8)
    let excludedKeys = 0
    let fullOnsets = 0
    try {
      for (let step = 0; step < 14; step++) {
        const logits = normal(8)
        const perturbation = normal(4)
        // Joining is likely, so that the onsets fill up.
        for (let row = 0; row < rows; row++) logits[row * TONE_WIDTH + DELTA + JOINS] += 6
        const expected = logits.slice()
        for (let row = 0; row < rows; row++) onCpu.restrict(expected, perturbation, row * TONE_WIDTH, row)
        const shape: [number, number] = [rows, TONE_WIDTH]
        const restricted = tf.tidy(() =>
          onDevice.restrict(tf.tensor2d(logits, shape), tf.tensor2d(perturbation, shape)).dataSync(),
        )
        expect(Array.from(restricted).map((x) => Math.round(x * 1e4))).toEqual(
          Array.from(expected).map((x) => Math.round(x * 1e4)),
        )
        // Draw each row's largest perturbed pitch and delta, and let both rules follow it.
        const drawn = new Float32Array(rows * TONE_WIDTH)
        for (let row = 0; row < rows; row++) {
          const at = row * TONE_WIDTH
          const largest = (start: number, count: number) => {
            let best = 0
            for (let c = 1; c < count; c++) {
              if (
                expected[at + start + c] + perturbation[at + start + c] >
                expected[at + start + best] + perturbation[at + start + best]
              )
                best = c
            }
            return best
          }
          drawn[at + PITCH + largest(PITCH, CLASS_COUNTS[FEATURES.indexOf('pitch')])] = 1
          drawn[at + DELTA + largest(DELTA, CLASS_COUNTS[FEATURES.indexOf('delta')])] = 1
        }
        for (let row = 0; row < rows; row++) {
          const at = row * TONE_WIDTH
          excludedKeys += expected.subarray(at + PITCH, at + DELTA).filter((x) => x === EXCLUDED).length
          fullOnsets += expected[at + DELTA + JOINS] === EXCLUDED ? 1 : 0
        }
        onCpu.followOneHot(drawn)
        tf.tidy(() => onDevice.follow(tf.tensor2d(drawn, shape)))
      }
    } finally {
      onDevice.dispose()
    }
    // The steps reached both parts of the rule.
    expect(excludedKeys).toBeGreaterThan(0)
    expect(fullOnsets).toBeGreaterThan(0)
  })
})
