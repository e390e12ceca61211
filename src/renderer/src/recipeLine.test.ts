import { describe, expect, it } from 'vitest'
import type { GenerateRequest } from '../../shared/generateRequest'
import { recipeLine } from './recipeLine'
import type { Recipe, StudioTake } from './stores/takes'
import { pieceOf } from './testing/fakeServices'

const REQUEST: GenerateRequest = { seed: 42, temperature: 1, length: 64, lengthUnit: 'steps', count: 1 }

const take = (recipe: Partial<Recipe>): StudioTake => ({
  id: 'take-1',
  name: 'Take 1',
  piece: pieceOf(),
  origin: {
    kind: 'generated',
    recipe: { checkpointId: 'default', request: REQUEST, variation: 0, ...recipe },
  },
})

const NAMES: Record<string, string> = { default: 'Default', mine: 'Mine', 'run-3': 'Crashing Mozart' }
const names = (id: string) => NAMES[id] ?? id

describe('recipeLine', () => {
  it('names the model and every knob', () => {
    expect(recipeLine(take({}), names)).toBe('Default · seed 42 · temperature 1.00 · 64 steps')
  })

  it('names the variation and the primer when there are', () => {
    const line = recipeLine(
      take({
        checkpointId: 'mine',
        request: { seed: 7, temperature: 0.5, length: 1, lengthUnit: 'bars', count: 4 },
        variation: 2,
        primerName: 'etude.mid',
      }),
      names,
    )
    expect(line).toBe('Mine · seed 7 · temperature 0.50 · 1 bar · variation 3 of 4 · continues etude.mid')
  })

  it('names the tones per step when the request limits them', () => {
    const line = (tonesPerStep: number) => recipeLine(take({ request: { ...REQUEST, tonesPerStep } }), names)
    expect(line(1)).toBe('Default · seed 42 · temperature 1.00 · 64 steps · 1 tone per step')
    expect(line(2)).toBe('Default · seed 42 · temperature 1.00 · 64 steps · 2 tones per step')
  })

  it('names the steering in brief, and the key a followed one was detected as', () => {
    const line = (steering: GenerateRequest['steering'], recipe: Partial<Recipe> = {}) =>
      recipeLine(take({ ...recipe, request: { ...REQUEST, ...recipe.request, steering } }), names)
    expect(
      line({ key: { tonic: 2, scale: 'minor' }, range: { lowest: 48, highest: 84 }, grid: 'straight' }),
    ).toBe('Default · seed 42 · temperature 1.00 · 64 steps · in D minor, C3-C6, sixteenths')
    expect(line({ grid: 'triplets', density: 6.5, maxChord: 1, repetition: 0.4 })).toBe(
      'Default · seed 42 · temperature 1.00 · 64 steps · sixteenths and triplets, 6.5 notes a bar, at most 1 key at once, repetition 0.4',
    )
    // An A major arpeggio and scale.
    const primer = pieceOf(
      ...[69, 73, 76, 81, 71, 74, 78, 80].map((pitch, i): [number, number, number, number] => [
        i,
        1,
        pitch,
        90,
      ]),
    )
    const clip = line(
      { key: 'primer', maxChord: 3 },
      { request: { ...REQUEST, primer }, primerName: 'Take 1' },
    )
    expect(clip).toContain("in A major (the clip's key), at most 3 keys at once · continues Take 1")
    const call = line({ key: 'primer' }, { request: { ...REQUEST, primer }, answerAt: 8 })
    expect(call).toContain("in A major (the call's key)")
  })

  it('says which run and epoch a sample comes from, and nothing of a recipe it does not have', () => {
    const sample: StudioTake = {
      id: 'take-2',
      name: 'Epoch 6 sample 1',
      piece: pieceOf(),
      origin: { kind: 'epoch-sample', runId: 'run-3', epoch: 6 },
    }
    expect(recipeLine(sample, names)).toBe('sample of epoch 6 · Crashing Mozart')
  })

  it('says a recording was played in, at which tempo, and on which beat an answer starts', () => {
    const played: StudioTake = {
      id: 'take-3',
      name: 'Take 3 (played in)',
      piece: { ...pieceOf([0, 1, 60, 90]), tempos: [{ time: 0, bpm: 96 }] },
      origin: { kind: 'recorded' },
    }
    expect(recipeLine(played, names)).toBe('played in at 96 bpm')
    const answer = take({ primerName: 'the call played in', answerAt: 8 })
    expect(recipeLine(answer, names)).toBe(
      'Default · seed 42 · temperature 1.00 · 64 steps · continues the call played in · answer from beat 9',
    )
  })
})
