// Runs `cadenza generate` in a child process, as a user would: on a checkpoint trained here, and on the
// model Cadenza ships.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cadenza } from '../../test/cadenzaCli'
import { beforeAll, describe, expect, it } from 'vitest'
import { SONATA_DIR } from '../../test/corpus'
import { tinySettings } from '../../test/tinySettings'
import { selectBackend } from '../engine/process/backend'
import { generate, loadGenerator } from '../engine/generation'
import { train } from '../engine/training/training'
import { DEFAULT_MODEL_DIR } from './generateCommand'
import { checkpointTemperature } from '../shared/checkpointMeta'
import { MAX_BARS } from '../shared/generateRequest'
import { midiToPiece } from '../shared/music/midiToPiece'
import { pieceToMidi } from '../shared/music/pieceToMidi'

let run: string
beforeAll(async () => {
  const backend = await selectBackend('wasm')
  run = mkdtempSync(join(tmpdir(), 'cadenza-bars-'))
  await train({ dataDir: SONATA_DIR, outDir: run, settings: tinySettings(), backend })
})

describe('cadenza generate --bars', () => {
  it('writes a piece of that many bars, the notes the engine gives for the same request', async () => {
    const file = join(run, 'bars.mid')
    const args = ['generate', '--checkpoint', run, '--seed', '4', '--bars', '3', '--backend', 'wasm']
    expect((await cadenza(...args, '--out', file)).code).toBe(0)
    const piece = midiToPiece(readFileSync(file))
    expect(JSON.parse(piece.recipe!)).toMatchObject({ seed: 4, length: 3, lengthUnit: 'bars' })
    // No time signature and no primer: 4/4, so three bars are 12 quarter notes.
    expect(piece.notes.length).toBeGreaterThan(0)
    expect(piece.notes.every((note) => note.onset < 12)).toBe(true)

    const model = await loadGenerator(join(run, 'checkpoint'))
    try {
      const request = { seed: 4, temperature: 1, length: 3, lengthUnit: 'bars', count: 1 } as const
      expect(readFileSync(file).equals(pieceToMidi((await generate(model, request))[0]))).toBe(true)
    } finally {
      model.dispose()
    }
  })

  it('counts the bars in the --meter asked for and writes its time signature; another meter is refused', async () => {
    const file = join(run, 'waltz.mid')
    const args = ['generate', '--checkpoint', run, '--seed', '4', '--bars', '2', '--meter', '3/4']
    expect((await cadenza(...args, '--out', file)).code).toBe(0)
    const piece = midiToPiece(readFileSync(file))
    expect(piece.timeSignatures).toEqual([{ time: 0, numerator: 3, denominator: 4 }])
    expect(JSON.parse(piece.recipe!)).toMatchObject({ meter: '3/4', length: 2, lengthUnit: 'bars' })
    expect(piece.notes.every((note) => note.onset < 6)).toBe(true)

    const refused = await cadenza(...args.slice(0, -1), '7/8', '--out', file)
    expect(refused.code).toBe(2)
    expect(refused.stderr.split('\n')[0]).toBe(
      "error: option '--meter <signature>' argument '7/8' is invalid. Allowed choices are 4/4, 3/4, 6/8, 2/4, 5/4.",
    )
  })

  it('refuses --bars with --length, and a number of bars out of range, in one line', async () => {
    const out = join(run, 'never.mid')
    const both = await cadenza('generate', '--checkpoint', run, '--bars', '2', '--length', '8', '--out', out)
    expect(both.code).toBe(2)
    expect(both.stderr.split('\n')[0]).toBe(
      "error: option '--bars <n>' cannot be used with option '--length <steps>'",
    )
    for (const bars of ['0', String(MAX_BARS + 1), '2.5', 'two']) {
      const result = await cadenza('generate', '--checkpoint', run, '--bars', bars, '--out', out)
      expect(result.code).toBe(2)
      expect(result.stderr).toBe(`cadenza: --bars: expected a whole number from 1 to ${MAX_BARS}\n`)
    }
  })
})

describe('cadenza generate --tones-per-step', () => {
  it('writes the notes the engine gives for the same request, with the limit in the recipe', async () => {
    const file = join(run, 'one-tone.mid')
    const args = ['generate', '--checkpoint', run, '--seed', '3', '--length', '32', '--tones-per-step', '1']
    expect((await cadenza(...args, '--backend', 'wasm', '--out', file)).code).toBe(0)
    const piece = midiToPiece(readFileSync(file))
    expect(JSON.parse(piece.recipe!)).toMatchObject({ seed: 3, length: 32, tonesPerStep: 1 })
    const model = await loadGenerator(join(run, 'checkpoint'))
    try {
      const request = { seed: 3, temperature: 1, length: 32, count: 1 }
      const [limited] = await generate(model, { ...request, tonesPerStep: 1 })
      expect(readFileSync(file).equals(pieceToMidi(limited))).toBe(true)
      expect((await generate(model, request))[0].notes.length).toBeGreaterThan(limited.notes.length)
    } finally {
      model.dispose()
    }
  })

  it('refuses a number that is not a whole number of 1 or more, or more than the model has, in one line', async () => {
    const out = join(run, 'never.mid')
    for (const tones of ['0', '1.5']) {
      const result = await cadenza('generate', '--checkpoint', run, '--tones-per-step', tones, '--out', out)
      expect(result.code).toBe(2)
      expect(result.stderr).toBe('cadenza: --tones-per-step: expected a whole number of 1 or more\n')
    }
    const more = await cadenza('generate', '--checkpoint', run, '--tones-per-step', '4', '--out', out)
    expect(more.code).toBe(2)
    expect(more.stderr.split('\n').filter((line) => !line.startsWith('backend:'))).toEqual([
      'cadenza: asked for 4 tones per step, but the model has 3',
      '',
    ])
  })
})

describe('cadenza generate without --checkpoint', () => {
  it('uses the model Cadenza ships, held-out files and all', async () => {
    const out = join(run, 'default.mid')
    const { code, stderr } = await cadenza('generate', '--seed', '9', '--length', '64', '--out', out)
    expect(code).toBe(0)
    expect(stderr).toContain('backend: wasm')
    expect(stderr).toContain("(the checkpoint's)")
    const piece = midiToPiece(readFileSync(out))
    expect(piece.notes.length).toBeGreaterThan(0)
    const model = await loadGenerator(DEFAULT_MODEL_DIR)
    try {
      expect(model.meta.kind).toBe('generator')
      expect(model.meta.dataset.report.heldOut.length).toBeGreaterThan(0)
      expect(JSON.parse(piece.recipe!)).toMatchObject({ checkpoint: model.id, seed: 9, length: 64 })
      const request = { seed: 9, temperature: checkpointTemperature(model.meta), length: 64, count: 1 }
      expect(readFileSync(out).equals(pieceToMidi((await generate(model, request))[0]))).toBe(true)
    } finally {
      model.dispose()
    }
  })
})

describe('cadenza generate, steered', () => {
  it('keeps the shipped model to D minor, C3-C6 and sixteenths, names it and the repetition in the recipe, and refuses a bad value in one line', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cadenza-steer-'))
    const steering = [
      '--scale',
      'D minor',
      '--range',
      'C3-C6',
      '--grid',
      '16',
      '--max-chord',
      '3',
      '--repetition',
      '0.5',
    ]
    const result = await cadenza(
      'generate',
      '--seed',
      '5',
      '--length',
      '96',
      '--count',
      '2',
      ...steering,
      '--out',
      out,
    )
    expect(result.code).toBe(0)
    for (const name of ['variation-01.mid', 'variation-02.mid']) {
      const piece = midiToPiece(readFileSync(join(out, name)))
      expect(piece.notes.length).toBeGreaterThan(50)
      const inDMinor = (pitch: number) => [2, 4, 5, 7, 9, 10, 0].includes(pitch % 12)
      expect(piece.notes.every((note) => inDMinor(note.pitch) && note.pitch >= 48 && note.pitch <= 84)).toBe(
        true,
      )
      expect(
        piece.notes.every((note) => Number.isInteger(note.onset * 4) && Number.isInteger(note.length * 4)),
      ).toBe(true)
      expect(JSON.parse(piece.recipe!).steering).toEqual({
        key: { tonic: 2, scale: 'minor' },
        range: { lowest: 48, highest: 84 },
        grid: 'straight',
        maxChord: 3,
        repetition: 0.5,
      })
    }
    const refused = await cadenza('generate', '--scale', 'D minorish', '--out', out)
    expect(refused.code).toBe(2)
    expect(refused.stderr.split('\n')[0]).toMatch(
      /^error: option '--scale <key>' argument 'D minorish' is invalid\. expected a tonic .* blues; or "primer"$/,
    )
    const tooMuch = await cadenza('generate', '--repetition', '2', '--out', out)
    expect(tooMuch.code).toBe(2)
    expect(tooMuch.stderr.split('\n')[0]).toBe(
      "error: option '--repetition <weight>' argument '2' is invalid. expected a weight from 0 (never) to 1 (only its own figures)",
    )
  })
})
