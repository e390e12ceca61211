import { describe, expect, it } from 'vitest'
import type { GenerateRequest } from '../../../shared/generateRequest'
import type { CadenzaApi } from '../../../shared/ipcContract'
import type { Piece } from '../../../shared/music/piece'
import { fakeApi, installServices, pieceOf } from '../testing/fakeServices'
import { useCheckpointsStore } from './checkpoints'
import { useGenerateSettingsStore } from './generateSettings'
import { recipeOf, useTakesStore, type Recipe } from './takes'

const noteRowsOf = (piece: Piece) => piece.notes.map(({ onset, pitch }) => [onset, pitch])

let calls: { checkpointId: string; request: GenerateRequest }[]
let failWith: Error | null

/** A stand-in engine: variation v of seed s is one note of pitch 40 + v at onset s. */
function setup(api: Partial<CadenzaApi> = {}) {
  calls = []
  failWith = null
  installServices({
    api: fakeApi({
      ...api,
      generate: async (checkpointId, request) => {
        calls.push({ checkpointId, request })
        if (failWith) throw failWith
        return Array.from({ length: request.count }, (_, v) => pieceOf([request.seed, 1, 40 + v, 80]))
      },
    }),
  })
  const checkpoints = useCheckpointsStore()
  checkpoints.selectedId = 'default'
  const settings = useGenerateSettingsStore()
  settings.setSeed(5)
  return { takes: useTakesStore(), settings, checkpoints }
}

describe('the takes store', () => {
  it('makes one take per variation and shows the first', async () => {
    const { takes, settings } = setup()
    settings.setVariations(3)
    await takes.generate()
    const rows = takes.takes.map((take) => [take.name, recipeOf(take)?.variation, take.piece.notes[0].pitch])
    expect(rows).toEqual([
      ['Take 1', 0, 40],
      ['Take 2', 1, 41],
      ['Take 3', 2, 42],
    ])
    expect(takes.current?.name).toBe('Take 1')
    expect(calls).toEqual([
      { checkpointId: 'default', request: expect.objectContaining({ seed: 5, count: 3 }) },
    ])
  })

  it('re-makes a take from its exact request, even after the settings changed', async () => {
    const { takes, settings, checkpoints } = setup()
    settings.setVariations(2)
    await takes.generate()
    settings.setSeed(99)
    checkpoints.selectedId = 'other'
    await takes.remake(takes.takes[1].id)
    expect(calls[1]).toEqual(calls[0])
    const remade = takes.takes[2]
    expect(remade.name).toBe('Take 3 (re-make of Take 2)')
    expect(remade.piece).toEqual(takes.takes[1].piece)
    expect(takes.currentId).toBe(remade.id)
  })

  it('re-rolls steps of a take: its exact request with those steps redrawn from a new seed', async () => {
    const { takes, settings } = setup()
    settings.setVariations(2)
    await takes.generate()
    await takes.reroll(takes.takes[1].id, { from: 3, to: 7 })
    const { redraw, ...request } = calls[1].request
    expect(request).toEqual(calls[0].request)
    expect(redraw).toEqual({ seed: expect.any(Number), from: 3, to: 7 })
    expect(takes.takes[2].name).toBe('Take 3 (re-roll of Take 2)')
    expect(recipeOf(takes.takes[2])).toEqual<Recipe>({
      checkpointId: 'default',
      request: calls[1].request,
      variation: 1,
      primerName: undefined,
    })
    expect(takes.currentId).toBe(takes.takes[2].id)
  })

  it('continues a take without sending its raw model output', async () => {
    const { takes, settings } = setup()
    await takes.generate()
    const first = takes.takes[0]
    takes.replacePiece(first.id, { ...first.piece, modelOutput: [[]] })
    settings.setPrimer({ kind: 'take', takeId: first.id })
    await takes.generate()
    expect(calls[1].request.primer).toEqual(pieceOf([5, 1, 40, 80]))
    expect(recipeOf(takes.takes[1])?.primerName).toBe('Take 1')
  })

  it('continues a picked file', async () => {
    const { takes, settings } = setup()
    settings.setPrimer({ kind: 'file', name: 'etude.mid', piece: pieceOf([0, 2, 64, 70]) })
    await takes.generate()
    expect(calls[0].request.primer).toEqual(pieceOf([0, 2, 64, 70]))
    expect(recipeOf(takes.takes[0])?.primerName).toBe('etude.mid')
  })

  it('keeps failures as readable messages and clears them on success', async () => {
    const { takes, checkpoints } = setup()
    failWith = new Error("Error invoking remote method 'generate': Error: the engine crashed")
    await takes.generate()
    expect(takes.error).toBe('Generation failed: the engine crashed')
    expect(takes.generating).toBe(false)
    expect(takes.takes).toEqual([])
    failWith = null
    await takes.generate()
    expect(takes.error).toBeNull()
    checkpoints.selectedId = null
    await takes.generate()
    expect(takes.error).toBe('Choose a checkpoint to generate with.')
  })

  it('edits a piece in place, keeping the recipe', async () => {
    const { takes } = setup()
    await takes.generate()
    const before = takes.takes[0]
    takes.replacePiece(before.id, pieceOf([0, 1, 72, 100]))
    expect(takes.takes[0].piece.notes[0].pitch).toBe(72)
    expect(takes.takes[0].origin).toBe(before.origin)
  })

  it('opens an epoch sample as a take without a recipe: it is never re-made or re-rolled', async () => {
    const { takes } = setup()
    takes.addEpochSample('Epoch 6 sample 1', pieceOf([0, 1, 60, 90]), 'run-1', 6)
    const [sample] = takes.takes
    expect(sample).toMatchObject({
      name: 'Epoch 6 sample 1',
      origin: { kind: 'epoch-sample', runId: 'run-1', epoch: 6 },
    })
    expect(recipeOf(sample)).toBeNull()
    expect(takes.currentId).toBe(sample.id)
    await takes.remake(sample.id)
    await takes.reroll(sample.id, { from: 0, to: 4 })
    expect(calls).toEqual([])
    expect(takes.takes).toHaveLength(1)
  })

  it('continues an epoch sample and saves it, like any take', async () => {
    const saved: { name: string; notes: number }[] = []
    const { takes, settings } = setup({
      saveTake: async ({ name, piece }) => {
        saved.push({ name, notes: piece.notes.length })
        return null
      },
    })
    takes.addEpochSample('Epoch 2 sample 1', pieceOf([0, 1, 60, 90], [1, 1, 62, 90]), 'run-1', 2)
    settings.setPrimer({ kind: 'take', takeId: takes.takes[0].id })
    await takes.generate()
    expect(recipeOf(takes.takes[1])?.primerName).toBe('Epoch 2 sample 1')
    expect(calls[0].request.primer).toEqual(pieceOf([0, 1, 60, 90], [1, 1, 62, 90]))
    await takes.save(takes.takes[0].id)
    expect(saved).toEqual([{ name: 'Epoch 2 sample 1', notes: 2 }])
  })

  it('re-makes an answer as it was played: the call, then the continuation from its beat', async () => {
    const { takes } = setup()
    const primer = pieceOf([0, 1, 60, 90])
    const request: GenerateRequest = {
      seed: 3,
      temperature: 1,
      length: 1,
      lengthUnit: 'bars',
      count: 1,
      primer,
    }
    // The stand-in engine answers seed 3 with one note of pitch 40 at onset 3; the primer is not in it.
    const generated = pieceOf([0, 1, 60, 90], [3, 1, 40, 80])
    const answer = takes.addAnswer({ checkpointId: 'default', request, variation: 0, answerAt: 6 }, generated)
    expect(noteRowsOf(answer.piece)).toEqual([
      [0, 60],
      [6, 40],
    ])
    await takes.remake(answer.id)
    expect(calls[0].request).toEqual(request)
    expect(noteRowsOf(takes.current!.piece)).toEqual([
      [0, 60],
      [6, 40],
    ])
  })

  it('adds a recording as a take without a recipe', () => {
    const { takes } = setup()
    takes.addRecording(pieceOf([0, 1, 60, 90]))
    expect(takes.current).toMatchObject({ name: 'Take 1 (played in)', origin: { kind: 'recorded' } })
    expect(recipeOf(takes.current!)).toBeNull()
  })
})
