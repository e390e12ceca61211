import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PRESETS } from '../../shared/modelSettings'
import { closeTo } from '../../../test/lstmReference'
import { selectBackend } from '../process/backend'
import { METER_GROUPS, meterOneHot, METER_WIDTH, type KnownPositions } from './metricPosition'
import { Generator } from './networks'

// Generation (`runWithLogits`) draws on the CPU (drawnGeneration.ts) on a backend that reads values
// synchronously; training's `run` adds and draws tensors, and lstm.test.ts checks it against the
// straightforward recurrence. The two must draw the same classes from the same noise, and a meter model's
// two clocks (MeterClock on the CPU, DeviceMeterClock as tensor ops) must feed it the same positions.

/** More steps than one matMul projects the noise for, so that the second block is used too. */
const STEPS = 70
const BATCH = 3

/** Metric positions of `steps` steps of 4/4 for each row, at eighths and ticks of a seeded draw. */
function knownPositions(steps: number, seed: number): KnownPositions {
  const random = tf.randomUniform([BATCH * steps, 2], 0, 1, 'float32', seed).arraySync() as number[][]
  const classes = new Float32Array(BATCH * steps * METER_GROUPS)
  random.forEach(([within, eighth], k) =>
    classes.set([Math.floor(24 * within), Math.floor(8 * eighth), 7, 0], k * METER_GROUPS),
  )
  return { classes, rows: BATCH, steps }
}

for (const meter of [false, true]) {
  describe(`DrawnGeneration${meter ? ' of a meter model' : ''}`, () => {
    let generator: Generator
    beforeAll(async () => {
      await selectBackend('wasm')
      generator = new Generator(
        { ...PRESETS.quick.model, tonesPerStep: 2, hiddenUnits: 6, output: 'sampled', meter },
        31,
      )
    })
    afterAll(() => generator.dispose())

    const noiseFor = (seed: number) =>
      tf.randomUniform([BATCH, STEPS, generator.noiseWidth], 0, 1, 'float32', seed) as tf.Tensor3D

    for (const primerSteps of [0, 5]) {
      it(`draws what adding the tensors draws, step by step, after a primer of ${primerSteps} steps`, () => {
        const noise = noiseFor(7 + primerSteps)
        const teacher = primerSteps
          ? (tf.randomNormal([BATCH, primerSteps, generator.width], 0, 1, 'float32', 8) as tf.Tensor3D)
          : undefined
        const known = meter ? knownPositions(primerSteps + 1, 11) : undefined
        try {
          const generated = tf.tidy(() =>
            generator.runWithLogits(noise, { teacher, known }).emitted.arraySync(),
          )
          const trained = tf.tidy(() => generator.run(noise, teacher, known).arraySync())
          for (let v = 0; v < BATCH; v++) {
            // A step whose successor is fed the primer's draws nothing; after the primer, each step draws one
            // class in each of its two tones' four groups.
            const drawing = generated[v].slice(primerSteps)
            expect(
              generated[v]
                .slice(0, primerSteps)
                .flat()
                .every((x) => x === 0),
            ).toBe(true)
            expect(drawing.flat().reduce((a, b) => a + b, 0)).toBe((STEPS - primerSteps) * 2 * 4)
            expect(drawing).toEqual(trained[v].slice(primerSteps))
          }
        } finally {
          tf.dispose([noise, ...(teacher ? [teacher] : [])])
        }
      })
    }

    it("keeps every step's logits: those of the teacher-forced sequence when every step is fed the teacher's", () => {
      const noise = noiseFor(9)
      const teacher = tf.randomNormal([BATCH, STEPS, generator.width], 0, 1, 'float32', 10) as tf.Tensor3D
      const known = knownPositions(STEPS + 1, 12)
      const positions = meter
        ? tf.tensor3d(meterOneHot(known.classes), [BATCH, STEPS + 1, METER_WIDTH]).slice(0, [BATCH, STEPS])
        : undefined
      try {
        const kept = tf.tidy(() =>
          generator.runWithLogits(noise, { teacher, known: meter ? known : undefined }).logits!.arraySync(),
        )
        const forced = tf.tidy(() =>
          generator.teacherForcedLogits(noise, teacher, positions as tf.Tensor3D).arraySync(),
        )
        expect(closeTo(kept.flat(), forced.flat(), 1e-4)).toBe(true)
      } finally {
        tf.dispose([noise, teacher, ...(positions ? [positions] : [])])
      }
    })
  })
}
