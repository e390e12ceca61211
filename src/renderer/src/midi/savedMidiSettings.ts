// Browser. The MIDI outputs' settings kept between sessions in localStorage, by device id.
import { z } from 'zod'
import type { MidiOutputSettings } from './midiDevices'

const KEY = 'cadenza.midiOutputs'

const SavedSchema = z.record(
  z.string(),
  z.object({
    enabled: z.boolean(),
    channel: z.number().int().min(1).max(16),
    latencyMs: z.number().finite(),
    clock: z.boolean(),
  }),
)

/** What was saved, or nothing when there is none or it cannot be used (an old or damaged entry). */
export function loadMidiSettings(storage: Storage = localStorage): Record<string, MidiOutputSettings> {
  try {
    const saved = SavedSchema.safeParse(JSON.parse(storage.getItem(KEY) ?? '{}'))
    return saved.success ? saved.data : {}
  } catch {
    return {}
  }
}

export function saveMidiSettings(
  settings: Record<string, MidiOutputSettings>,
  storage: Storage = localStorage,
): void {
  storage.setItem(KEY, JSON.stringify(settings))
}
