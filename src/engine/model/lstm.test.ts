import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { PRESETS, type ModelSettings } from '../../shared/modelSettings'
import { selectBackend } from '../process/backend'
import { closeTo, gradientsOf, referenceSequence, referenceStep, weighted } from '../../../test/lstmReference'
import { LstmLayer } from './lstm'
import { Generator } from './networks'
import { CLASS_COUNTS, TONE_WIDTH } from './toneClasses'

// The hand-written backward passes are checked against TensorFlow.js's automatic gradients of the
// straightforward formulation below, on small random cases.

/**
 * A sampling G's draw with the straight-through Gumbel-softmax written out: the forward value is each
 * group's one-hot largest, the gradient that of the softmax (the difference is added as a constant).
 */
function referenceDraw(logits: tf.Tensor2D, uniforms: tf.Tensor2D): tf.Tensor2D {
  const gumbel = tf.neg(tf.log(tf.neg(tf.log(tf.clipByValue(uniforms, 1e-10, 1 - 1e-7)))))
  const perturbed = tf.add(logits, gumbel) as tf.Tensor2D
  const sizes = Array.from({ length: logits.shape[1] / TONE_WIDTH }, () => CLASS_COUNTS).flat()
  const groups = tf.split(perturbed, sizes, 1)
  const soft = tf.concat(
    groups.map((group) => tf.softmax(group)),
    1,
  )
  const hard = tf.concat(
    groups.map((group) => tf.oneHot(tf.argMax(group, 1), group.shape[1]!).toFloat()),
    1,
  )
  return tf.add(soft, tf.tensor(tf.sub(hard, soft).arraySync() as number[][])) as tf.Tensor2D
}

/** G's recurrence written out; a meter model reads the metric `positions` [batch, time, METER_WIDTH] given. */
function referenceGenerator(
  generator: Generator,
  noise: tf.Tensor3D,
  teacher?: tf.Tensor3D,
  positions?: tf.Tensor3D,
): tf.Tensor3D {
  const [batch, time] = noise.shape
  const inputWidth = generator.noiseWidth - (generator.sampling ? generator.width : 0)
  const [inputNoise, draws] = generator.sampling
    ? tf.split(noise, [inputWidth, generator.width], 2)
    : [noise, undefined]
  const noiseSteps = tf.unstack(inputNoise, 1) as tf.Tensor2D[]
  const drawSteps = draws ? (tf.unstack(draws, 1) as tf.Tensor2D[]) : []
  const teacherSteps = teacher ? (tf.unstack(teacher, 1) as tf.Tensor2D[]) : []
  const positionSteps = positions ? (tf.unstack(positions, 1) as tf.Tensor2D[]) : []
  let states = generator.layers.map((layer) => layer.zeroState(batch))
  const outputs: tf.Tensor2D[] = []
  for (let t = 0; t < time; t++) {
    const previous =
      t === 0
        ? tf.zeros([batch, generator.width])
        : t - 1 < teacherSteps.length
          ? teacherSteps[t - 1]
          : outputs[t - 1]
    let input = tf.concat([noiseSteps[t], previous, ...positionSteps.slice(t, t + 1)], 1) as tf.Tensor2D
    states = generator.layers.map((layer, l) => {
      const state = referenceStep(layer, input, states[l])
      input = state.h
      return state
    })
    const logits = generator.output.apply(input)
    outputs.push(generator.sampling ? referenceDraw(logits, drawSteps[t]) : logits)
  }
  return tf.stack(outputs, 1) as tf.Tensor3D
}

function expectClose(actual: number[][], expected: number[][]): void {
  expect(closeTo(actual, expected, 1e-4)).toBe(true)
}

const MODEL: ModelSettings = {
  ...PRESETS.quick.model,
  tonesPerStep: 2,
  hiddenUnits: 5,
  layers: 2,
  output: 'continuous',
  meter: false,
}

beforeAll(async () => {
  await selectBackend('wasm')
})

describe('LstmLayer.sequence', () => {
  for (const [reverse, oneKernelCell] of [
    [false, false],
    [true, false],
    [false, true],
  ]) {
    it(`has the gradients of the straightforward recurrence${reverse ? ', read backwards' : ''}${oneKernelCell ? ', its cell one kernel' : ''}`, async () => {
      const layer = new LstmLayer('test', 3, 4, 17, oneKernelCell)
      const inputs = tf.randomNormal([2, 6, 3], 0, 1, 'float32', 5) as tf.Tensor3D
      const input = tf.variable(inputs)
      const variables = [input, layer.kernel, layer.recurrentKernel, layer.bias]
      try {
        const outputs = tf.tidy(() => layer.sequence(inputs, reverse).arraySync())
        const reference = tf.tidy(() => referenceSequence(layer, inputs, reverse).arraySync())
        // The kernel's values are a few units in the last place from the ops'.
        if (oneKernelCell) expectClose(outputs.flat(), reference.flat())
        else expect(outputs).toEqual(reference)
        expectClose(
          await gradientsOf(variables, () => weighted(layer.sequence(input, reverse), 3)),
          await gradientsOf(variables, () => weighted(referenceSequence(layer, input, reverse), 3)),
        )
      } finally {
        tf.dispose([...variables, inputs])
      }
    })
  }

  it('gives the input gradient alone or the weight gradients alone, as asked, and the same values', async () => {
    const layer = new LstmLayer('test', 3, 4, 19)
    const inputs = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 6) as tf.Tensor3D
    const input = tf.variable(inputs)
    const weights = [layer.kernel, layer.recurrentKernel, layer.bias]
    const loss = (gradients: { input: boolean; weights: boolean }) => () =>
      weighted(layer.sequence(input, false, gradients), 7)
    try {
      const both = await gradientsOf([input, ...weights], loss({ input: true, weights: true }))
      expect(await gradientsOf([input], loss({ input: true, weights: false }))).toEqual(both.slice(0, 1))
      expect(await gradientsOf(weights, loss({ input: false, weights: true }))).toEqual(both.slice(1))
      // What is not asked for gets no gradient at all.
      await expect(gradientsOf(weights, loss({ input: true, weights: false }))).rejects.toThrow()
      await expect(gradientsOf([input], loss({ input: false, weights: true }))).rejects.toThrow()
    } finally {
      tf.dispose([input, inputs, ...weights])
    }
  })

  for (const reverse of [false, true]) {
    it(`over one-hot rows whose ones it is told, sums kernel rows to the same outputs and gradients${reverse ? ', read backwards' : ''}`, async () => {
      const layer = new LstmLayer('test', 6, 4, 21)
      // Batch 2, time 5, two ones per row: one among columns 0-2, one among 3-5.
      const columns = Array.from({ length: 10 }, (_, row) => [row % 3, 3 + ((row * 2) % 3)])
      const ones = { columns: new Int32Array(columns.flat()), perRow: 2 }
      const inputs = tf.tensor3d(
        columns.flatMap((picked) => Array.from({ length: 6 }, (_, c) => (picked.includes(c) ? 1 : 0))),
        [2, 5, 6],
      )
      const input = tf.variable(inputs)
      const variables = [input, layer.kernel, layer.recurrentKernel, layer.bias]
      try {
        const outputs = (oneHot?: typeof ones) =>
          tf.tidy(() => Array.from(layer.sequence(inputs, reverse, undefined, oneHot).dataSync()))
        expectClose([outputs(ones)], [outputs()])
        expectClose(
          await gradientsOf(variables, () => weighted(layer.sequence(input, reverse, undefined, ones), 8)),
          await gradientsOf(variables, () => weighted(layer.sequence(input, reverse), 8)),
        )
      } finally {
        tf.dispose([...variables, inputs])
      }
    })
  }

  it('leaves no tensor behind, forward or backward', async () => {
    const layer = new LstmLayer('test', 3, 4, 17)
    const inputs = tf.randomNormal([2, 6, 3]) as tf.Tensor3D
    const before = tf.memory().numTensors
    await gradientsOf([layer.kernel], () => weighted(layer.sequence(inputs, true), 3))
    tf.tidy(() => {
      layer.sequence(inputs)
    })
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([inputs, layer.kernel, layer.recurrentKernel, layer.bias])
  })
})

describe('Generator.run', () => {
  // Free running (the output feeds the next step), fully teacher-forced, and a primer followed by free
  // steps; for the paper's generator and a sampling one, with and without the metric position.
  for (const [output, teacherSteps, meter] of [
    ['continuous', 0, false],
    ['continuous', 7, false],
    ['continuous', 3, false],
    ['sampled', 0, false],
    ['sampled', 3, false],
    ['sampled', 0, true],
    ['sampled', 3, true],
  ] as const) {
    it(`has the gradients of the straightforward recurrence, ${output}${meter ? ' with the meter' : ''}, with ${teacherSteps} teacher steps`, async () => {
      const generator = new Generator({ ...MODEL, output, meter }, 23)
      const noise = tf.randomUniform([3, 7, generator.noiseWidth], 0, 1, 'float32', 1) as tf.Tensor3D
      const teacher = teacherSteps
        ? (tf.randomNormal([3, teacherSteps, generator.width], 0, 1, 'float32', 2) as tf.Tensor3D)
        : undefined
      // The positions that G's own clock fed it (metricPosition.test.ts checks the clock).
      const positions = meter ? tf.tidy(() => generator.record(noise, teacher).positions) : undefined
      try {
        const ours = tf.tidy(() => generator.run(noise, teacher).arraySync() as number[][][])
        const reference = tf.tidy(
          () => referenceGenerator(generator, noise, teacher, positions).arraySync() as number[][][],
        )
        expectClose(ours.flat(), reference.flat())
        // A sampling G emits one class per group: a 1 in each of its 2 tones' 4 groups per step.
        if (output === 'sampled') expect(ours.flat(2).reduce((a, b) => a + b, 0)).toBe(3 * 7 * 2 * 4)
        expectClose(
          await gradientsOf(generator.variables, () => weighted(generator.run(noise, teacher), 4)),
          await gradientsOf(generator.variables, () =>
            weighted(referenceGenerator(generator, noise, teacher, positions), 4),
          ),
        )
      } finally {
        tf.dispose([noise, ...(teacher ? [teacher] : []), ...(positions ? [positions] : [])])
        generator.dispose()
      }
    })
  }
})

describe('Generator.teacherForcedLogits', () => {
  it("is a sampling G's logits when every step is fed the teacher's previous step", async () => {
    const generator = new Generator({ ...MODEL, output: 'sampled' }, 29)
    const noise = tf.randomUniform([2, 6, generator.noiseWidth], 0, 1, 'float32', 3) as tf.Tensor3D
    const teacher = tf.randomNormal([2, 6, generator.width], 0, 1, 'float32', 4) as tf.Tensor3D
    try {
      const forced = tf.tidy(() => generator.teacherForcedLogits(noise, teacher).arraySync() as number[][][])
      const run = tf.tidy(
        () => generator.runWithLogits(noise, { teacher }).logits!.arraySync() as number[][][],
      )
      expectClose(forced.flat(), run.flat())
    } finally {
      tf.dispose([noise, teacher])
      generator.dispose()
    }
  })
})
