// Node, tests only. The whole engine on the WebGPU backend, run on SwiftShader (test/swiftShader.ts), a
// software GPU, so that every build tests it without a GPU: the LSTM's hand-written gradients, a training
// step of each generator, a run that stops and resumes, seeded generation, and a GPU lost mid-training.
// Results agree with WebAssembly's within TOLERANCE and repeat to the bit on WebGPU. Kept tiny: SwiftShader
// runs each kernel on the CPU, and its first run of each kernel compiles it.
import * as tf from '@tensorflow/tfjs'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { SONATA_DIR } from '../../../test/corpus'
import { closeTo, gradientsOf, referenceSequence, weighted } from '../../../test/lstmReference'
import { useSwiftShader } from '../../../test/swiftShader'
import { tinySettings } from '../../../test/tinySettings'
import type { Settings } from '../../shared/modelSettings'
import { pieceToMidi } from '../../shared/music/pieceToMidi'
import { readCheckpointMeta } from '../checkpointStore'
import { generate, loadGenerator } from '../generation'
import { CrnnGan, type StepInput } from '../model/crnnGan'
import { LstmLayer } from '../model/lstm'
import { CLASS_COUNTS } from '../model/toneClasses'
import { createRandom } from '../random'
import { checkpointDir, train } from '../training/training'
import { backendFault, BackendFaultError, selectBackend } from './backend'
import { describeGpuError, gpuFault } from './webgpuBackend'

useSwiftShader()

/** Relative to the largest magnitude of each compared list: float32 sums in another order differ by ~1e-6. */
const TOLERANCE = 1e-4

/** `work` on WebAssembly and then on WebGPU; it must make and dispose its own tensors. */
async function onBoth<T>(work: () => Promise<T>): Promise<{ wasm: T; webgpu: T }> {
  await selectBackend('wasm')
  const wasm = await work()
  await selectBackend('webgpu')
  return { wasm, webgpu: await work() }
}

const temporary = () => mkdtempSync(join(tmpdir(), 'cadenza-webgpu-'))

afterAll(async () => {
  await selectBackend('wasm')
})

describe('the WebGPU backend on a software adapter', () => {
  it('is never chosen automatically, and runs when forced', async () => {
    // WebAssembly here; native TensorFlow where its optional package is installed.
    const automatic = await selectBackend()
    expect(automatic.name).not.toBe('webgpu')
    expect(automatic.reason).toContain('webgpu: its only adapter is a software one (SwiftShader')
    const forced = await selectBackend('webgpu')
    expect(forced).toMatchObject({ name: 'webgpu', reason: 'forced' })
    expect(forced.description).toMatch(/^WebGPU \(software, on the CPU: SwiftShader .*, slow\)$/)
    expect(tf.getBackend()).toBe('webgpu')
  })

  it('releases the device of an automatic choice that passes it over, and starts afresh when forced', async () => {
    await selectBackend('webgpu')
    const device = (tf.backend() as unknown as { device: GPUDevice }).device
    expect((await selectBackend()).name).not.toBe('webgpu')
    expect(tf.findBackendFactory('webgpu')).toBeNull()
    expect((await device.lost).reason).toBe('destroyed')
    expect(gpuFault()).toBeUndefined()

    await selectBackend('webgpu')
    expect((tf.backend() as unknown as { device: GPUDevice }).device).not.toBe(device)
    const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])))
    expect(Array.from(await sum.data())).toEqual([4, 6])
    tf.dispose(sum)
    expect(backendFault()).toBeUndefined()
  })

  it("names the device's out-of-memory and other errors in one line", async () => {
    await selectBackend('webgpu') // which installs WebGPU's classes
    const outOfMemory = Object.create(GPUOutOfMemoryError.prototype) as GPUError
    expect(describeGpuError(outOfMemory)).toBe(
      'the GPU ran out of memory (a smaller batch, sequence length or model needs less)',
    )
    const invalid = { message: 'Buffer is invalid.\n - While calling Queue.Submit' } as GPUError
    expect(describeGpuError(invalid)).toBe('the GPU reported an error (Buffer is invalid.)')
  })

  it('has the gradients of the straightforward LSTM, both ways, and those of WebAssembly', async () => {
    for (const reverse of [false, true]) {
      const { wasm, webgpu } = await onBoth(async () => {
        const layer = new LstmLayer('test', 3, 4, 17)
        const input = tf.variable(tf.randomNormal([2, 5, 3], 0, 1, 'float32', 5))
        const variables = [input, layer.kernel, layer.recurrentKernel, layer.bias]
        try {
          const outputs = tf.tidy(() => layer.sequence(input as tf.Tensor3D, reverse))
          return {
            outputs: [Array.from(await outputs.data())],
            ours: await gradientsOf(variables, () =>
              weighted(layer.sequence(input as tf.Tensor3D, reverse), 3),
            ),
            reference: await gradientsOf(variables, () =>
              weighted(referenceSequence(layer, input as tf.Tensor3D, reverse), 3),
            ),
          }
        } finally {
          tf.dispose(variables)
        }
      })
      expect(closeTo(webgpu.ours, webgpu.reference, TOLERANCE)).toBe(true)
      expect(closeTo(webgpu.ours, wasm.ours, TOLERANCE)).toBe(true)
      expect(closeTo(webgpu.outputs, wasm.outputs, TOLERANCE)).toBe(true)
    }
  })

  it.each(['continuous', 'sampled'] as const)(
    'trains the %s generator as WebAssembly does: pretraining, D and adversarial steps',
    async (output) => {
      const settings: Settings = tinySettings({}, { output })
      const { wasm, webgpu } = await onBoth(async () => {
        const gan = new CrnnGan(settings)
        try {
          const { batchSize: batch, sequenceLength: time } = settings.training
          const random = createRandom(3, 'webgpu')
          // As the dataset stores a step: four class numbers per tone, or four normalized values.
          const stored = batch * time * settings.model.tonesPerStep * CLASS_COUNTS.length
          const input: StepInput = {
            real: random
              .fill(new Float32Array(stored))
              .map((u, i) =>
                output === 'sampled' ? Math.floor(u * CLASS_COUNTS[i % CLASS_COUNTS.length]) : 2 * u - 1,
              ),
            noise: random.fill(new Float32Array(batch * time * gan.noiseWidth)),
            batch,
            time,
          }
          const pretraining = await gan.pretrainGeneratorStep(input)
          const discriminator = await gan.discriminatorStep(input)
          const adversarial = await gan.adversarialStep(input)
          const losses = [
            pretraining,
            discriminator.loss,
            adversarial.generatorLoss,
            adversarial.discriminatorLoss,
          ]
          const weights = await Promise.all(
            gan.generator.variables.map(async (v) => Array.from(await v.data())),
          )
          return { losses, weights }
        } finally {
          gan.dispose()
        }
      })
      expect(closeTo([webgpu.losses], [wasm.losses], TOLERANCE)).toBe(true)
      expect(closeTo(webgpu.weights, wasm.weights, TOLERANCE)).toBe(true)
    },
  )

  it('stops and resumes a training to the bytes of an uninterrupted one, and records the backend', async () => {
    const backend = await selectBackend('webgpu')
    const settings = tinySettings()
    const whole = temporary()
    await train({ dataDir: SONATA_DIR, outDir: whole, settings, backend })

    const resumed = temporary()
    const controller = new AbortController()
    const stopped = await train({
      dataDir: SONATA_DIR,
      outDir: resumed,
      settings,
      backend,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'epoch') controller.abort()
      },
    })
    expect(stopped).toMatchObject({ completedEpochs: 1, cancelled: true })
    expect(await train({ dataDir: SONATA_DIR, outDir: resumed, settings, backend })).toMatchObject({
      completedEpochs: 2,
      cancelled: false,
    })
    const weights = (dir: string) => readFileSync(join(checkpointDir(dir), 'generator.weights.bin'))
    expect(weights(resumed).equals(weights(whole))).toBe(true)
    expect((await readCheckpointMeta(checkpointDir(resumed))).backend).toBe('webgpu')
    // Three trainings on a software GPU, each measuring G after its adversarial epoch: minutes on a busy machine.
  }, 300_000)

  it.each([
    ['paper', '../../../test/fixtures/paper-model'],
    ['default', '../../../resources/default-model'],
  ])('generates the same bytes twice from the %s model, and the notes WebAssembly does', async (_, path) => {
    const request = { seed: 7, temperature: 1, length: 24, count: 2 }
    const { wasm, webgpu } = await onBoth(async () => {
      const model = await loadGenerator(fileURLToPath(new URL(path, import.meta.url)))
      try {
        const [first, again] = [await generate(model, request), await generate(model, request)]
        const bytes = (pieces: typeof first) => Buffer.concat(pieces.map((piece) => pieceToMidi(piece)))
        expect(bytes(again).equals(bytes(first))).toBe(true)
        return first.map((piece) => piece.modelOutput!.flat().flatMap((tone) => Object.values(tone)))
      } finally {
        model.dispose()
      }
    })
    // The sampled model's values are drawn classes (the same ones); the paper's regressed ones are close.
    expect(closeTo(webgpu, wasm, TOLERANCE)).toBe(true)
  })

  // Last: the GPU stays lost for the rest of the process.
  it('stops a training whose GPU is lost with one line, keeps the last checkpoint, and resumes elsewhere', async () => {
    const backend = await selectBackend('webgpu')
    const outDir = temporary()
    const settings = tinySettings()
    const training = train({
      dataDir: SONATA_DIR,
      outDir,
      settings,
      backend,
      onEvent: (event) => {
        if (event.type === 'step' && event.epoch === 2) {
          ;(tf.backend() as unknown as { device: GPUDevice }).device.destroy()
        }
      },
    })
    await expect(training).rejects.toThrow(BackendFaultError)
    const message = await training.catch((error: Error) => error.message)
    expect(message).toMatch(
      /^the GPU was lost \(.+\): training stopped; the checkpoint of epoch 1 is kept; train again to resume it/,
    )
    expect(message).not.toContain('\n')
    expect((await readCheckpointMeta(checkpointDir(outDir))).history).toHaveLength(1)

    const next = await selectBackend()
    expect(next.name).not.toBe('webgpu')
    expect(await train({ dataDir: SONATA_DIR, outDir, settings, backend: next })).toMatchObject({
      completedEpochs: 2,
      cancelled: false,
    })
    expect((await readCheckpointMeta(checkpointDir(outDir))).backend).toBe(next.name)
  })
})
