import { describe, expect, it } from 'vitest'
import type { GenerateRequest } from '../../../shared/generateRequest'
import { fakeApi, installServices, pieceOf } from '../testing/fakeServices'
import { useCheckpointsStore } from './checkpoints'
import { useGenerateSettingsStore } from './generateSettings'
import { useTakesStore } from './takes'

let calls: { checkpointId: string; request: GenerateRequest }[]
let failWith: Error | null

/** A stand-in engine: variation v of seed s is one note of pitch 40 + v at onset s. */
function setup() {
  calls = []
  failWith = null
  installServices({
    api: fakeApi({
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
    expect(takes.takes.map((take) => [take.name, take.variation, take.piece.notes[0].pitch])).toEqual([
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
    expect(takes.takes[2]).toMatchObject({ name: 'Take 3 (re-roll of Take 2)', variation: 1 })
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
    expect(takes.takes[1].primerName).toBe('Take 1')
  })

  it('continues a picked file', async () => {
    const { takes, settings } = setup()
    settings.setPrimer({ kind: 'file', name: 'etude.mid', piece: pieceOf([0, 2, 64, 70]) })
    await takes.generate()
    expect(calls[0].request.primer).toEqual(pieceOf([0, 2, 64, 70]))
    expect(takes.takes[0].primerName).toBe('etude.mid')
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
    expect(takes.takes[0].request).toBe(before.request)
  })
})
