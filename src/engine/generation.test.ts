import * as tf from '@tensorflow/tfjs'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { corpusFile, SONATA_DIR } from '../../test/corpus'
import { tinySettings } from '../../test/tinySettings'
import { midiToPiece } from '../shared/music/midiToPiece'
import type { Piece } from '../shared/music/piece'
import { pieceToMidi } from '../shared/music/pieceToMidi'
import { selectBackend } from './backend'
import { exportGenerator } from './checkpointStore'
import { generate, loadGenerator, type GenerateRequest, type LoadedGenerator } from './generation'
import { train } from './training'

let checkpoint: string
let model: LoadedGenerator
const request: GenerateRequest = { seed: 7, temperature: 1, length: 48, count: 1 }

beforeAll(async () => {
  const backend = await selectBackend('wasm')
  const outDir = mkdtempSync(join(tmpdir(), 'cadenza-generate-'))
  checkpoint = (await train({ dataDir: SONATA_DIR, outDir, settings: tinySettings(), backend })).checkpoint
  model = await loadGenerator(checkpoint)
})

afterAll(() => model.dispose())

const bytes = (piece: Piece) => Buffer.from(pieceToMidi(piece))

describe('generate', () => {
  it('gives the same bytes for the same seed and other notes for another', () => {
    const [first] = generate(model, request)
    const [again] = generate(model, request)
    const [other] = generate(model, { ...request, seed: 8 })
    expect(first.notes.length).toBeGreaterThan(0)
    expect(bytes(again).equals(bytes(first))).toBe(true)
    expect(first.modelOutput).not.toEqual(other.modelOutput)
  })

  it('follows the noise-free path at temperature 0, whatever the seed', () => {
    const [a] = generate(model, { ...request, temperature: 0 })
    const [b] = generate(model, { ...request, temperature: 0, seed: 12345 })
    expect(b.modelOutput).toEqual(a.modelOutput)
    const [noisy] = generate(model, request)
    expect(noisy.modelOutput).not.toEqual(a.modelOutput)
  })

  it('generates the same notes after a checkpoint round trip through a generator-only export', async () => {
    const exported = join(mkdtempSync(join(tmpdir(), 'cadenza-export-')), 'model')
    await exportGenerator(checkpoint, exported)
    const reloaded = await loadGenerator(exported)
    try {
      expect(reloaded.meta.kind).toBe('generator')
      expect(reloaded.id).toBe(model.id)
      expect(bytes(generate(reloaded, request)[0]).equals(bytes(generate(model, request)[0]))).toBe(true)
    } finally {
      reloaded.dispose()
    }
  })

  it('makes distinct variations in one batch, each as it would be alone', () => {
    const pieces = generate(model, { ...request, count: 3 })
    expect(pieces).toHaveLength(3)
    expect(pieces[1].modelOutput).not.toEqual(pieces[0].modelOutput)
    expect(JSON.parse(pieces[2].recipe!)).toMatchObject({ seed: 7, variation: 2, temperature: 1, length: 48 })
    expect(bytes(pieces[0]).equals(bytes(generate(model, request)[0]))).toBe(true)
  })

  it('starts a primed piece with its primer and continues after it', () => {
    const source = midiToPiece(readFileSync(corpusFile('sonata-ish/mozk545a.mid')))
    const primer: Piece = { ...source, notes: source.notes.slice(0, 20) }
    const [piece] = generate(model, { ...request, primer })
    expect(piece.notes.slice(0, 20)).toEqual(primer.notes)
    expect(piece.notes.length).toBeGreaterThan(20)
    const lastPrimerOnset = primer.notes[19].onset
    expect(piece.notes.slice(20).every((note) => note.onset >= lastPrimerOnset)).toBe(true)
    expect(piece.modelOutput).toHaveLength(request.length)
    expect(JSON.parse(piece.recipe!).primer).toMatch(/^[0-9a-f]{16}$/)
  })

  it('redraws only the chosen range: the steps before it are unchanged, the range is not', () => {
    const [original] = generate(model, request)
    const [redrawn] = generate(model, { ...request, redraw: { seed: 99, from: 16, to: 32 } })
    expect(redrawn.modelOutput!.slice(0, 16)).toEqual(original.modelOutput!.slice(0, 16))
    expect(redrawn.modelOutput!.slice(16, 32)).not.toEqual(original.modelOutput!.slice(16, 32))
  })

  it('writes the recipe into the MIDI file', () => {
    const [piece] = generate(model, request)
    const recipe = JSON.parse(midiToPiece(pieceToMidi(piece)).recipe!)
    expect(recipe).toMatchObject({ checkpoint: model.id, seed: 7, temperature: 1, length: 48, primer: null })
  })

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors
    generate(model, { ...request, count: 2 })
    expect(tf.memory().numTensors).toBe(before)
  })
})
