// Node, tests only. The timed training step that automatic backend selection compares, and the file that
// keeps its figures (in the tests' own config folder, test/globalSetup.ts).
import * as tf from '@tensorflow/tfjs'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { configDir } from '../configDir'
import { fastestOf, selectBackend } from './backend'
import { probeTrainingStep, SPEED_FILE, trainingSpeed } from './backendSpeed'

const file = () => join(configDir(), SPEED_FILE)

beforeAll(async () => {
  await selectBackend('wasm')
})

beforeEach(() => rmSync(file(), { force: true }))

describe('probeTrainingStep', () => {
  it('runs adversarial steps and leaves no tensor behind', async () => {
    const before = tf.memory().numTensors
    expect(await probeTrainingStep()).toBeGreaterThan(0)
    expect(tf.memory().numTensors).toBe(before)
  })
})

describe('trainingSpeed', () => {
  it('times a backend once and keeps the figure under its key, beside the others', async () => {
    let probes = 0
    const probe = async () => (probes++, 123.4)
    const first = await trainingSpeed('wasm: here', probe)
    expect(first.stepMs).toBe(123)
    expect(await trainingSpeed('wasm: here', probe)).toEqual(first)
    expect(probes).toBe(1)
    await trainingSpeed('webgpu: here', async () => 45)
    expect(Object.keys(JSON.parse(readFileSync(file(), 'utf8')))).toEqual(['wasm: here', 'webgpu: here'])
    // Another machine, GPU or version is another key, timed anew.
    await trainingSpeed('wasm: elsewhere', probe)
    expect(probes).toBe(2)
  })

  it('times again when the file is damaged, and rewrites it whole', async () => {
    mkdirSync(configDir(), { recursive: true })
    writeFileSync(file(), '{"wasm: here": {"stepMs": "fast"')
    expect(await trainingSpeed('wasm: here', async () => 80)).toMatchObject({ stepMs: 80 })
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toMatchObject({ 'wasm: here': { stepMs: 80 } })
  })

  it('still answers where the folder cannot be written', async () => {
    const blocked = join(configDir(), 'not-a-folder')
    writeFileSync(blocked, '')
    const { CADENZA_CONFIG_DIR } = process.env
    process.env.CADENZA_CONFIG_DIR = join(blocked, 'config')
    try {
      expect(await trainingSpeed('wasm: here', async () => 80)).toMatchObject({ stepMs: 80 })
      expect(existsSync(join(blocked, 'config'))).toBe(false)
    } finally {
      process.env.CADENZA_CONFIG_DIR = CADENZA_CONFIG_DIR
      rmSync(blocked)
    }
  })
})

describe('fastestOf', () => {
  it('chooses the fastest and gives every figure, fastest first, as the reason', () => {
    const speeds = [
      ['wasm', { stepMs: 850, measuredAt: '2026-12-03T10:00:00.000Z' }],
      ['webgpu', { stepMs: 120, measuredAt: '2026-12-03T10:00:02.000Z' }],
    ] as const
    expect(fastestOf(speeds.map(([name, speed]) => [name, speed]))).toEqual({
      name: 'webgpu',
      reason:
        'the fastest here: webgpu 120 ms, wasm 850 ms a training step (timed on this machine 2026-12-03)',
    })
  })
})
