// Browser. The renderer's heavy objects, created once at the composition root (main.ts) and handed to stores
// and components through Vue's provide/inject, so that nothing reaches for a global and tests can hand in fakes.
import { inject, type InjectionKey } from 'vue'
import type { CadenzaApi } from '../../shared/ipcContract'
import type { Piano } from './audio/piano'
import type { Thru } from './live/thru'
import type { MidiDeviceManager } from './midi/midiDevices'
import type { MidiInputs } from './midi/midiInputs'
import type { LivePlayback } from './playback/livePlayback'
import type { Player } from './playback/player'

export interface Services {
  api: CadenzaApi
  /** The transport: plays the current take to the piano and the enabled MIDI outputs. */
  player: Player
  /** Renders a take to WAV ("Export WAV"); only that is needed of it here. */
  piano: Pick<Piano, 'renderWav'>
  /** The MIDI outputs, their settings and panic. */
  midi: MidiDeviceManager
  /** The MIDI inputs (keyboards), their settings, and what they play. */
  inputs: MidiInputs
  /** What is played sounds at once on the piano and the outputs. */
  thru: Thru
  /** The count-in before a recording, and Answer me's answers. */
  live: LivePlayback
}

export const SERVICES: InjectionKey<Services> = Symbol('services')

/** The services, from a component's setup or a setup store of a Pinia installed in the app. */
export function useServices(): Services {
  const services = inject(SERVICES)
  if (!services) throw new Error('the services were not provided (see main.ts)')
  return services
}
