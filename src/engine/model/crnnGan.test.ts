import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { SONATA_DIR } from '../../../test/corpus'
import { PRESETS, type Settings, type TrainingSettings } from '../../shared/modelSettings'
import { selectBackend } from '../process/backend'
import { CrnnGan, type AdversarialResult, type StepInput } from './crnnGan'
import { loadDataset, sampleBatch, type Dataset } from '../data/dataset'
import { createRandom } from '../random'
import { CLASS_COUNTS } from './toneClasses'

const BATCH = 4
const TIME = 8
const TONES = 3
const WIDTH = TONES * 4

const SETTINGS: Settings = {
  model: {
    ...PRESETS.quick.model,
    hiddenUnits: 8,
    layers: 2,
    tonesPerStep: TONES,
    output: 'continuous',
    meter: false,
  },
  training: { ...PRESETS.quick.training, batchSize: BATCH, sequenceLength: TIME },
}

function settingsWith(training: Partial<TrainingSettings>): Settings {
  return { model: SETTINGS.model, training: { ...SETTINGS.training, ...training } }
}

let dataset: Dataset

/** A real batch and its noise, both decided by `seed`. */
function stepInput(seed: number): StepInput {
  return {
    real: sampleBatch(dataset, createRandom(seed, 'batch'), BATCH, TIME),
    noise: createRandom(seed, 'noise').fill(new Float32Array(BATCH * TIME * WIDTH)),
    batch: BATCH,
    time: TIME,
  }
}

function noise(seed: number, count: number, time: number): Float32Array {
  return createRandom(seed, 'generate').fill(new Float32Array(count * time * WIDTH))
}

function weightsOf(network: { namedWeights(): tf.NamedTensorMap }): Record<string, number[]> {
  return Object.fromEntries(
    Object.entries(network.namedWeights()).map(([name, tensor]) => [name, tensor.arraySync() as number[]]),
  )
}

/** One generated step of one variation, out of a [count x time x width] output. */
function stepOf(output: Float32Array, time: number, variation: number, step: number): number[] {
  const at = (variation * time + step) * WIDTH
  return Array.from(output.subarray(at, at + WIDTH))
}

/** `step` run `times` times, one after another. */
async function repeat<T>(times: number, step: () => Promise<T>): Promise<T[]> {
  const results: T[] = []
  for (let i = 0; i < times; i++) results.push(await step())
  return results
}

function mean(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0) / values.length
}

/** Runs `test` on a fresh model and disposes it whatever happens. */
async function withGan(settings: Settings, test: (gan: CrnnGan) => Promise<void>): Promise<void> {
  const gan = new CrnnGan(settings)
  try {
    await test(gan)
  } finally {
    gan.dispose()
  }
}

beforeAll(async () => {
  await selectBackend('wasm')
  dataset = await loadDataset(SONATA_DIR, SETTINGS)
  expect(dataset.width).toBe(WIDTH)
})

describe('CrnnGan', () => {
  it('lowers the pretraining loss on a batch it sees again and again', async () => {
    await withGan(SETTINGS, async (gan) => {
      const input = stepInput(11)
      const losses = await repeat(40, () => gan.pretrainGeneratorStep(input))
      for (const loss of losses) expect(Number.isFinite(loss)).toBe(true)
      expect(mean(losses.slice(0, 5))).toBeGreaterThan(mean(losses.slice(35, 40)))
    })
  })

  describe('leaves no tensors behind', () => {
    const variants: [string, Partial<TrainingSettings>][] = [
      ['feature matching', { featureMatching: true, nonSaturatingLoss: true }],
      ['non-saturating loss', { featureMatching: false, nonSaturatingLoss: true }],
      ['log(1 - D(G(z)))', { featureMatching: false, nonSaturatingLoss: false }],
    ]
    for (const [name, training] of variants) {
      it(`with ${name}`, async () => {
        await withGan(settingsWith(training), async (gan) => {
          const input = stepInput(21)
          // Optimizers create their state on their first update.
          await gan.pretrainGeneratorStep(input)
          await gan.discriminatorStep(input)
          await gan.adversarialStep(input)
          await gan.generate(noise(1, 2, TIME), 2, TIME)

          const count = () => tf.memory().numTensors
          let before = count()
          await gan.pretrainGeneratorStep(stepInput(22))
          expect(count()).toBe(before)
          before = count()
          await gan.discriminatorStep(stepInput(23))
          expect(count()).toBe(before)
          for (let i = 0; i < 3; i++) {
            before = count()
            await gan.adversarialStep(stepInput(24 + i))
            expect(count()).toBe(before)
          }
          before = count()
          const output = await gan.generate(noise(2, 2, TIME), 2, TIME)
          expect(output).toHaveLength(2 * TIME * WIDTH)
          expect(count()).toBe(before)
          const primed = await gan.generate(noise(3, 2, TIME), 2, TIME, noise(4, 2, 3), 3)
          expect(primed).toHaveLength(2 * TIME * WIDTH)
          expect(count()).toBe(before)
        })
      })
    }

    it('and its disposal frees every variable and optimizer state', async () => {
      const before = tf.memory().numTensors
      const gan = new CrnnGan(SETTINGS)
      const input = stepInput(31)
      await gan.pretrainGeneratorStep(input)
      await gan.discriminatorStep(input)
      await gan.adversarialStep(input)
      expect(tf.memory().numTensors).toBeGreaterThan(before)
      gan.dispose()
      expect(tf.memory().numTensors).toBe(before)
    })
  })

  for (const meter of [false, true]) {
    describe(`with a sampling generator${meter ? ' that reads the metric position' : ''}`, () => {
      const SAMPLED: Settings = { ...SETTINGS, model: { ...SETTINGS.model, output: 'sampled', meter } }
      let classes: Dataset
      beforeAll(async () => {
        classes = await loadDataset(SONATA_DIR, SAMPLED)
      })
      const sampledInput = (gan: CrnnGan, seed: number): StepInput => ({
        real: sampleBatch(classes, createRandom(seed, 'batch'), BATCH, TIME),
        noise: createRandom(seed, 'noise').fill(new Float32Array(BATCH * TIME * gan.noiseWidth)),
        batch: BATCH,
        time: TIME,
      })

      it('pretrains by cross-entropy, summed over every value of a step: from near uniform, then lower', async () => {
        await withGan(SAMPLED, async (gan) => {
          const input = sampledInput(gan, 41)
          const losses = await repeat(40, () => gan.pretrainGeneratorStep(input))
          // An untrained G is close to uniform over each group's classes.
          const uniform = TONES * CLASS_COUNTS.reduce((total, count) => total + Math.log(count), 0)
          expect(losses[0]).toBeGreaterThan(0.9 * uniform)
          expect(losses[0]).toBeLessThan(1.1 * uniform)
          expect(mean(losses.slice(35, 40))).toBeLessThan(mean(losses.slice(0, 5)))
        })
      })

      it('trains G through its draws in the adversarial step, and leaves no tensors behind', async () => {
        await withGan(SAMPLED, async (gan) => {
          await gan.pretrainGeneratorStep(sampledInput(gan, 42))
          await gan.discriminatorStep(sampledInput(gan, 43))
          const count = () => tf.memory().numTensors
          const before = count()
          const weights = weightsOf(gan.generator)
          const result = await gan.adversarialStep(sampledInput(gan, 44))
          expect(result.generatorFrozen).toBe(false)
          expect(weightsOf(gan.generator)).not.toEqual(weights)
          expect(count()).toBe(before)
          await gan.adversarialStep(sampledInput(gan, 45))
          await gan.pretrainGeneratorStep(sampledInput(gan, 46))
          const output = await gan.generate(
            createRandom(47).fill(new Float32Array(2 * TIME * gan.noiseWidth)),
            2,
            TIME,
          )
          expect(count()).toBe(before)
          // One class in each of a step's 3 x 4 groups.
          expect(output.reduce((a, b) => a + b, 0)).toBe(2 * TIME * TONES * 4)
        })
      })
    })
  }

  describe('freezing', () => {
    // With feature matching off, the non-saturating loss on and no L2, the generatorLoss a step returns is
    // exactly the -log D(G(z)) that freezing compares with D's loss.
    const freezing = settingsWith({
      featureMatching: false,
      nonSaturatingLoss: true,
      labelSmoothing: false,
      l2: 0,
      freezeThreshold: 1,
      discriminatorLearningRate: 0.01,
    })
    const rule = (last: AdversarialResult, threshold: number) => ({
      discriminatorFrozen: last.discriminatorLoss < threshold * last.generatorLoss,
      generatorFrozen: last.generatorLoss < threshold * last.discriminatorLoss,
    })

    it("skips D's update after a step where D was far ahead of G", async () => {
      await withGan(freezing, async (gan) => {
        const input = stepInput(41)
        const pretraining = (await repeat(30, () => gan.discriminatorStep(input))).map(({ loss }) => loss)
        expect(pretraining[29]).toBeLessThan(pretraining[0])

        const first = await gan.adversarialStep(input)
        expect(first.discriminatorFrozen).toBe(false)
        expect(first.generatorFrozen).toBe(false)
        // D is strong: its loss is far below G's adversarial loss.
        expect(first.discriminatorLoss).toBeLessThan(0.5 * first.generatorLoss)

        const discriminatorBefore = weightsOf(gan.discriminator)
        const generatorBefore = weightsOf(gan.generator)
        const second = await gan.adversarialStep(stepInput(42))
        expect(second.discriminatorFrozen).toBe(true)
        expect(second.generatorFrozen).toBe(false)
        expect(weightsOf(gan.discriminator)).toEqual(discriminatorBefore)
        expect(weightsOf(gan.generator)).not.toEqual(generatorBefore)
      })
    })

    it("skips G's update after a step where G was far ahead of D", async () => {
      await withGan(freezing, async (gan) => {
        // An untrained D says about 0.5 to everything: its loss is about 2 ln 2, G's about ln 2.
        const first = await gan.adversarialStep(stepInput(51))
        expect(first.generatorLoss).toBeLessThan(first.discriminatorLoss)
        const generatorBefore = weightsOf(gan.generator)
        const discriminatorBefore = weightsOf(gan.discriminator)
        const second = await gan.adversarialStep(stepInput(52))
        expect(second.generatorFrozen).toBe(true)
        expect(second.discriminatorFrozen).toBe(false)
        expect(weightsOf(gan.generator)).toEqual(generatorBefore)
        expect(weightsOf(gan.discriminator)).not.toEqual(discriminatorBefore)
      })
    })

    it('follows the rule with the losses the previous step returned', async () => {
      for (const freezeThreshold of [0.7, 1]) {
        await withGan({ ...freezing, training: { ...freezing.training, freezeThreshold } }, async (gan) => {
          let last: AdversarialResult | null = null
          const seen = new Set<string>()
          for (let i = 0; i < 8; i++) {
            if (i === 4) for (let k = 0; k < 20; k++) await gan.discriminatorStep(stepInput(60))
            const result = await gan.adversarialStep(stepInput(61 + i))
            const expected = last
              ? rule(last, freezeThreshold)
              : { discriminatorFrozen: false, generatorFrozen: false }
            expect({
              discriminatorFrozen: result.discriminatorFrozen,
              generatorFrozen: result.generatorFrozen,
            }).toEqual(expected)
            expect(result.discriminatorFrozen && result.generatorFrozen).toBe(false)
            seen.add(`${result.discriminatorFrozen}/${result.generatorFrozen}`)
            last = result
          }
          // Both kinds of freezing happened, so the rule was checked both ways.
          expect(seen).toContain('true/false')
          expect(seen).toContain('false/true')
        })
      }
    })
  })

  describe('seeds', () => {
    it('give the same initial weights and the same music for the same seed, other weights for another', async () => {
      const a = new CrnnGan(SETTINGS)
      const b = new CrnnGan(SETTINGS)
      const c = new CrnnGan(settingsWith({ seed: SETTINGS.training.seed + 1 }))
      try {
        for (const network of ['generator', 'discriminator'] as const) {
          const [wa, wb, wc] = [a, b, c].map((gan) => weightsOf(gan[network]))
          expect(Object.keys(wa).length).toBeGreaterThan(0)
          expect(wb).toEqual(wa)
          for (const name of Object.keys(wa).filter((key) => key.endsWith('kernel'))) {
            expect(wc[name], name).not.toEqual(wa[name])
          }
        }
        const z = noise(71, 2, TIME)
        const output = await a.generate(z, 2, TIME)
        expect(await b.generate(z, 2, TIME)).toEqual(output)
        expect(await c.generate(z, 2, TIME)).not.toEqual(output)
        // Generation changes nothing: the same call gives the same output again.
        expect(await a.generate(z, 2, TIME)).toEqual(output)
      } finally {
        for (const gan of [a, b, c]) gan.dispose()
      }
    })

    it('keep two models of the same seed in step through training', async () => {
      const a = new CrnnGan(SETTINGS)
      const b = new CrnnGan(SETTINGS)
      try {
        for (const gan of [a, b]) {
          await gan.pretrainGeneratorStep(stepInput(81))
          await gan.discriminatorStep(stepInput(82))
          await gan.adversarialStep(stepInput(83))
        }
        expect(weightsOf(b.generator)).toEqual(weightsOf(a.generator))
        expect(weightsOf(b.discriminator)).toEqual(weightsOf(a.discriminator))
      } finally {
        a.dispose()
        b.dispose()
      }
    })
  })

  describe('generate with a primer', () => {
    const COUNT = 2
    const PRIMER_STEPS = 4
    const differs = (x: number[], y: number[]) => x.some((value, i) => value !== y[i])

    it('feeds primer step t - 1 to step t and lets the noise alone decide step 0', async () => {
      await withGan(SETTINGS, async (gan) => {
        const z = noise(91, COUNT, TIME)
        const primerA = sampleBatch(dataset, createRandom(92, 'primer'), COUNT, PRIMER_STEPS)
        const primerB = sampleBatch(dataset, createRandom(93, 'primer'), COUNT, PRIMER_STEPS)
        const outA = await gan.generate(z, COUNT, TIME, primerA, PRIMER_STEPS)
        const outB = await gan.generate(z, COUNT, TIME, primerB, PRIMER_STEPS)
        for (let v = 0; v < COUNT; v++) {
          expect(stepOf(outB, TIME, v, 0)).toEqual(stepOf(outA, TIME, v, 0))
          for (let t = 1; t < TIME; t++) {
            expect(
              differs(stepOf(outA, TIME, v, t), stepOf(outB, TIME, v, t)),
              `variation ${v} step ${t}`,
            ).toBe(true)
          }
        }

        // Changing only the primer's last step changes nothing before the step that sees it.
        const primerC = primerA.slice()
        for (let v = 0; v < COUNT; v++) {
          const at = (v * PRIMER_STEPS + PRIMER_STEPS - 1) * WIDTH
          for (let i = 0; i < WIDTH; i++) primerC[at + i] += 1
        }
        const outC = await gan.generate(z, COUNT, TIME, primerC, PRIMER_STEPS)
        for (let v = 0; v < COUNT; v++) {
          for (let t = 0; t < PRIMER_STEPS; t++) {
            expect(stepOf(outC, TIME, v, t), `variation ${v} step ${t}`).toEqual(stepOf(outA, TIME, v, t))
          }
          expect(differs(stepOf(outC, TIME, v, PRIMER_STEPS), stepOf(outA, TIME, v, PRIMER_STEPS))).toBe(true)
        }

        // Without a primer step 0 is the same too: it sees zeros either way.
        const unprimed = await gan.generate(z, COUNT, TIME)
        expect(await gan.generate(z, COUNT, TIME, primerA, 0)).toEqual(unprimed)
        for (let v = 0; v < COUNT; v++) expect(stepOf(unprimed, TIME, v, 0)).toEqual(stepOf(outA, TIME, v, 0))
      })
    })

    it('makes step 0 depend on the noise of step 0 only', async () => {
      await withGan(SETTINGS, async (gan) => {
        const z = noise(94, COUNT, TIME)
        const primer = sampleBatch(dataset, createRandom(95, 'primer'), COUNT, PRIMER_STEPS)
        const base = await gan.generate(z, COUNT, TIME, primer, PRIMER_STEPS)
        const later = z.slice()
        const first = z.slice()
        for (let v = 0; v < COUNT; v++) {
          for (let i = WIDTH; i < TIME * WIDTH; i++)
            later[v * TIME * WIDTH + i] = 1 - later[v * TIME * WIDTH + i]
          for (let i = 0; i < WIDTH; i++) first[v * TIME * WIDTH + i] = 1 - first[v * TIME * WIDTH + i]
        }
        const withLater = await gan.generate(later, COUNT, TIME, primer, PRIMER_STEPS)
        const withFirst = await gan.generate(first, COUNT, TIME, primer, PRIMER_STEPS)
        for (let v = 0; v < COUNT; v++) {
          expect(stepOf(withLater, TIME, v, 0)).toEqual(stepOf(base, TIME, v, 0))
          expect(differs(stepOf(withLater, TIME, v, 1), stepOf(base, TIME, v, 1))).toBe(true)
          expect(differs(stepOf(withFirst, TIME, v, 0), stepOf(base, TIME, v, 0))).toBe(true)
        }
      })
    })
  })
})
