import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { meterSignature } from '../../shared/music/meter'
import type { NoteEvent, TimeSignatureChange } from '../../shared/music/piece'
import { pieceToSteps } from '../../shared/music/steps'
import { createRandom } from '../random'
import { selectBackend } from '../process/backend'
import {
  deltaClassesOf,
  DeviceMeterClock,
  METER_GROUPS,
  METER_WIDTH,
  MeterClock,
  meterOneHot,
  startingAt,
  stepPositions,
} from './metricPosition'
import { classesToTone, CLASS_COUNTS, DURATIONS, GROUP_OFFSETS, TONE_WIDTH } from './toneClasses'

beforeAll(async () => {
  await selectBackend('wasm')
})

const note = (onset: number, pitch = 60): NoteEvent => ({ onset, length: 0.5, pitch, velocity: 80 })

/** stepPositions as a list of [within the eighth, eighth of the bar, bar length - 1 in eighths, compound]. */
function positions(notes: NoteEvent[], signatures: TimeSignatureChange[], tonesPerStep = 1): number[][] {
  const classes = stepPositions(pieceToSteps({ notes }, tonesPerStep), signatures)
  return Array.from({ length: classes.length / METER_GROUPS }, (_, s) =>
    Array.from(classes.subarray(s * METER_GROUPS, (s + 1) * METER_GROUPS)),
  )
}

describe('stepPositions', () => {
  it("gives each step the position its delta counts from, the previous step's onset, in 4/4", () => {
    const notes = [note(0), note(0.5), note(1.25), note(4), note(4, 64)]
    expect(positions(notes, [])).toEqual([
      [0, 0, 7, 0], // the first counts from time 0, a bar line
      [0, 0, 7, 0], // from the onset at 0
      [0, 1, 7, 0], // from 0.5: the second eighth
      [12, 2, 7, 0], // from 1.25: a sixteenth into the third eighth
      [0, 0, 7, 0], // from 4: the next bar's first beat
      [0, 0, 7, 0], // where a continuation would count from: the last onset, 4
    ])
    // 13/3 is the second eighth triplet of the
    // second bar, 16 ticks into its first eighth; 5 + 1/16 a 64th past its third eighth.
    expect(positions([...notes, note(13 / 3)], []).at(-1)).toEqual([16, 0, 7, 0])
    expect(positions([...notes, note(5 + 1 / 16)], []).at(-1)).toEqual([3, 2, 7, 0])
  })

  it('counts bars of 3/4 and 6/8 and follows a change of meter, on its bar line', () => {
    const threeFour = [meterSignature('3/4')]
    expect(positions([note(3.5), note(4)], threeFour)[1]).toEqual([0, 1, 5, 0])
    const sixEight = [{ time: 0, numerator: 6, denominator: 8 }]
    expect(positions([note(3.5), note(4)], sixEight)[1]).toEqual([0, 1, 5, 1])
    // 3/4 for one bar, then 5/4 from 3: an onset at 5 is two quarters into a bar of ten eighths.
    const changing = [meterSignature('3/4'), { time: 3, numerator: 5, denominator: 4 }]
    expect(positions([note(5), note(6)], changing)[1]).toEqual([0, 4, 9, 0])
  })

  it('puts an onset a hair before a bar line on the bar line, as a generated onset there would be', () => {
    expect(positions([note(4 - 1e-9), note(5)], [])[1]).toEqual([0, 0, 7, 0])
  })
})

/** `steps` random steps of `tonesPerStep` tones, each a one-hot of its four classes, for `rows` rows. */
function randomSteps(rows: number, steps: number, tonesPerStep: number, seed: number): Float32Array[][] {
  const random = createRandom(seed, 'steps')
  return Array.from({ length: rows }, () =>
    Array.from({ length: steps }, () => {
      const step = new Float32Array(tonesPerStep * TONE_WIDTH)
      for (let tone = 0; tone < tonesPerStep; tone++) {
        CLASS_COUNTS.forEach((count, f) => {
          // Deltas mostly short, so that the steps cross bar lines often but not always.
          const limit = f === 3 ? DURATIONS.indexOf(1) + 1 : count
          step[tone * TONE_WIDTH + GROUP_OFFSETS[f] + Math.floor(random.next() * limit)] = 1
        })
      }
      return step
    }),
  )
}

const onesOf = (step: Float32Array) => Array.from(step.keys()).filter((k) => step[k] === 1)

describe('the clocks of a generation', () => {
  for (const [meter, tonesPerStep] of [
    ['4/4', 1],
    ['5/4', 1],
    ['6/8', 3],
    ['2/4', 2],
  ] as const) {
    it(`give, on the CPU and as tensor ops, the positions a piece's steps have as training data: ${meter}, ${tonesPerStep} tones a step`, () => {
      const [rows, count] = [3, 40]
      const signature = meterSignature(meter)
      const drawn = randomSteps(rows, count, tonesPerStep, tonesPerStep + rows)
      const known = startingAt(signature, rows)
      const cpu = new MeterClock(known)
      const device = new DeviceMeterClock(known, tonesPerStep)
      try {
        for (let t = 0; t < count; t++) {
          const columns = new Int32Array(rows * METER_GROUPS)
          for (let r = 0; r < rows; r++) cpu.writeColumns(t, r, 0, columns, r * METER_GROUPS)
          const oneHot = new Float32Array(rows * METER_WIDTH)
          columns.forEach((column, k) => (oneHot[Math.floor(k / METER_GROUPS) * METER_WIDTH + column] = 1))
          expect(Array.from(tf.tidy(() => device.at(t).dataSync()))).toEqual(Array.from(oneHot))

          for (let r = 0; r < rows; r++) {
            // The positions of the piece these draws decode to, read as training data.
            const steps = drawn[r].slice(0, t + 1).map((step) =>
              Array.from({ length: tonesPerStep }, (_, tone) => {
                const ones = onesOf(step.subarray(tone * TONE_WIDTH, (tone + 1) * TONE_WIDTH))
                return classesToTone(ones.map((one, f) => one - GROUP_OFFSETS[f]))
              }),
            )
            const expected = stepPositions(steps, [signature]).subarray(
              t * METER_GROUPS,
              (t + 1) * METER_GROUPS,
            )
            expect(Array.from(oneHot.subarray(r * METER_WIDTH, (r + 1) * METER_WIDTH))).toEqual(
              Array.from(meterOneHot(expected)),
            )
            cpu.advance(t, r, deltaClassesOf(onesOf(drawn[r][t])))
          }
          const step = tf.tensor2d(
            drawn.flatMap((row) => Array.from(row[t])),
            [rows, tonesPerStep * TONE_WIDTH],
          )
          device.advance(t, step)
          step.dispose()
        }
      } finally {
        device.dispose()
      }
    })
  }

  it('keep the known positions of a primer, and leave no tensors behind', () => {
    const before = tf.memory().numTensors
    const classes = Float32Array.from([3, 1, 7, 0, 0, 2, 7, 0, 12, 5, 7, 0])
    const known = { classes, rows: 1, steps: 3 }
    const device = new DeviceMeterClock(known, 1)
    const cpu = new MeterClock(known)
    for (let t = 0; t < 3; t++) {
      const columns = new Int32Array(METER_GROUPS)
      cpu.writeColumns(t, 0, 100, columns, 0)
      expect(Array.from(columns)).toEqual(
        Array.from(classes.subarray(t * 4, t * 4 + 4), (c, g) => 100 + [0, 24, 40, 56][g] + c),
      )
      expect(Array.from(tf.tidy(() => device.at(t).dataSync()))).toEqual(
        Array.from(meterOneHot(classes.subarray(t * 4, t * 4 + 4))),
      )
    }
    device.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })
})
