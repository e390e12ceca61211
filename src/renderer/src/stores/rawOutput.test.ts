import { describe, expect, it } from 'vitest'
import type { Quadruplet } from '../../../shared/music/piece'
import { fakeApi, installServices, pieceOf } from '../testing/fakeServices'
import { useCheckpointsStore } from './checkpoints'
import { useGenerateSettingsStore } from './generateSettings'
import { useRawOutputStore } from './rawOutput'
import { useTakesStore } from './takes'

const tone = (pitch: number, intensity: number): Quadruplet => ({ length: 1, pitch, intensity, delta: 1 })

/** A generated take, whose piece carries two steps of raw output, and an epoch sample read from MIDI. */
async function setup() {
  installServices({
    api: fakeApi({
      generate: async (_, request) =>
        Array.from({ length: request.count }, () => ({
          ...pieceOf([0, 1, 60, 80]),
          modelOutput: [[tone(62.4, 70)], [tone(64, 3)]],
        })),
    }),
  })
  useCheckpointsStore().selectedId = 'default'
  const settings = useGenerateSettingsStore()
  const takes = useTakesStore()
  const rawOutput = useRawOutputStore()
  settings.setPrimer({ kind: 'file', name: 'clip.mid', piece: pieceOf([0, 1, 50, 80], [3, 1, 52, 80]) })
  await takes.generate()
  const generated = takes.current!
  takes.addEpochSample('Epoch 1 sample 1', pieceOf([0, 1, 60, 80]), 'run', 1)
  return { takes, rawOutput, generated: generated.id, sample: takes.current!.id }
}

describe('the raw-output lane', () => {
  it("shows a generated take's raw tones, after its primer, when turned on", async () => {
    const { takes, rawOutput, generated } = await setup()
    takes.select(generated)
    expect(rawOutput.available).toBe(true)
    expect(rawOutput.shown).toBe(false)
    expect(rawOutput.tones).toBeNull()
    rawOutput.toggle()
    expect(rawOutput.shown).toBe(true)
    expect(rawOutput.tones).toEqual([
      { onset: 4, pitch: 62.4, intensity: 70, snapped: 62 },
      { onset: 5, pitch: 64, intensity: 3, snapped: null },
    ])
    rawOutput.toggle()
    expect(rawOutput.shown).toBe(false)
    expect(rawOutput.tones).toBeNull()
  })

  it('is unavailable for a take without raw output, and keeps the choice for the next take that has it', async () => {
    const { takes, rawOutput, generated, sample } = await setup()
    expect(takes.currentId).toBe(sample)
    expect(rawOutput.available).toBe(false)
    rawOutput.toggle()
    expect(rawOutput.shown).toBe(false)
    takes.select(generated)
    expect(rawOutput.shown).toBe(false)
    rawOutput.toggle()
    takes.select(sample)
    expect(rawOutput.shown).toBe(false)
    expect(rawOutput.tones).toBeNull()
    takes.select(generated)
    expect(rawOutput.shown).toBe(true)
  })
})
