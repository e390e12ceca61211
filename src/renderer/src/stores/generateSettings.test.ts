import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import type { CheckpointEntry } from '../../../shared/checkpointEntry'
import { GenerateRequestSchema, MAX_BARS } from '../../../shared/generateRequest'
import { pieceToMidi } from '../../../shared/music/pieceToMidi'
import type { Piece } from '../../../shared/music/piece'
import { fakeApi, installServices, pieceOf } from '../testing/fakeServices'
import { useCheckpointsStore } from './checkpoints'
import { MAX_VARIATIONS, SEED_LIMIT, useGenerateSettingsStore } from './generateSettings'

/** Ready checkpoints whose models have these tones per step, named by them: 'm3' has 3. */
function modelsWith(...tones: number[]) {
  const checkpoints = useCheckpointsStore()
  checkpoints.list = tones.map(
    (tonesPerStep) =>
      ({
        id: `m${tonesPerStep}`,
        name: `m${tonesPerStep}`,
        status: 'ready',
        settings: { model: { tonesPerStep } },
      }) as unknown as CheckpointEntry,
  )
  return checkpoints
}

describe('the generate settings store', () => {
  beforeEach(() => installServices({ api: fakeApi({}) }))
  afterEach(() => vi.restoreAllMocks())

  it('rolls a new seed for each generation while unlocked', () => {
    const store = useGenerateSettingsStore()
    vi.spyOn(Math, 'random').mockReturnValueOnce(0.25).mockReturnValueOnce(0.5)
    expect(store.nextRequest(undefined).seed).toBe(SEED_LIMIT / 4)
    expect(store.nextRequest(undefined).seed).toBe(SEED_LIMIT / 2)
    expect(store.seed).toBe(SEED_LIMIT / 2)
  })

  it("starts the temperature at each chosen model's own, and lets it be moved from there", async () => {
    const checkpoints = useCheckpointsStore()
    const entry = (id: string, temperature: number) =>
      ({
        id,
        name: id,
        status: 'ready',
        temperature,
        settings: { model: { tonesPerStep: 1 } },
      }) as unknown as CheckpointEntry
    checkpoints.list = [entry('cool', 0.8), entry('warm', 1.1)]
    const store = useGenerateSettingsStore()
    checkpoints.select('cool')
    await nextTick()
    expect([store.temperature, store.modelTemperature]).toEqual([0.8, 0.8])
    store.setTemperature(1.5)
    expect(store.modelTemperature).toBe(0.8)
    checkpoints.select('warm')
    await nextTick()
    expect(store.temperature).toBe(1.1)
  })

  it('keeps a typed seed, which locks it, and the dice still rolls', () => {
    const store = useGenerateSettingsStore()
    store.setSeed(42.4)
    expect(store.seedLocked).toBe(true)
    expect(store.nextRequest(undefined).seed).toBe(42)
    expect(store.nextRequest(undefined).seed).toBe(42)
    vi.spyOn(Math, 'random').mockReturnValueOnce(0.75)
    store.rollDice()
    expect(store.nextRequest(undefined).seed).toBe(SEED_LIMIT * 0.75)
  })

  it('keeps every knob within what a request accepts', () => {
    const store = useGenerateSettingsStore()
    store.setSeed(-5)
    store.setTemperature(3)
    store.setVariations(100)
    store.setLength(Number.NaN)
    expect([store.seed, store.temperature, store.variations, store.length]).toEqual([
      0,
      2,
      MAX_VARIATIONS,
      64,
    ])
    store.setLength(5000)
    store.setLengthUnit('bars')
    expect(store.length).toBe(MAX_BARS)
    store.setVariations(0)
    store.setTemperature(-1)
    expect([store.variations, store.temperature]).toEqual([1, 0])
  })

  it('builds a valid request with the primer it is given', () => {
    const store = useGenerateSettingsStore()
    store.setSeed(7)
    store.setLengthUnit('bars')
    store.setLength(8)
    store.setVariations(3)
    store.setTemperature(0.5)
    const primer = pieceOf([0, 1, 60, 90])
    const request = store.nextRequest(primer)
    expect(request).toEqual({ seed: 7, temperature: 0.5, length: 8, lengthUnit: 'bars', count: 3, primer })
    expect(GenerateRequestSchema.safeParse(request).success).toBe(true)
    expect(store.nextRequest(undefined)).not.toHaveProperty('primer')
  })

  it("offers all of the chosen model's tones per step, and asks for fewer only when told", () => {
    const checkpoints = modelsWith(3)
    const store = useGenerateSettingsStore()
    expect([store.modelTones, store.tonesPerStep]).toEqual([null, 1])
    checkpoints.select('m3')
    expect([store.modelTones, store.tonesPerStep]).toEqual([3, 3])
    expect(store.nextRequest(undefined)).not.toHaveProperty('tonesPerStep')
    store.setTonesPerStep(1)
    const request = store.nextRequest(undefined)
    expect(request.tonesPerStep).toBe(1)
    expect(GenerateRequestSchema.safeParse(request).success).toBe(true)
    store.setTonesPerStep(7)
    expect(store.tonesPerStep).toBe(3)
    expect(store.nextRequest(undefined)).not.toHaveProperty('tonesPerStep')
    store.setTonesPerStep(0)
    store.setTonesPerStep(Number.NaN)
    expect(store.tonesPerStep).toBe(1)
  })

  it('clamps tones per step to a model with fewer, and gives the choice back on one with more', () => {
    const checkpoints = modelsWith(3, 2, 1, 4)
    const store = useGenerateSettingsStore()
    checkpoints.select('m4')
    expect(store.tonesPerStep).toBe(4)
    checkpoints.select('m3')
    store.setTonesPerStep(2)
    checkpoints.select('m1')
    expect(store.tonesPerStep).toBe(1)
    expect(store.nextRequest(undefined)).not.toHaveProperty('tonesPerStep')
    checkpoints.select('m2')
    expect(store.tonesPerStep).toBe(2)
    expect(store.nextRequest(undefined)).not.toHaveProperty('tonesPerStep')
    checkpoints.select('m4')
    expect(store.nextRequest(undefined).tonesPerStep).toBe(2)
  })

  it('steers nothing until told, then sends every control set, each within what a request accepts', () => {
    const store = useGenerateSettingsStore()
    expect(store.nextRequest(undefined)).not.toHaveProperty('steering')
    store.setKeyTonic(2)
    store.setKeyScale('minor')
    expect(store.setRange('C3-C6')).toBeNull()
    store.setGrid('straight')
    store.setDensity(100)
    store.setMaxChord(2.4)
    store.setRepetition(1.5)
    const request = store.nextRequest(undefined)
    expect(request.steering).toEqual({
      key: { tonic: 2, scale: 'minor' },
      range: { lowest: 48, highest: 84 },
      grid: 'straight',
      density: 64,
      maxChord: 2,
      repetition: 1,
    })
    expect(GenerateRequestSchema.safeParse(request).success).toBe(true)
    store.setKeyTonic(null)
    expect(store.setRange('')).toBeNull()
    store.setGrid(null)
    store.setDensity(null)
    store.setMaxChord(null)
    store.setRepetition(null)
    expect(store.nextRequest(undefined)).not.toHaveProperty('steering')
  })

  it('keeps the range it had when a typed one is no range, and says why', () => {
    const store = useGenerateSettingsStore()
    store.setRange('A0-C8')
    expect(store.setRange('C6-C3')).toBe('the lowest key must not lie above the highest')
    expect(store.setRange('middle C')).toMatch(/^expected two piano keys/)
    expect(store.range).toEqual({ lowest: 21, highest: 108 })
  })

  it("takes a range dragged either way on the roll's keyboard, within the piano's keys", () => {
    const store = useGenerateSettingsStore()
    store.setRangeBetween(72, 60)
    expect(store.range).toEqual({ lowest: 60, highest: 72 })
    store.setRangeBetween(5, 127)
    expect(store.range).toEqual({ lowest: 21, highest: 108 })
  })

  it("follows the primer's key only where there is a primer, and Answer me's call unless a key is set", () => {
    const store = useGenerateSettingsStore()
    const primer = pieceOf([0, 1, 62, 90])
    store.setKeyTonic('primer')
    expect(store.nextRequest(primer).steering).toEqual({ key: 'primer' })
    expect(store.nextRequest(undefined)).not.toHaveProperty('steering')
    store.setKeyTonic(null)
    expect(store.nextRequest(primer)).not.toHaveProperty('steering')
    expect(store.nextRequest(primer, { followPrimerKey: true }).steering).toEqual({ key: 'primer' })
    store.setKeyTonic(7)
    expect(store.nextRequest(primer, { followPrimerKey: true }).steering).toEqual({
      key: { tonic: 7, scale: 'major' },
    })
  })

  it('continues a picked file, keeping the primer when the dialog is cancelled', async () => {
    const picks: ({ name: string; piece: Piece } | null)[] = [
      { name: 'a.mid', piece: pieceOf([0, 1, 60, 90]) },
      null,
    ]
    installServices({ api: fakeApi({ pickMidiFile: async () => picks.shift() ?? null }) })
    const store = useGenerateSettingsStore()
    await store.pickPrimerFile()
    await store.pickPrimerFile()
    expect(store.primer).toEqual({ kind: 'file', name: 'a.mid', piece: pieceOf([0, 1, 60, 90]) })
  })

  it('reads a dropped MIDI file, and says why one cannot be used', async () => {
    const store = useGenerateSettingsStore()
    const bytes = (data: Uint8Array) => () => Promise.resolve(data)
    await store.dropPrimerFile('drop.mid', bytes(pieceToMidi(pieceOf([0, 1, 60, 90], [1, 1, 64, 90]))))
    const pitches = store.primer?.kind === 'file' && store.primer.piece.notes.map((note) => note.pitch)
    expect(pitches).toEqual([60, 64])
    await store.dropPrimerFile('notes.txt', () => Promise.reject(new Error('must not be read')))
    expect(store.error).toBe('notes.txt is not a MIDI file (.mid, .midi or .rmi).')
    await store.dropPrimerFile('junk.MIDI', bytes(new Uint8Array([1, 2, 3])))
    expect(store.error).toMatch(/^Could not read junk.MIDI: ./)
    await store.dropPrimerFile('empty.mid', bytes(pieceToMidi(pieceOf())))
    expect(store.error).toBe('empty.mid has no notes to continue from.')
    expect(store.primer?.kind === 'file' && store.primer.name).toBe('drop.mid')
  })

  it('says why a picked file could not be opened', async () => {
    installServices({ api: fakeApi({ pickMidiFile: () => Promise.reject(new Error('not a MIDI file')) }) })
    const store = useGenerateSettingsStore()
    await store.pickPrimerFile()
    expect(store.error).toBe('Could not open the MIDI file: not a MIDI file')
  })
})
