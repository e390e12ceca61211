import * as tf from '@tensorflow/tfjs'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { corpusFile, SONATA_DIR } from '../../test/corpus'
import { tinySettings } from '../../test/tinySettings'
import { midiToPiece } from '../shared/music/midiToPiece'
import type { Piece } from '../shared/music/piece'
import { pieceToMidi } from '../shared/music/pieceToMidi'
import { stepOnsets, type Step } from '../shared/music/steps'
import { selectBackend } from './process/backend'
import { exportGenerator } from './checkpointStore'
import { MAX_STEPS } from '../shared/generateRequest'
import { DEFAULT_DECODE_OPTIONS } from '../shared/music/decoding'
import { generate, loadGenerator, stepsUntil, type GenerateRequest, type LoadedGenerator } from './generation'
import { MOST_KEYS_AT_ONCE } from '../shared/music/steering'
import { train } from './training/training'

/** The kinds of generator: the paper's, a sampling one, and a sampling one that reads the metric position. */
const KINDS = {
  continuous: { output: 'continuous', meter: false },
  sampled: { output: 'sampled', meter: false },
  metered: { output: 'sampled', meter: true },
} as const
const OUTPUTS = Object.keys(KINDS) as (keyof typeof KINDS)[]
type Output = (typeof OUTPUTS)[number]
/** A tiny model of each kind of generator, with three tones per step, and its checkpoint. */
const trained = {} as Record<Output, { checkpoint: string; model: LoadedGenerator }>
const request: GenerateRequest = { seed: 7, temperature: 1, length: 48, count: 1 }

beforeAll(async () => {
  const backend = await selectBackend('wasm')
  for (const output of OUTPUTS) {
    const outDir = mkdtempSync(join(tmpdir(), 'cadenza-generate-'))
    const settings = tinySettings({}, KINDS[output])
    const { checkpoint } = await train({ dataDir: SONATA_DIR, outDir, settings, backend })
    trained[output] = { checkpoint, model: await loadGenerator(checkpoint) }
  }
  // Three trainings: a bound for a busy machine, three times the one for a single set-up.
}, 360_000)

afterAll(() => OUTPUTS.forEach((output) => trained[output].model.dispose()))

const bytes = (piece: Piece) => Buffer.from(pieceToMidi(piece))

/**
 * Checks that a piece asked for in bars ends at `end`: no note starts there or later, none sounds past it,
 * and it was not cut short: G's next step, asked for in steps with the same noise, would start at or after
 * `end`. `offset` is where the continuation starts (the primer's last onset).
 */
async function expectEndsAt(
  piece: Piece,
  generateSteps: (length: number) => Promise<Piece>,
  offset: number,
  end: number,
) {
  expect(piece.notes.length).toBeGreaterThan(0)
  expect(piece.notes.every((note) => note.onset < end && note.onset + note.length <= end)).toBe(true)
  const steps = piece.modelOutput!.length
  const longer = await generateSteps(steps + 1)
  expect(longer.modelOutput!.slice(0, steps)).toEqual(piece.modelOutput)
  const onsets = stepOnsets(longer.modelOutput!)
  expect(offset + onsets[steps - 1]).toBeLessThan(end)
  expect(offset + onsets[steps]).toBeGreaterThanOrEqual(end)
}

describe.each(OUTPUTS)('generate, %s generator', (output) => {
  let checkpoint: string
  let model: LoadedGenerator
  beforeAll(() => ({ checkpoint, model } = trained[output]))

  it('gives the same bytes for the same seed and other notes for another', async () => {
    const [first] = await generate(model, request)
    const [again] = await generate(model, request)
    const [other] = await generate(model, { ...request, seed: 8 })
    expect(first.notes.length).toBeGreaterThan(0)
    expect(bytes(again).equals(bytes(first))).toBe(true)
    expect(first.modelOutput).not.toEqual(other.modelOutput)
  })

  it('follows the noise-free path at temperature 0, whatever the seed', async () => {
    const [a] = await generate(model, { ...request, temperature: 0 })
    const [b] = await generate(model, { ...request, temperature: 0, seed: 12345 })
    expect(b.modelOutput).toEqual(a.modelOutput)
    const [noisy] = await generate(model, request)
    expect(noisy.modelOutput).not.toEqual(a.modelOutput)
  })

  it('generates the same notes after a checkpoint round trip through a generator-only export', async () => {
    const exported = join(mkdtempSync(join(tmpdir(), 'cadenza-export-')), 'model')
    await exportGenerator(checkpoint, exported)
    const reloaded = await loadGenerator(exported)
    try {
      expect(reloaded.meta.kind).toBe('generator')
      expect(reloaded.id).toBe(model.id)
      expect(
        bytes((await generate(reloaded, request))[0]).equals(bytes((await generate(model, request))[0])),
      ).toBe(true)
    } finally {
      reloaded.dispose()
    }
  })

  it('makes distinct variations in one batch, each as it would be alone', async () => {
    const pieces = await generate(model, { ...request, count: 3 })
    expect(pieces).toHaveLength(3)
    expect(pieces[1].modelOutput).not.toEqual(pieces[0].modelOutput)
    expect(JSON.parse(pieces[2].recipe!)).toMatchObject({ seed: 7, variation: 2, temperature: 1, length: 48 })
    expect(bytes(pieces[0]).equals(bytes((await generate(model, request))[0]))).toBe(true)
  })

  it('starts a primed piece with its primer and continues after it', async () => {
    const source = midiToPiece(readFileSync(corpusFile('sonata-ish/mozk545a.mid')))
    const primer: Piece = { ...source, notes: source.notes.slice(0, 20) }
    const [piece] = await generate(model, { ...request, primer })
    expect(piece.notes.slice(0, 20)).toEqual(primer.notes)
    expect(piece.notes.length).toBeGreaterThan(20)
    const lastPrimerOnset = primer.notes[19].onset
    expect(piece.notes.slice(20).every((note) => note.onset >= lastPrimerOnset)).toBe(true)
    expect(piece.modelOutput).toHaveLength(request.length)
    expect(JSON.parse(piece.recipe!).primer).toMatch(/^[0-9a-f]{16}$/)
  })

  it('redraws only the chosen range: the steps before it are unchanged, the range is not', async () => {
    const [original] = await generate(model, request)
    const [redrawn] = await generate(model, { ...request, redraw: { seed: 99, from: 16, to: 32 } })
    expect(redrawn.modelOutput!.slice(0, 16)).toEqual(original.modelOutput!.slice(0, 16))
    expect(redrawn.modelOutput!.slice(16, 32)).not.toEqual(original.modelOutput!.slice(16, 32))
  })

  it("starts the range's first step where it did, so no redrawn note lands before the range", async () => {
    const [original] = await generate(model, request)
    const start = stepOnsets(original.modelOutput!)[16]
    const firstSteps: Step[] = []
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const [redrawn] = await generate(model, { ...request, redraw: { seed, from: 16, to: 32 } })
      expect(stepOnsets(redrawn.modelOutput!)[16]).toBe(start)
      firstSteps.push(redrawn.modelOutput![16])
    }
    // The paper's G keeps the whole step, each of whose values comes from its noise; a sampling G keeps the
    // draws of its deltas only, and draws its tones' other values afresh.
    const redrawnFirst = firstSteps.filter(
      (step) => JSON.stringify(step) !== JSON.stringify(original.modelOutput![16]),
    )
    expect(redrawnFirst.length > 0).toBe(KINDS[output].output === 'sampled')
  })

  it('keeps the notes of the first steps when asked for more steps', async () => {
    const [short] = await generate(model, request)
    const [long] = await generate(model, { ...request, length: 3 * request.length })
    expect(long.modelOutput!.slice(0, request.length)).toEqual(short.modelOutput)
  })

  it('generates a length in bars of 4/4 without a primer, the same for the same seed', async () => {
    const bars: GenerateRequest = { ...request, length: 6, lengthUnit: 'bars', count: 2 }
    const pieces = await generate(model, bars)
    for (const [v, piece] of pieces.entries()) {
      const alone = async (length: number) => (await generate(model, { ...request, length, count: 2 }))[v]
      await expectEndsAt(piece, alone, 0, 24)
    }
    expect(JSON.parse(pieces[0].recipe!)).toMatchObject({ length: 6, lengthUnit: 'bars' })
    expect(bytes((await generate(model, bars))[1]).equals(bytes(pieces[1]))).toBe(true)
  })

  it("counts bars in the primer's time signature, after the primer's last bar", async () => {
    const source = midiToPiece(readFileSync(corpusFile('sonata-ish/mozk545b.mid')))
    expect(source.timeSignatures).toMatchObject([{ time: 0, numerator: 3, denominator: 4 }])
    const primer: Piece = { ...source, notes: source.notes.slice(0, 20) }
    const last = primer.notes[19].onset
    const end = 3 * (Math.floor(last / 3) + 1 + 2)
    const [piece] = await generate(model, { ...request, primer, length: 2, lengthUnit: 'bars' })
    expect(piece.notes.slice(0, 20)).toEqual(primer.notes)
    expect(piece.timeSignatures).toEqual(primer.timeSignatures)
    await expectEndsAt(
      piece,
      async (length) => (await generate(model, { ...request, primer, length }))[0],
      last,
      end,
    )
  })

  it('ignores a redrawn range beyond the steps it generates', async () => {
    const [original] = await generate(model, request)
    const [redrawn] = await generate(model, { ...request, redraw: { seed: 99, from: 100, to: 200 } })
    expect(redrawn.modelOutput).toEqual(original.modelOutput)
  })

  it('refuses more tones per step than the model has, naming both', async () => {
    await expect(generate(model, { ...request, tonesPerStep: 4 })).rejects.toThrow(
      'asked for 4 tones per step, but the model has 3',
    )
  })

  it('writes the recipe into the MIDI file', async () => {
    const [piece] = await generate(model, request)
    const recipe = JSON.parse(midiToPiece(pieceToMidi(piece)).recipe!)
    expect(recipe).toMatchObject({
      checkpoint: model.id,
      seed: 7,
      temperature: 1,
      length: 48,
      lengthUnit: 'steps',
      primer: null,
    })
  })

  it('leaves no tensors behind', async () => {
    const before = tf.memory().numTensors
    await generate(model, { ...request, count: 2 })
    expect(tf.memory().numTensors).toBe(before)
  })
})

describe('generate, continuous generator', () => {
  let model: LoadedGenerator
  beforeAll(() => ({ model } = trained.continuous))

  it('lets only the loudest tone of each step sound with one tone per step, and keeps the raw output', async () => {
    expect(model.meta.settings.model.tonesPerStep).toBe(3)
    const [all] = await generate(model, request)
    const [one] = await generate(model, { ...request, tonesPerStep: 1 })
    expect(bytes((await generate(model, { ...request, tonesPerStep: 1 }))[0]).equals(bytes(one))).toBe(true)
    expect(one.modelOutput).toEqual(all.modelOutput)

    const thresholds = model.meta.decoding!.intensityThresholds
    const sounding = all.modelOutput!.map((step) => step.filter((t, j) => t.intensity >= thresholds[j]))
    // The model does make chords, so there is something to thin out.
    expect(sounding.some((tones) => tones.length > 1)).toBe(true)
    expect(all.notes.length).toBeGreaterThan(one.notes.length)
    // Per onset, the velocity of each sounding step's loudest tone, and nothing else.
    const onsets = stepOnsets(all.modelOutput!)
    const byOnset = (entries: [number, number][]) =>
      [...new Set(entries.map(([onset]) => onset))].map((onset) => [
        onset,
        entries.flatMap(([at, velocity]) => (at === onset ? [velocity] : [])).sort((a, b) => a - b),
      ])
    const loudest = sounding.flatMap((tones, s): [number, number][] =>
      tones.length
        ? [[onsets[s], Math.min(127, Math.round(Math.max(...tones.map((t) => t.intensity))))]]
        : [],
    )
    expect(byOnset(one.notes.map((note) => [note.onset, note.velocity]))).toEqual(byOnset(loudest))
    const key = ({ onset, pitch, velocity }: Piece['notes'][number]) => `${onset} ${pitch} ${velocity}`
    const allKeys = new Set(all.notes.map(key))
    expect(one.notes.every((note) => allKeys.has(key(note)))).toBe(true)

    // As many as the model has is every tone, as without a limit.
    expect((await generate(model, { ...request, tonesPerStep: 3 }))[0].notes).toEqual(all.notes)
    expect(JSON.parse(one.recipe!)).toMatchObject({ seed: 7, tonesPerStep: 1 })
    expect(JSON.parse(all.recipe!)).not.toHaveProperty('tonesPerStep')
  })

  it("sounds a tone when it reaches its slot's calibrated threshold, and keeps the thresholds in the piece", async () => {
    const thresholds = model.meta.decoding!.intensityThresholds
    expect(thresholds).toHaveLength(3)
    // The first tone of a step always sounds in the corpus: it keeps the default threshold.
    expect(thresholds[0]).toBe(DEFAULT_DECODE_OPTIONS.intensityThreshold)
    const [piece] = await generate(model, { ...request, length: 256 })
    expect(piece.intensityThresholds).toEqual(thresholds)
    const sounding = piece.modelOutput!.flatMap((step) => step.filter((t, j) => t.intensity >= thresholds[j]))
    expect(piece.notes).toHaveLength(sounding.length)
  })
})

describe('generate, a generator that reads the metric position', () => {
  let model: LoadedGenerator
  beforeAll(() => ({ model } = trained.metered))
  const threeFour = [{ time: 0, numerator: 3, denominator: 4 }]

  it('keeps time in the meter asked for, writes its time signature, and names it in the recipe', async () => {
    const bars: GenerateRequest = { ...request, meter: '3/4', length: 4, lengthUnit: 'bars' }
    const [piece] = await generate(model, bars)
    expect(piece.timeSignatures).toEqual(threeFour)
    await expectEndsAt(
      piece,
      async (length) => (await generate(model, { ...bars, length, lengthUnit: 'steps' }))[0],
      0,
      12,
    )
    expect(JSON.parse(piece.recipe!)).toMatchObject({ meter: '3/4' })
    expect(bytes((await generate(model, bars))[0]).equals(bytes(piece))).toBe(true)
    // The meter is G's input: in 4/4 the same noise makes another piece.
    const [common] = await generate(model, { ...bars, meter: '4/4' })
    expect(common.modelOutput).not.toEqual(piece.modelOutput)
    expect(common.timeSignatures).toEqual([{ time: 0, numerator: 4, denominator: 4 }])
  })

  it("continues a primer in the primer's own meter, or in the one asked for when it has none", async () => {
    const source = midiToPiece(readFileSync(corpusFile('sonata-ish/mozk545b.mid')))
    const primer: Piece = { ...source, notes: source.notes.slice(0, 20) }
    const [own] = await generate(model, { ...request, primer, meter: '6/8' })
    const [same] = await generate(model, { ...request, primer })
    expect(own.timeSignatures).toEqual(threeFour)
    expect(own.modelOutput).toEqual(same.modelOutput)
    const bare = { ...primer, timeSignatures: [] }
    const [asked] = await generate(model, { ...request, primer: bare, meter: '3/4' })
    expect(asked.timeSignatures).toEqual(threeFour)
    expect(asked.modelOutput).toEqual(own.modelOutput)
  })

  it('draws each value at the temperature times its scale, as the checkpoint keeps them', async () => {
    const scaled = (temperatureScales: number[]): LoadedGenerator => ({
      ...model,
      meta: { ...model.meta, decoding: { ...model.meta.decoding!, temperatureScales } },
    })
    const [plain] = await generate(model, request)
    const [ones] = await generate(scaled([1, 1, 1, 1]), request)
    // A tiny model's logits are nearly even, so the noise decides the draw, and only a scale far from 1
    // changes which class wins: cooler velocities here, nearer the likeliest.
    const [cooler] = await generate(scaled([1, 1, 0.05, 1]), request)
    expect(bytes(ones).equals(bytes(plain))).toBe(true)
    expect(cooler.modelOutput).not.toEqual(plain.modelOutput)
    // At temperature 0 every value is the likeliest, whatever its scale.
    const [still] = await generate(model, { ...request, temperature: 0 })
    const [stillScaled] = await generate(scaled([2, 0.5, 1.5, 1]), { ...request, temperature: 0 })
    expect(stillScaled.modelOutput).toEqual(still.modelOutput)
  })
})

describe('generate, sampled generator', () => {
  let model: LoadedGenerator
  beforeAll(() => ({ model } = trained.sampled))

  it('sounds every drawn tone but "no tone", and keeps the pitches each was drawn from', async () => {
    expect(model.meta.decoding!.intensityThresholds).toEqual([1, 1, 1])
    const [piece] = await generate(model, { ...request, length: 64 })
    const sounding = piece.modelOutput!.flatMap((step) => step.filter((tone) => tone.intensity > 0))
    expect(piece.notes).toHaveLength(sounding.length)
    expect(piece.pitchChoices).toHaveLength(64)
    piece.pitchChoices!.forEach((step) => {
      expect(step).toHaveLength(3)
      step.forEach((choices) => {
        expect(choices.length).toBeGreaterThan(0)
        const probabilities = choices.map(({ probability }) => probability)
        expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a))
      })
    })
  })

  it('draws the likeliest key of each tone at temperature 0, or no tone when that is likeliest', async () => {
    const [piece] = await generate(model, { ...request, temperature: 0 })
    const sounding = piece.modelOutput!.flatMap((step, s) =>
      step.map((tone, j) => {
        const [likeliest] = piece.pitchChoices![s][j]
        if (tone.intensity === 0) expect(likeliest.probability).toBe(0)
        else expect(likeliest).toEqual({ pitch: tone.pitch, probability: 1 })
        return tone.intensity > 0
      }),
    )
    expect(sounding).toContain(true)
  })
})

describe('the default model, one tone a step, under the chord rule', () => {
  /** Per piece, the keys struck at each onset. */
  const chordsOf = (pieces: Piece[]) =>
    pieces.map((piece) => {
      const chords = new Map<number, number[]>()
      for (const note of piece.notes) chords.set(note.onset, [...(chords.get(note.onset) ?? []), note.pitch])
      return [...chords.values()]
    })

  it(`strikes no key twice at one onset, and at most ${MOST_KEYS_AT_ONCE} keys at once, primed or not`, async () => {
    const shipped = await loadGenerator(
      fileURLToPath(new URL('../../resources/default-model', import.meta.url)),
    )
    const primer = midiToPiece(readFileSync(corpusFile('piano-midi-de/Chopin/chpn-p1.mid')))
    try {
      // Without the rule these seeds strike a key again within a chord in most variations, and a chord of
      // dozens of tones in some.
      const free = await generate(shipped, { seed: 5, temperature: 0.8, length: 128, count: 8 })
      const primed = await generate(shipped, {
        seed: 6,
        temperature: 0.8,
        length: 64,
        count: 2,
        primer: { ...primer, notes: primer.notes.filter((note) => note.onset < 8) },
      })
      const chords = chordsOf([...free, ...primed]).flat()
      expect(chords.filter((keys) => keys.length > 1).length).toBeGreaterThan(20)
      for (const keys of chords) {
        expect(new Set(keys).size).toBe(keys.length)
        expect(keys.length).toBeLessThanOrEqual(MOST_KEYS_AT_ONCE)
      }
    } finally {
      shipped.dispose()
    }
  })
})

describe("the paper's generator, as it shipped before sampling", () => {
  it('generates the same bytes as it always has', async () => {
    const paper = await loadGenerator(
      fileURLToPath(new URL('../../test/fixtures/paper-model', import.meta.url)),
    )
    try {
      expect(paper.meta.settings.model.output).toBe('continuous')
      const [piece] = await generate(paper, { seed: 3, temperature: 1, length: 256, count: 1 })
      expect(piece.notes).toHaveLength(417)
      // The file `cadenza generate --seed 3` wrote from it before generators could sample.
      const digest = createHash('sha256').update(pieceToMidi(piece)).digest('hex')
      expect(digest).toBe('35aa92a6444472185b15ca40fabafd478a897842b35a4ba7060913b6b9f55551')
    } finally {
      paper.dispose()
    }
  })
})

describe('stepsUntil', () => {
  it('runs again with twice the steps until every variation reaches the end, or MAX_STEPS', async () => {
    const calls: number[] = []
    // Two variations whose steps are 0.5 and 1 quarter apart.
    const run = async (steps: number): Promise<Step[][]> => {
      calls.push(steps)
      return [0.5, 1].map((delta) =>
        Array.from({ length: steps }, () => [{ length: 1, pitch: 60, intensity: 80, delta }]),
      )
    }
    // From 2 to 12 quarters: the 20th step of the first variation starts at 12.
    expect((await stepsUntil(run, 2, 12, 4)).map((steps) => steps.length)).toEqual([19, 9])
    expect(calls).toEqual([4, 8, 16, 32])

    calls.length = 0
    const still = async (steps: number): Promise<Step[][]> =>
      (await run(steps)).map((v) => v.map(([tone]) => [{ ...tone, delta: 0 }]))
    expect((await stepsUntil(still, 0, 1, 5000))[0]).toHaveLength(MAX_STEPS)
    expect(calls).toEqual([5000, MAX_STEPS])
  })
})
