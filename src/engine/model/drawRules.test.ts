import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { FEATURES } from '../../shared/checkpointMeta'
import { PRESETS } from '../../shared/modelSettings'
import { allowsPitch, MOST_KEYS_AT_ONCE } from '../../shared/music/steering'
import { selectBackend } from '../process/backend'
import { createRandom } from '../random'
import { DeviceRules, DrawRules, EXCLUDED, RowRules } from './drawRules'
import { Generator } from './networks'
import { CLASS_COUNTS, DURATIONS, GROUP_OFFSETS, LOWEST_KEY, NO_TONE, TONE_WIDTH } from './toneClasses'

// The device's path (WebGPU's) is taken on WebAssembly too when values are said not to be readable.
const path = vi.hoisted(() => ({ onDevice: false }))
vi.mock('./readValues', async (original) => ({
  ...(await original<typeof import('./readValues')>()),
  canReadSynchronously: () => !path.onDevice,
}))

const PITCH = GROUP_OFFSETS[FEATURES.indexOf('pitch')]
const DELTA = GROUP_OFFSETS[FEATURES.indexOf('delta')]
const LENGTH = GROUP_OFFSETS[FEATURES.indexOf('length')]
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

describe('the chord rule', () => {
  it('leaves the first tone of a generation as G gives it', () => {
    const logits = toneLogits([[PITCH + 39, 3]])
    const before = logits.slice()
    new RowRules(new DrawRules(), 1, 1).restrict(logits, drawing(JOINS), 0, 0)
    expect(logits).toEqual(before)
  })

  it("keeps, for joining the onset, only the weight of the keys still free, and draws a joining tone's key among them", () => {
    const rule = new RowRules(new DrawRules(), 1, 1)
    rule.follow(0, 39, LATER, true)
    rule.follow(0, 43, JOINS, true)
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
      const rule = new RowRules(new DrawRules(), 1, temperature)
      rule.follow(0, 39, LATER, true)
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
    const rule = new RowRules(new DrawRules(), 2, 1)
    rule.follow(0, 0, LATER, true)
    for (let key = 1; key < MOST_KEYS_AT_ONCE; key++) rule.follow(0, key, JOINS, true)
    rule.follow(1, 5, LATER, true)
    const full = toneLogits([[DELTA + JOINS, 5]])
    const open = toneLogits([[DELTA + JOINS, 5]])
    rule.restrict(full, drawing(LATER), 0, 0)
    rule.restrict(open, drawing(LATER), 0, 1)
    expect(full[DELTA + JOINS]).toBe(EXCLUDED)
    expect(open[DELTA + JOINS]).toBeGreaterThan(4)
    rule.follow(0, 20, LATER, true)
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
    const onCpu = new RowRules(new DrawRules(), rows, 0.8)
    const onDevice = new DeviceRules(new DrawRules(), rows, 0.8)
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
        tf.tidy(() => onDevice.follow(tf.tensor2d(drawn, shape), true))
      }
    } finally {
      onDevice.dispose()
    }
    // The steps reached both parts of the rule.
    expect(excludedKeys).toBeGreaterThan(0)
    expect(fullOnsets).toBeGreaterThan(0)
  })
})

describe('the steering rules', () => {
  const D_MINOR_FROM_C3_TO_C6 = allowsPitch(
    { range: { lowest: 48, highest: 84 } },
    { tonic: 2, scale: 'minor' },
  )

  it('rules out, whatever was drawn before, the keys outside the scale and range and the lengths off the grid', () => {
    const fixed = new DrawRules({ allowsPitch: D_MINOR_FROM_C3_TO_C6, grid: 'straight' }).fixedStep(
      2 * TONE_WIDTH,
    )!
    for (const tone of [0, TONE_WIDTH]) {
      const pitches = Array.from({ length: NO_TONE + 1 }, (_, c) => fixed[tone + PITCH + c] === 0)
      expect(pitches[NO_TONE]).toBe(true)
      expect(pitches.slice(0, NO_TONE)).toEqual(
        pitches.slice(0, NO_TONE).map((_, c) => D_MINOR_FROM_C3_TO_C6(LOWEST_KEY + c)),
      )
      const lengths = DURATIONS.filter((_, c) => fixed[tone + LENGTH + c] === 0)
      expect(lengths).toEqual([1 / 4, 1 / 2, 3 / 4, 1, 5 / 4, 3 / 2, 2, 5 / 2, 3, 4, 6, 8])
    }
    expect(new DrawRules().fixedStep(TONE_WIDTH)).toBeNull()
    expect(() => new DrawRules({ allowsPitch: () => false })).toThrow(
      'the steering allows no key of the piano',
    )
  })

  it('keeps an onset on the grid, and brings one that is off it back in the fewest steps', () => {
    const rules = new DrawRules({ grid: 'triplets' })
    const allowed = (tick: number) =>
      DURATIONS.filter((_, c) => rules.onsets![tick * DURATIONS.length + c] === 0)
    // On the beat: every sixteenth and eighth-note triplet, and joining the onset.
    expect(allowed(0)).toEqual(DURATIONS.filter((d) => Number.isInteger(d * 4) || Number.isInteger(d * 3)))
    // A sixteenth-note triplet after the beat (4 of 48 ticks): the deltas that land on a sixteenth or triplet.
    expect(allowed(4)).toEqual([1 / 6, 1 / 4, 5 / 12, 2 / 3, 5 / 4])
    // A 48th after the beat, on a straight grid: no delta lands on a sixteenth (12 ticks), but a 1/24 lands
    // where a sixteenth's 3/16 does.
    const straight = new DrawRules({ grid: 'straight' })
    const fromFirstTick = DURATIONS.filter((_, c) => straight.onsets![1 * DURATIONS.length + c] === 0)
    expect(fromFirstTick).toContain(1 / 24)
    expect(fromFirstTick.every((d) => ![0, 1 / 4, 1 / 2, 1].includes(d))).toBe(true)
    expect(new DrawRules({ grid: 'straight', start: 2.25 }).startTick).toBe(12)
  })

  it('tilts the deltas toward shorter ones while the notes lag behind the density, never touching a chord', () => {
    const rules = new RowRules(new DrawRules({ density: { notesPerBar: 16, barQuarters: 4 } }), 1, 1)
    // A whole note for one note, where four were asked for.
    rules.follow(0, 40, DURATIONS.indexOf(4), true)
    const logits = new Float32Array(TONE_WIDTH)
    rules.restrict(logits, new Float32Array(TONE_WIDTH), 0, 0)
    const delta = (quarters: number) => logits[DELTA + DURATIONS.indexOf(quarters)]
    expect(delta(1 / 4)).toBeLessThan(0)
    expect(delta(2)).toBeLessThan(delta(1 / 4))
    expect(logits[DELTA + JOINS]).toBeGreaterThan(delta(1 / 4))
  })

  for (const meter of [false, true]) {
    it(`draws the same on the device as on values read back, under every rule${meter ? ', with a meter' : ''}`, () => {
      const generator = new Generator(
        { ...PRESETS.quick.model, hiddenUnits: 8, output: 'sampled', meter },
        17,
      )
      const rules = new DrawRules({
        allowsPitch: D_MINOR_FROM_C3_TO_C6,
        grid: 'triplets',
        density: { notesPerBar: 12, barQuarters: 3 },
        maxKeys: 2,
        start: 0.5,
        repetition: 0.5,
      })
      const noise = tf.randomUniform([3, 60, generator.noiseWidth], 0, 1, 'float32', 23) as tf.Tensor3D
      const run = (onDevice: boolean) => {
        path.onDevice = onDevice
        try {
          return tf.tidy(() => {
            const { emitted, logits } = generator.runWithLogits(noise, { temperature: 0.9, rules })
            return { emitted: emitted.arraySync(), logits: logits!.dataSync() }
          })
        } finally {
          path.onDevice = false
        }
      }
      try {
        const read = run(false)
        const device = run(true)
        expect(device.emitted).toEqual(read.emitted)
        const close = read.logits.every(
          (x, i) => Math.abs(x - device.logits[i]) <= 1e-4 * Math.max(1, Math.abs(x)),
        )
        expect(close).toBe(true)
        // Every rule had a say: keys and lengths ruled out, onsets kept on the grid.
        const classes = read.emitted.flat().map((tone) => tone.flatMap((x, c) => (x === 1 ? [c] : [])))
        expect(classes.every(([length]) => length - LENGTH >= DURATIONS.indexOf(1 / 4))).toBe(true)
        expect(
          classes.every(
            ([, pitch]) => pitch - PITCH === NO_TONE || D_MINOR_FROM_C3_TO_C6(LOWEST_KEY + pitch - PITCH),
          ),
        ).toBe(true)
      } finally {
        noise.dispose()
        generator.dispose()
      }
    })
  }
})
