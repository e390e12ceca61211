import * as tf from '@tensorflow/tfjs'
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { compiledModuleSource, MODULES } from '../../../scripts/compileWasm'
import { selectBackend } from '../process/backend'
import { LstmLayer, type TransposedWeights } from '../model/lstm'
import { hasLstmCellKernel, lstmCell } from './lstmCell'

beforeAll(async () => {
  await selectBackend('wasm')
})

/** The cell as TensorFlow.js's ops compute it: h, c, i, f, g, o, tanh(c). */
function cellOps(projected: tf.Tensor2D, recurrent: tf.Tensor2D, cPrev: tf.Tensor2D): tf.Tensor2D[] {
  const [iRaw, fRaw, gRaw, oRaw] = tf.split(tf.add(projected, recurrent), 4, 1) as tf.Tensor2D[]
  const [i, f, g, o] = [tf.sigmoid(iRaw), tf.sigmoid(fRaw), tf.tanh(gRaw), tf.sigmoid(oRaw)]
  const c = tf.add(tf.mul(f, cPrev), tf.mul(i, g)) as tf.Tensor2D
  const tanhC = tf.tanh(c)
  return [tf.mul(o, tanhC) as tf.Tensor2D, c, i, f, g, o, tanhC]
}

/**
 * The largest difference between the two, and relative to each expected value's magnitude where that is
 * above 1e-30 (the kernel's sigmoid stops at e^-86, 4e-38).
 */
function differences(actual: tf.Tensor, expected: tf.Tensor): { absolute: number; relative: number } {
  const [a, e] = [actual.dataSync(), expected.dataSync()]
  let absolute = 0
  let relative = 0
  e.forEach((value, k) => {
    const difference = Math.abs(a[k] - value)
    absolute = Math.max(absolute, difference)
    if (Math.abs(value) > 1e-30) relative = Math.max(relative, difference / Math.abs(value))
  })
  return { absolute, relative }
}

describe('the LSTM cell kernel', () => {
  it('is the WebAssembly backend’s', () => {
    expect(hasLstmCellKernel()).toBe(true)
  })

  // Rows and units that are not multiples of 4 as well as the paper's sizes.
  for (const [rows, units] of [
    [1, 7],
    [3, 6],
    [16, 350],
  ]) {
    it(`gives the ops' values to a few units in the last place, ${rows} rows of ${units} units`, () => {
      tf.tidy(() => {
        // Pre-activations from 1e-6 to 150 in magnitude, of both signs, the recurrent part up to half of
        // the input's.
        const shape: [number, number] = [rows, 4 * units]
        const magnitudes = tf.pow(10, tf.linspace(-6, 2, rows * 4 * units)).reshape(shape)
        const signs = tf.sign(tf.randomNormal(shape, 0, 1, 'float32', 3))
        const projected = tf.mul(magnitudes, signs) as tf.Tensor2D
        const recurrent = tf.mul(projected, tf.randomUniform(shape, -0.5, 0.5, 'float32', 4)) as tf.Tensor2D
        const cPrev = tf.randomNormal([rows, units], 0, 4, 'float32', 5) as tf.Tensor2D
        const { h, c, activations } = lstmCell(projected, recurrent, cPrev, true)
        const { i, f, g, o, tanhC } = activations!
        const expected = cellOps(projected, recurrent, cPrev)
        const results = [h, c, i, f, g, o, tanhC]
        results.forEach((result, k) => {
          expect(result.shape).toEqual([rows, units])
          const { absolute, relative } = differences(result, expected[k])
          // The gates' activations within 3e-7 of their value (a few units in the last place); c, tanh(c)
          // and h carry the activations' differences through c's sum, whose terms may cancel.
          if (k >= 2 && k <= 5) expect(relative, `result ${k}`).toBeLessThan(3e-7)
          expect(absolute).toBeLessThan(2e-6)
        })
      })
    })
  }

  it('gives h and c alone where no activations are asked for, the same values, and leaves nothing behind', () => {
    const projected = tf.randomNormal([5, 4 * 9], 0, 3, 'float32', 6) as tf.Tensor2D
    const recurrent = tf.randomNormal([5, 4 * 9], 0, 1, 'float32', 7) as tf.Tensor2D
    const cPrev = tf.randomNormal([5, 9], 0, 3, 'float32', 8) as tf.Tensor2D
    try {
      const before = tf.memory().numTensors
      const all = lstmCell(projected, recurrent, cPrev, true)
      const alone = lstmCell(projected, recurrent, cPrev, false)
      expect(alone.activations).toBeUndefined()
      expect(alone.h.arraySync()).toEqual(all.h.arraySync())
      expect(alone.c.arraySync()).toEqual(all.c.arraySync())
      tf.dispose([all.h, all.c, ...Object.values(all.activations!), alone.h, alone.c])
      expect(tf.memory().numTensors).toBe(before)
    } finally {
      tf.dispose([projected, recurrent, cPrev])
    }
  })

  it('goes back through the cell as the ops do, to float rounding, and leaves nothing behind', () => {
    const [rows, units] = [3, 6]
    const random = (seed: number, low = -1) =>
      tf.randomUniform([rows, units], low, 1, 'float32', seed) as tf.Tensor2D
    const cache = {
      input: random(1),
      hPrev: random(2),
      cPrev: random(3),
      i: random(4, 0),
      f: random(5, 0),
      g: random(6),
      o: random(7, 0),
      tanhC: random(8),
    }
    const [dh, dc] = [random(9), random(10)]
    const weights = {
      kernel: tf.zeros([4 * units, 1]),
      recurrentKernel: tf.eye(4 * units, units),
    } as TransposedWeights
    // The paper's layer keeps the ops; a sampling model's runs the kernel.
    const [withOps, withKernel] = [false, true].map(
      (oneKernelCell) => new LstmLayer('cell', 1, units, 11, oneKernelCell),
    )
    try {
      const before = tf.memory().numTensors
      const expected = withOps.gateGradients(cache, dh, dc, weights)
      const actual = withKernel.gateGradients(cache, dh, dc, weights)
      for (const key of ['dGates', 'dcPrev', 'dhPrev'] as const) {
        expect(actual[key].shape).toEqual(expected[key].shape)
        expect(differences(actual[key], expected[key]).absolute, key).toBeLessThan(1e-6)
      }
      expect(Math.max(...actual.dGates.dataSync().map(Math.abs))).toBeGreaterThan(0.01)
      tf.dispose([...Object.values(expected), ...Object.values(actual)])
      expect(tf.memory().numTensors).toBe(before)
    } finally {
      tf.dispose([...Object.values(cache), dh, dc, ...Object.values(weights)])
      for (const layer of [withOps, withKernel])
        for (const [, variable] of layer.namedVariables) variable.dispose()
    }
  })

  it('runs the module compiled from lstmCell.wat as it stands (npm run wasm)', async () => {
    const cell = MODULES.find((module) => module.source === 'lstmCell.wat')!
    expect(readFileSync(cell.compiled, 'utf8')).toBe(await compiledModuleSource(cell))
  })
})
