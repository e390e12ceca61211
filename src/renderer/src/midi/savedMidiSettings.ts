// Browser. The MIDI settings kept between sessions in localStorage: the outputs' and the inputs' by device
// id, and where thru sends what is played.
import { z } from 'zod'
import type { ThruSettings } from '../live/thru'
import type { MidiOutputSettings } from './midiDevices'
import type { MidiInputSettings } from './midiInputs'

const OUTPUTS = 'cadenza.midiOutputs'
const INPUTS = 'cadenza.midiInputs'
const THRU = 'cadenza.midiThru'

const OutputsSchema = z.record(
  z.string(),
  z.object({
    enabled: z.boolean(),
    channel: z.number().int().min(1).max(16),
    latencyMs: z.number().finite(),
    clock: z.boolean(),
  }),
)
const InputsSchema = z.record(
  z.string(),
  z.object({ enabled: z.boolean(), channel: z.number().int().min(0).max(16) }),
)
const ThruSchema = z.object({ piano: z.boolean(), outputs: z.boolean() })

/** What was saved under `key`, or `fallback` when there is none or it cannot be used (an old or damaged entry). */
function load<T>(key: string, schema: z.ZodType<T>, fallback: T, storage: Storage): T {
  try {
    const saved = schema.safeParse(JSON.parse(storage.getItem(key) ?? 'null'))
    return saved.success ? saved.data : fallback
  } catch {
    return fallback
  }
}

export function loadMidiSettings(storage: Storage = localStorage): Record<string, MidiOutputSettings> {
  return load(OUTPUTS, OutputsSchema, {}, storage)
}

export function saveMidiSettings(
  settings: Record<string, MidiOutputSettings>,
  storage: Storage = localStorage,
): void {
  storage.setItem(OUTPUTS, JSON.stringify(settings))
}

export function loadInputSettings(storage: Storage = localStorage): Record<string, MidiInputSettings> {
  return load(INPUTS, InputsSchema, {}, storage)
}

export function saveInputSettings(
  settings: Record<string, MidiInputSettings>,
  storage: Storage = localStorage,
): void {
  storage.setItem(INPUTS, JSON.stringify(settings))
}

/** Thru to the piano and the outputs, both on by default: what is played should be heard. */
export function loadThruSettings(storage: Storage = localStorage): ThruSettings {
  return load(THRU, ThruSchema, { piano: true, outputs: true }, storage)
}

export function saveThruSettings(settings: ThruSettings, storage: Storage = localStorage): void {
  storage.setItem(THRU, JSON.stringify(settings))
}
