import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Piece } from '../shared/music/piece'
import { pieceToMidi } from '../shared/music/pieceToMidi'
import { repetitions3 } from '../shared/music/statistics'
import { scalePitchClasses, type Steering } from '../shared/music/steering'
import { generate, loadGenerator, type GenerateRequest, type LoadedGenerator } from './generation'
import { selectBackend } from './process/backend'

const model = (name: string) => fileURLToPath(new URL(`../../${name}`, import.meta.url))
const D_MINOR = new Set(scalePitchClasses({ tonic: 2, scale: 'minor' }))
const STRAIGHT = 1 / 4
const onGrid = (quarters: number) => Math.abs(quarters / STRAIGHT - Math.round(quarters / STRAIGHT)) < 1e-9
const bytes = (piece: Piece) => Buffer.from(pieceToMidi(piece))
/** Notes per 4/4 bar over the pieces, to the last onset. */
const notesPerBar = (pieces: Piece[]) =>
  pieces.reduce((notes, piece) => notes + piece.notes.length, 0) /
  pieces.reduce((bars, piece) => bars + Math.max(...piece.notes.map((note) => note.onset)) / 4, 0)

const request: GenerateRequest = { seed: 11, temperature: 0.8, length: 128, count: 4 }

describe('a steered generation of the default model', () => {
  let shipped: LoadedGenerator
  beforeAll(async () => {
    await selectBackend('wasm')
    shipped = await loadGenerator(model('resources/default-model'))
  })
  afterAll(() => shipped.dispose())

  it('keeps every tone in the scale and the range, every onset and length on sixteenths, and chords small', async () => {
    const steering: Steering = {
      key: { tonic: 2, scale: 'minor' },
      range: { lowest: 48, highest: 84 },
      grid: 'straight',
      maxChord: 2,
    }
    const pieces = await generate(shipped, { ...request, steering })
    const free = await generate(shipped, request)
    const notes = pieces.flatMap((piece) => piece.notes)
    expect(notes.length).toBeGreaterThan(200)
    for (const note of notes) {
      expect(D_MINOR.has(note.pitch % 12)).toBe(true)
      expect(note.pitch >= 48 && note.pitch <= 84).toBe(true)
      expect(onGrid(note.onset) && onGrid(note.length)).toBe(true)
    }
    for (const piece of pieces) {
      const perOnset = new Map<number, number>()
      for (const note of piece.notes) perOnset.set(note.onset, (perOnset.get(note.onset) ?? 0) + 1)
      expect(Math.max(...perOnset.values())).toBeLessThanOrEqual(2)
    }
    // The rules changed something that needed changing.
    const freeNotes = free.flatMap((piece) => piece.notes)
    expect(freeNotes.some((note) => !D_MINOR.has(note.pitch % 12) || !onGrid(note.onset))).toBe(true)
    // The same recipe, the same bytes; the recipe names the steering.
    const again = await generate(shipped, { ...request, steering })
    again.forEach((piece, v) => expect(bytes(piece).equals(bytes(pieces[v]))).toBe(true))
    expect(JSON.parse(pieces[0].recipe!).steering).toEqual(steering)
  })

  it('shows the keys the scale ruled out among the likeliest, and draws none of them', async () => {
    const [piece] = await generate(shipped, {
      ...request,
      count: 1,
      steering: { key: { tonic: 2, scale: 'minor' } },
    })
    const choices = piece.pitchChoices!.flat(2)
    const ruledOut = choices.filter((choice) => choice.ruledOut)
    expect(ruledOut.length).toBeGreaterThan(0)
    expect(ruledOut.every((choice) => !D_MINOR.has(choice.pitch % 12))).toBe(true)
    expect(
      choices.filter((choice) => !choice.ruledOut).every((choice) => D_MINOR.has(choice.pitch % 12)),
    ).toBe(true)
  })

  it('moves the notes per bar to the density asked for, half and double the model’s own', async () => {
    const long = { ...request, length: 256, count: 8 }
    const own = notesPerBar(await generate(shipped, long))
    for (const factor of [0.5, 2]) {
      const density = own * factor
      const steered = notesPerBar(await generate(shipped, { ...long, steering: { density } }))
      expect(Math.abs(steered / density - 1)).toBeLessThan(0.25)
    }
  })

  it('plays its own 3-tone figures again the more, the higher the repetition, and its own repetition by default', async () => {
    const long = { ...request, length: 256 }
    const takes = (repetition: number) => generate(shipped, { ...long, steering: { repetition } })
    const recurring = (pieces: Piece[]) =>
      pieces.reduce((pairs, piece) => pairs + repetitions3(piece.notes.map((note) => note.pitch)), 0)
    const [none, some, more] = [
      recurring(await takes(0)),
      recurring(await takes(0.3)),
      recurring(await takes(0.6)),
    ]
    expect(some).toBeGreaterThan(1.5 * none)
    expect(more).toBeGreaterThan(1.5 * some)
    const own = shipped.meta.decoding?.repetition ?? 0
    const notes = (pieces: Piece[]) => pieces.map((piece) => piece.notes)
    expect(notes(await generate(shipped, long))).toEqual(notes(await takes(own)))
  })

  it("follows the primer's key when told to", async () => {
    // A D minor scale up and down, with its raised seventh.
    const pitches = [62, 64, 65, 67, 69, 70, 73, 74, 69, 65, 62]
    const primer: Piece = {
      notes: pitches.map((pitch, i) => ({ onset: i / 2, length: 0.5, pitch, velocity: 70 })),
      tempos: [],
      timeSignatures: [],
    }
    const pieces = await generate(shipped, { ...request, primer, steering: { key: 'primer' } })
    const answered = pieces.flatMap((piece) => piece.notes.slice(pitches.length))
    expect(answered.length).toBeGreaterThan(100)
    expect(answered.every((note) => D_MINOR.has(note.pitch % 12))).toBe(true)
    await expect(generate(shipped, { ...request, steering: { key: 'primer' } })).rejects.toThrow(
      'the key can follow the primer only when there is one',
    )
  })
})

describe("a steered generation of the paper's generator", () => {
  let paper: LoadedGenerator
  beforeAll(async () => {
    await selectBackend('wasm')
    paper = await loadGenerator(model('test/fixtures/paper-model'))
  })
  afterAll(() => paper.dispose())

  it('moves each tone to the nearest key of the scale and the range', async () => {
    const steering: Steering = { key: { tonic: 2, scale: 'minor' }, range: { lowest: 60, highest: 72 } }
    const [piece] = await generate(paper, { ...request, count: 1, steering })
    expect(piece.notes.length).toBeGreaterThan(20)
    expect(
      piece.notes.every((note) => D_MINOR.has(note.pitch % 12) && note.pitch >= 60 && note.pitch <= 72),
    ).toBe(true)
  })

  it('says plainly which controls it does not take', async () => {
    await expect(generate(paper, { ...request, steering: { grid: 'straight', density: 8 } })).rejects.toThrow(
      "the paper's generator takes a key and a range, not a grid or a density",
    )
  })
})
