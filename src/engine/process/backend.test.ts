// Node, tests only. Backend selection on a machine where only the WebAssembly and plain JavaScript backends
// start, as on the build machines (the native TensorFlow packages are optional and absent there, and without
// a GPU driver WebGPU finds no adapter; webgpuBackend.test.ts runs it on SwiftShader).
import * as tf from '@tensorflow/tfjs'
import { cpus } from 'node:os'
import { afterAll, describe, expect, it } from 'vitest'
import { BACKEND_NAMES, currentBackend, selectBackend } from './backend'

/** [[1, 2, 3], [4, 5, 6]] x [[7, 8], [9, 10], [11, 12]], small enough to check by hand. */
async function smallProduct(): Promise<number[][]> {
  const product = tf.tidy(() =>
    tf.matMul(
      tf.tensor2d([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      tf.tensor2d([
        [7, 8],
        [9, 10],
        [11, 12],
      ]),
    ),
  )
  const values = (await product.array()) as number[][]
  product.dispose()
  return values
}

describe('selectBackend', () => {
  afterAll(async () => {
    await selectBackend('wasm')
  })

  it('lists the backends it knows', () => {
    expect(BACKEND_NAMES).toEqual(['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'])
  })

  it('picks WebAssembly automatically when the native packages are absent, on every core', async () => {
    const info = await selectBackend()
    const cores = Math.min(cpus().length, 8)
    const threads = cores === 1 ? 'one thread' : `${cores} threads`
    expect(info).toEqual({
      name: 'wasm',
      description: `WebAssembly (CPU, ${threads})`,
      reason: 'the only fast backend that starts here',
    })
    expect(tf.getBackend()).toBe('wasm')
    expect(currentBackend()).toEqual(info)
  })

  it('is idempotent', async () => {
    const first = await selectBackend()
    const second = await selectBackend()
    expect(second).toEqual(first)
    expect(currentBackend()).toEqual(first)
  })

  it('computes a matrix product correctly on the selected backend', async () => {
    await selectBackend()
    expect(await smallProduct()).toEqual([
      [58, 64],
      [139, 154],
    ])
  })

  it('can be forced to plain JavaScript, which switches TensorFlow.js, and back', async () => {
    const info = await selectBackend('cpu')
    expect(info.name).toBe('cpu')
    expect(info.description).toContain('slow')
    expect(tf.getBackend()).toBe('cpu')
    expect(currentBackend()?.name).toBe('cpu')
    expect(await smallProduct()).toEqual([
      [58, 64],
      [139, 154],
    ])

    const auto = await selectBackend()
    expect(auto.name).not.toBe('cpu')
    expect(currentBackend()).toEqual(auto)
  })

  it.each(['tensorflow', 'tensorflow-gpu'] as const)(
    'refuses a forced %s with a one-line reason and keeps the current backend',
    async (name) => {
      await selectBackend('wasm')
      const failure = selectBackend(name)
      await expect(failure).rejects.toThrow(`backend "${name}" is not available here (`)
      const message = await failure.then(
        () => '',
        (error: Error) => error.message,
      )
      expect(message).not.toContain('\n')
      expect(message).toMatch(/is not installed\)$/)
      expect(tf.getBackend()).toBe('wasm')
      expect(currentBackend()?.name).toBe('wasm')
    },
  )

  it('refuses a forced webgpu without a GPU in one line, and keeps the current backend', async () => {
    await selectBackend('wasm')
    const message = await selectBackend('webgpu').then(
      () => '',
      (error: Error) => error.message,
    )
    // Without a Vulkan loader (the build machines), or with one but no GPU driver.
    expect(message).toMatch(
      /^backend "webgpu" is not available here \((no Vulkan loader found|no WebGPU adapter found) \(.+\)\)$/,
    )
    expect(tf.getBackend()).toBe('wasm')
  })

  it('forgets the current backend when something else switches TensorFlow.js behind its back', async () => {
    await selectBackend('wasm')
    await tf.setBackend('cpu')
    expect(currentBackend()).toBeUndefined()
    await selectBackend('wasm')
    expect(currentBackend()?.name).toBe('wasm')
  })
})
