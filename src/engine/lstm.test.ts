import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { PRESETS, type ModelSettings } from '../shared/modelSettings'
import { selectBackend } from './backend'
import { LstmLayer, type LstmState } from './lstm'
import { Generator } from './networks'

// The hand-written backward passes are checked against TensorFlow.js's automatic gradients of the
// straightforward formulation below, on small random cases.

function referenceStep(layer: LstmLayer, input: tf.Tensor2D, state: LstmState): LstmState {
  const gates = tf.add(
    tf.add(tf.matMul(input, layer.kernel), layer.bias),
    tf.matMul(state.h, layer.recurrentKernel),
  )
  const [i, f, g, o] = tf.split(gates, 4, 1)
  const c = tf.add(tf.mul(tf.sigmoid(f), state.c), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D
  return { h: tf.mul(tf.sigmoid(o), tf.tanh(c)) as tf.Tensor2D, c }
}

function referenceSequence(layer: LstmLayer, inputs: tf.Tensor3D, reverse: boolean): tf.Tensor3D {
  const steps = tf.unstack(inputs, 1) as tf.Tensor2D[]
  const outputs = new Array<tf.Tensor2D>(steps.length)
  let state = layer.zeroState(inputs.shape[0])
  for (let k = 0; k < steps.length; k++) {
    const t = reverse ? steps.length - 1 - k : k
    state = referenceStep(layer, steps[t], state)
    outputs[t] = state.h
  }
  return tf.stack(outputs, 1) as tf.Tensor3D
}

function referenceGenerator(generator: Generator, noise: tf.Tensor3D, teacher?: tf.Tensor3D): tf.Tensor3D {
  const [batch, time] = noise.shape
  const noiseSteps = tf.unstack(noise, 1) as tf.Tensor2D[]
  const teacherSteps = teacher ? (tf.unstack(teacher, 1) as tf.Tensor2D[]) : []
  let states = generator.layers.map((layer) => layer.zeroState(batch))
  const outputs: tf.Tensor2D[] = []
  for (let t = 0; t < time; t++) {
    const previous =
      t === 0
        ? tf.zeros([batch, generator.width])
        : t - 1 < teacherSteps.length
          ? teacherSteps[t - 1]
          : outputs[t - 1]
    let input = tf.concat([noiseSteps[t], previous], 1) as tf.Tensor2D
    states = generator.layers.map((layer, l) => {
      const state = referenceStep(layer, input, states[l])
      input = state.h
      return state
    })
    outputs.push(generator.output.apply(input))
  }
  return tf.stack(outputs, 1) as tf.Tensor3D
}

/** A scalar that weighs every output differently, so each output's gradient matters. */
function weighted(output: tf.Tensor, seed: number): tf.Scalar {
  return tf.sum(tf.mul(output, tf.randomNormal(output.shape, 0, 1, 'float32', seed)))
}

function gradientsOf(variables: tf.Variable[], loss: () => tf.Scalar): number[][] {
  return tf.tidy(() => {
    const { grads } = tf.variableGrads(loss, variables)
    return variables.map((variable) => Array.from(grads[variable.name].dataSync()))
  })
}

function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.length).toBe(expected.length)
  actual.forEach((values, k) => {
    const scale = Math.max(...expected[k].map(Math.abs))
    expect(scale).toBeGreaterThan(0)
    values.forEach((value, j) => expect(Math.abs(value - expected[k][j])).toBeLessThan(1e-4 * scale + 1e-6))
  })
}

const MODEL: ModelSettings = { ...PRESETS.quick.model, tonesPerStep: 2, hiddenUnits: 5, layers: 2 }

beforeAll(async () => {
  await selectBackend('wasm')
})

describe('LstmLayer.sequence', () => {
  for (const reverse of [false, true]) {
    it(`has the gradients of the straightforward recurrence${reverse ? ', read backwards' : ''}`, () => {
      const layer = new LstmLayer('test', 3, 4, 17)
      const inputs = tf.randomNormal([2, 6, 3], 0, 1, 'float32', 5) as tf.Tensor3D
      const input = tf.variable(inputs)
      const variables = [input, layer.kernel, layer.recurrentKernel, layer.bias]
      try {
        const outputs = tf.tidy(() => layer.sequence(inputs, reverse).arraySync())
        expect(outputs).toEqual(tf.tidy(() => referenceSequence(layer, inputs, reverse).arraySync()))
        expectClose(
          gradientsOf(variables, () => weighted(layer.sequence(input, reverse), 3)),
          gradientsOf(variables, () => weighted(referenceSequence(layer, input, reverse), 3)),
        )
      } finally {
        tf.dispose([...variables, inputs])
      }
    })
  }

  it('leaves no tensor behind, forward or backward', () => {
    const layer = new LstmLayer('test', 3, 4, 17)
    const inputs = tf.randomNormal([2, 6, 3]) as tf.Tensor3D
    const before = tf.memory().numTensors
    gradientsOf([layer.kernel], () => weighted(layer.sequence(inputs, true), 3))
    tf.tidy(() => {
      layer.sequence(inputs)
    })
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([inputs, layer.kernel, layer.recurrentKernel, layer.bias])
  })
})

describe('Generator.run', () => {
  // Free running (the output feeds the next step), fully teacher-forced, and a primer followed by free steps.
  for (const teacherSteps of [0, 7, 3]) {
    it(`has the gradients of the straightforward recurrence with ${teacherSteps} teacher steps`, () => {
      const generator = new Generator(MODEL, 23)
      const noise = tf.randomUniform([3, 7, generator.width], 0, 1, 'float32', 1) as tf.Tensor3D
      const teacher = teacherSteps
        ? (tf.randomNormal([3, teacherSteps, generator.width], 0, 1, 'float32', 2) as tf.Tensor3D)
        : undefined
      try {
        const ours = tf.tidy(() => generator.run(noise, teacher).arraySync() as number[][][])
        const reference = tf.tidy(
          () => referenceGenerator(generator, noise, teacher).arraySync() as number[][][],
        )
        expectClose(ours.flat(), reference.flat())
        expectClose(
          gradientsOf(generator.variables, () => weighted(generator.run(noise, teacher), 4)),
          gradientsOf(generator.variables, () => weighted(referenceGenerator(generator, noise, teacher), 4)),
        )
      } finally {
        tf.dispose([noise, ...(teacher ? [teacher] : [])])
        generator.dispose()
      }
    })
  }
})
