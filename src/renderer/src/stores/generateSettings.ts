// Browser. What the next Generate asks for: the knobs of the Generate panel, kept valid as they are set.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import { MAX_BARS, MAX_STEPS, type GenerateRequest } from '../../../shared/generateRequest'
import { isMidiFileName, MIDI_EXTENSION_NAMES } from '../../../shared/music/midiFileNames'
import { midiToPiece } from '../../../shared/music/midiToPiece'
import { DEFAULT_METER, type Meter } from '../../../shared/music/meter'
import type { Piece } from '../../../shared/music/piece'
import {
  DENSITY_LIMITS,
  HIGHEST_PIANO_KEY,
  LOWEST_PIANO_KEY,
  MOST_KEYS_AT_ONCE,
  parseRange,
  type Grid,
  type ScaleName,
  type Steering,
} from '../../../shared/music/steering'
import { readableError } from '../errors'
import { useServices } from '../services'
import { useCheckpointsStore } from './checkpoints'

export type LengthUnit = NonNullable<GenerateRequest['lengthUnit']>
/** The panel offers fewer variations than a request may carry, so a batch stays quick to look through. */
export const MAX_VARIATIONS = 16
/** Seeds a dice roll gives: any 31-bit integer, which every tool that takes a seed accepts. */
export const SEED_LIMIT = 2 ** 31

/** What to continue from: one of the takes, or a MIDI file the user picked or dropped. */
export type Primer = { kind: 'take'; takeId: string } | { kind: 'file'; name: string; piece: Piece }

/** What a key of the steering may be: a tonic (0 = C) with the chosen scale, the primer's key, or off. */
export type KeyChoice = number | 'primer' | null
type KeyRange = NonNullable<Steering['range']>

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value))
const wholeIn = (value: number, low: number, high: number, fallback: number) =>
  Number.isFinite(value) ? clamp(Math.round(value), low, high) : fallback

export const useGenerateSettingsStore = defineStore('generateSettings', () => {
  const { api } = useServices()
  const checkpoints = useCheckpointsStore()
  const seed = ref(rollSeed())
  /** Unlocked, every Generate rolls a new seed; locked, it keeps the one shown. */
  const seedLocked = ref(false)
  const temperature = ref(1)
  /** The chosen model's own temperature (the one closest to its training music); null without a model. */
  const modelTemperature = computed(() => {
    const chosen = checkpoints.selected
    return chosen?.status === 'ready' ? chosen.temperature : null
  })
  // Choosing a model starts the slider at the model's own temperature.
  watch(
    () => checkpoints.selectedId,
    () => {
      if (modelTemperature.value !== null) temperature.value = modelTemperature.value
    },
    { immediate: true },
  )
  const length = ref(64)
  const lengthUnit = ref<LengthUnit>('steps')
  const variations = ref(1)
  /** The chosen model's tones per step, `m`; null while no usable model is chosen. */
  const modelTones = computed(() => {
    const chosen = checkpoints.selected
    return chosen?.status === 'ready' ? chosen.settings.model.tonesPerStep : null
  })
  /** What the user chose; null is all the model has. Kept across models, so a bigger one gets it back. */
  const tonesChoice = ref<number | null>(null)
  /** At most this many tones per step sound: the choice, clamped to what the chosen model has. */
  const tonesPerStep = computed(() => {
    const all = modelTones.value ?? 1
    return Math.min(tonesChoice.value ?? all, all)
  })
  /** The time signature of a take without a primer, or of a primer that has none. */
  const meter = ref<Meter>(DEFAULT_METER)
  // Steering (studio.md, "Steer what it writes"): all off at first, so the first takes are the model's own.
  const keyTonic = ref<KeyChoice>(null)
  /** Kept while the key is off, so turning it on again gives back the scale chosen before. */
  const keyScale = ref<ScaleName>('major')
  const range = ref<KeyRange | null>(null)
  const grid = ref<Grid | null>(null)
  const density = ref<number | null>(null)
  const maxChord = ref<number | null>(null)
  const repetition = ref<number | null>(null)
  // A primer's piece can be large: kept shallow so that its notes are not made reactive.
  const primer = shallowRef<Primer | null>(null)
  /** Why the last primer file could not be used. */
  const error = ref<string | null>(null)

  /** Typing a seed means wanting that seed, so it locks. */
  function setSeed(value: number): void {
    seed.value = wholeIn(value, 0, SEED_LIMIT - 1, seed.value)
    seedLocked.value = true
  }

  function rollDice(): void {
    seed.value = rollSeed()
  }

  function setTemperature(value: number): void {
    if (Number.isFinite(value)) temperature.value = clamp(value, 0, 2)
  }

  function setLength(value: number): void {
    length.value = wholeIn(value, 1, maxLength(lengthUnit.value), length.value)
  }

  function setLengthUnit(unit: LengthUnit): void {
    lengthUnit.value = unit
    setLength(length.value)
  }

  function setVariations(value: number): void {
    variations.value = wholeIn(value, 1, MAX_VARIATIONS, variations.value)
  }

  function setTonesPerStep(value: number): void {
    tonesChoice.value = wholeIn(value, 1, modelTones.value ?? 1, tonesPerStep.value)
  }

  function setMeter(value: Meter): void {
    meter.value = value
  }

  function setKeyTonic(value: KeyChoice): void {
    keyTonic.value = value
  }

  function setKeyScale(value: ScaleName): void {
    keyScale.value = value
  }

  /** Takes a range typed as "C3-C6", or "" for none; returns why a text is no range, or null when taken. */
  function setRange(text: string): string | null {
    if (text.trim() === '') {
      range.value = null
      return null
    }
    const parsed = parseRange(text)
    if (typeof parsed === 'string') return parsed
    range.value = parsed
    return null
  }

  /** The keys from one to the other, whichever is lower, within the piano: a range dragged on the roll's keyboard. */
  function setRangeBetween(one: number, other: number): void {
    const key = (pitch: number) => clamp(Math.round(pitch), LOWEST_PIANO_KEY, HIGHEST_PIANO_KEY)
    range.value = { lowest: key(Math.min(one, other)), highest: key(Math.max(one, other)) }
  }

  function setGrid(value: Grid | null): void {
    grid.value = value
  }

  function setDensity(value: number | null): void {
    if (value === null) density.value = null
    else if (Number.isFinite(value))
      density.value = clamp(value, DENSITY_LIMITS.lowest, DENSITY_LIMITS.highest)
  }

  function setMaxChord(value: number | null): void {
    maxChord.value = value === null ? null : wholeIn(value, 1, MOST_KEYS_AT_ONCE, maxChord.value ?? 1)
  }

  function setRepetition(value: number | null): void {
    if (value === null) repetition.value = null
    else if (Number.isFinite(value)) repetition.value = clamp(value, 0, 1)
  }

  /** The key as set; following the primer's needs one, so without a primer there is no key. */
  function keyOf(tonic: KeyChoice, hasPrimer: boolean): Steering['key'] {
    if (tonic === 'primer') return hasPrimer ? 'primer' : undefined
    return tonic === null ? undefined : { tonic, scale: keyScale.value }
  }

  /**
   * The steering as set, or undefined when every control is off. `followPrimerKey`: when no key is set,
   * follow the primer's (Answer me follows the call's).
   */
  function steering(hasPrimer: boolean, followPrimerKey: boolean): Steering | undefined {
    const key = keyOf(keyTonic.value ?? (followPrimerKey ? 'primer' : null), hasPrimer)
    const chosen: Steering = {
      ...(key && { key }),
      ...(range.value && { range: range.value }),
      ...(grid.value && { grid: grid.value }),
      ...(density.value !== null && { density: density.value }),
      ...(maxChord.value !== null && { maxChord: maxChord.value }),
      ...(repetition.value !== null && { repetition: repetition.value }),
    }
    return Object.keys(chosen).length > 0 ? chosen : undefined
  }

  function setPrimer(value: Primer | null): void {
    primer.value = value
  }

  /** Asks main for a MIDI file to continue from; cancelling keeps the primer there was. */
  async function pickPrimerFile(): Promise<void> {
    try {
      const picked = await api.pickMidiFile()
      if (picked) usePrimerFile(picked.name, picked.piece)
    } catch (caught) {
      error.value = `Could not open the MIDI file: ${readableError(caught)}`
    }
  }

  /** A file dropped on the window, read here: the renderer has its bytes, not a path to send to main. */
  async function dropPrimerFile(name: string, read: () => Promise<Uint8Array>): Promise<void> {
    if (!isMidiFileName(name)) {
      error.value = `${name} is not a MIDI file (${MIDI_EXTENSION_NAMES}).`
      return
    }
    try {
      usePrimerFile(name, midiToPiece(await read()))
    } catch (caught) {
      error.value = `Could not read ${name}: ${readableError(caught)}`
    }
  }

  function usePrimerFile(name: string, piece: Piece): void {
    if (piece.notes.length === 0) {
      error.value = `${name} has no notes to continue from.`
      return
    }
    primer.value = { kind: 'file', name, piece }
    error.value = null
  }

  function dismissError(): void {
    error.value = null
  }

  /**
   * The request for the next generation, rolling the seed first unless it is locked. Tones per step goes in
   * only when it leaves some of the model's tones out: all of them is what a request without it asks for;
   * likewise the meter, only when it is not MIDI's default, 4/4, and the steering, only when some of it is
   * on. `followPrimerKey` as for `steering`.
   */
  function nextRequest(primerPiece: Piece | undefined, { followPrimerKey = false } = {}): GenerateRequest {
    if (!seedLocked.value) rollDice()
    const limited = modelTones.value !== null && tonesPerStep.value < modelTones.value
    const steered = steering(primerPiece !== undefined, followPrimerKey)
    return {
      seed: seed.value,
      temperature: temperature.value,
      length: length.value,
      lengthUnit: lengthUnit.value,
      count: variations.value,
      ...(limited && { tonesPerStep: tonesPerStep.value }),
      ...(meter.value !== DEFAULT_METER && { meter: meter.value }),
      ...(steered && { steering: steered }),
      ...(primerPiece && { primer: primerPiece }),
    }
  }

  return {
    seed,
    seedLocked,
    temperature,
    modelTemperature,
    length,
    lengthUnit,
    variations,
    modelTones,
    tonesPerStep,
    meter,
    keyTonic,
    keyScale,
    range,
    grid,
    density,
    maxChord,
    repetition,
    primer,
    error,
    setSeed,
    rollDice,
    setTemperature,
    setLength,
    setLengthUnit,
    setVariations,
    setTonesPerStep,
    setMeter,
    setKeyTonic,
    setKeyScale,
    setRange,
    setRangeBetween,
    setGrid,
    setDensity,
    setMaxChord,
    setRepetition,
    setPrimer,
    pickPrimerFile,
    dropPrimerFile,
    dismissError,
    nextRequest,
  }
})

/** A new random seed, as the dice button gives. */
export function rollSeed(): number {
  return Math.floor(Math.random() * SEED_LIMIT)
}

function maxLength(unit: LengthUnit): number {
  return unit === 'bars' ? MAX_BARS : MAX_STEPS
}
