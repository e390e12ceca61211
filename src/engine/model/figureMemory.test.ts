import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { FEATURES } from '../../shared/checkpointMeta'
import { selectBackend } from '../process/backend'
import { createRandom, type Random } from '../random'
import { DeviceFigureMemory, FigureMemory } from './figureMemory'
import { CLASS_COUNTS, GROUP_OFFSETS, TONE_WIDTH } from './toneClasses'

const PITCH = FEATURES.indexOf('pitch')
const DELTA = FEATURES.indexOf('delta')
const PITCHES = CLASS_COUNTS[PITCH]
const DELTAS = CLASS_COUNTS[DELTA]
const TEMPERATURES = [0.8, 0.8, 0.8, 0.8]

/** The probabilities that a group's logits give at `temperature`. */
function probabilities(logits: Float32Array, feature: number, temperature: number): number[] {
  const group = Array.from(
    logits.subarray(GROUP_OFFSETS[feature], GROUP_OFFSETS[feature] + CLASS_COUNTS[feature]),
  )
  const largest = Math.max(...group)
  const weights = group.map((x) => Math.exp((x - largest) / temperature))
  const total = weights.reduce((a, b) => a + b, 0)
  return weights.map((w) => w / total)
}

/** One tone's logits drawn at random. */
function randomLogits(random: Random, rows = 1): Float32Array {
  return Float32Array.from({ length: rows * TONE_WIDTH }, () => 4 * random.next() - 2)
}

/** A memory of one row that has played `tones`, [pitch, delta] classes, oldest first. */
function played(tones: readonly [number, number][], weight = 0.5): FigureMemory {
  const memory = new FigureMemory(1, weight, TEMPERATURES)
  for (const [pitch, delta] of tones) memory.remember(0, pitch, delta)
  return memory
}

beforeAll(async () => {
  await selectBackend('wasm')
})

describe('the figure memory', () => {
  it('leaves the logits as G gives them until the previous pitch has sounded before', () => {
    const logits = randomLogits(createRandom('figures', 'fresh'))
    const before = logits.slice()
    played([
      [40, 8],
      [43, 8],
      [47, 8],
    ]).lean(logits, 0, 0)
    expect(logits).toEqual(before)
  })

  it('draws from the mix of G and the tones that followed the previous pitch before, the nearer the more', () => {
    // 40 sounded two tones back, followed by 43 a sixteenth later, and six back, followed by 45 a quarter later.
    const memory = played([
      [40, 8],
      [45, 12],
      [50, 8],
      [52, 8],
      [40, 8],
      [43, 5],
      [40, 12],
    ])
    const logits = randomLogits(createRandom('figures', 'mix'))
    const [pitchBefore, deltaBefore] = [PITCH, DELTA].map((f) => probabilities(logits, f, 0.8))
    memory.lean(logits, 0, 0)
    const [near, far] = [0.97 ** 1, 0.97 ** 5]
    const pitchCache = new Array<number>(PITCHES).fill(0)
    pitchCache[43] = near / (near + far)
    pitchCache[45] = far / (near + far)
    const deltaCache = new Array<number>(DELTAS).fill(0)
    deltaCache[5] = near / (near + far)
    deltaCache[12] = far / (near + far)
    for (const [f, before, cache] of [
      [PITCH, pitchBefore, pitchCache],
      [DELTA, deltaBefore, deltaCache],
    ] as const) {
      const after = probabilities(logits, f, 0.8)
      after.forEach((p, c) => expect(p).toBeCloseTo(0.5 * before[c] + 0.5 * cache[c], 5))
    }
  })

  it('weighs a figure three times where the pitch before it matches too', () => {
    // After 38, 40: 43 followed 38, 40 three tones back; 45 followed 36, 40 six tones back.
    const logits = new Float32Array(TONE_WIDTH)
    played(
      [
        [36, 8],
        [40, 8],
        [45, 8],
        [38, 8],
        [40, 8],
        [43, 8],
        [38, 8],
        [40, 8],
      ],
      1,
    ).lean(logits, 0, 0)
    const p = probabilities(logits, PITCH, 0.8)
    expect(p[43] / p[45]).toBeCloseTo((3 * 0.97 ** 2) / 0.97 ** 5, 3)
    expect(p[43] + p[45]).toBeCloseTo(1, 5)
  })

  it('makes the same logits on the device as on values read back', () => {
    const rows = 3
    const random = createRandom('figures', 'device')
    const onCpu = new FigureMemory(rows, 0.4, TEMPERATURES)
    const onDevice = new DeviceFigureMemory(rows, 0.4, TEMPERATURES)
    try {
      for (let step = 0; step < 90; step++) {
        const logits = randomLogits(random, rows)
        const leant = tf.tidy(() => onDevice.lean(tf.tensor2d(logits, [rows, TONE_WIDTH])).dataSync())
        for (let row = 0; row < rows; row++) onCpu.lean(logits, row * TONE_WIDTH, row)
        logits.forEach((x, i) =>
          expect(Math.abs(leant[i] - x)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(x))),
        )
        // A few pitches and deltas, so that figures recur, and more tones than the memory holds.
        const tones = new Float32Array(rows * TONE_WIDTH)
        for (let row = 0; row < rows; row++) {
          const [pitch, delta] = [40 + Math.floor(random.next() * 4), Math.floor(random.next() * 3)]
          onCpu.remember(row, pitch, delta)
          tones[row * TONE_WIDTH + GROUP_OFFSETS[PITCH] + pitch] = 1
          tones[row * TONE_WIDTH + GROUP_OFFSETS[DELTA] + delta] = 1
        }
        tf.tidy(() => onDevice.remember(tf.tensor2d(tones, [rows, TONE_WIDTH])))
      }
    } finally {
      onDevice.dispose()
    }
  })
})
