// Node, tests only. Installs a fresh Pinia in an app that provides fake services, as main.ts provides the real
// ones, so that stores run unchanged in unit tests. The real bridge is exercised by the end-to-end suite.
import { createPinia, setActivePinia } from 'pinia'
import { createApp } from 'vue'
import type { CadenzaApi } from '../../../shared/ipcContract'
import type { Piece } from '../../../shared/music/piece'
import { Thru } from '../live/thru'
import { MidiDeviceManager, type MidiBackend } from '../midi/midiDevices'
import { MidiInputs } from '../midi/midiInputs'
import { LivePlayback } from '../playback/livePlayback'
import { Player } from '../playback/player'
import { SERVICES, type Services } from '../services'

/** An API whose every operation fails unless the test gives its own. */
export function fakeApi(operations: Partial<CadenzaApi>): CadenzaApi {
  return new Proxy(operations as CadenzaApi, {
    get: (target, name: string) =>
      target[name as keyof CadenzaApi] ?? (() => Promise.reject(new Error(`the fake API has no ${name}`))),
  })
}

const SILENT = { noteOn: () => {}, noteOff: () => {}, allNotesOff: () => {} }

/** The services with `api` and whatever else the test gives; the rest are inert: a player on a clock that
 * never moves, a piano that cannot render, and MIDI without devices. */
export function installServices(given: Pick<Services, 'api'> & Partial<Services>): void {
  const noDevices: MidiBackend = {
    enable: async () => {},
    outputs: () => [],
    inputs: () => [],
    onPortsChanged: () => () => {},
  }
  const still = { now: () => 0, every: () => () => {} }
  const services: Services = {
    player: new Player(still),
    piano: { renderWav: () => Promise.reject(new Error('the fake piano cannot render')) },
    midi: new MidiDeviceManager(noDevices, (t) => t),
    inputs: new MidiInputs(noDevices, () => 0),
    thru: new Thru({ piano: SILENT, now: () => 0, sendToOutputs: () => {} }),
    live: new LivePlayback({ ...still, toMidiTime: (t) => t, ports: () => [], clicks: SILENT }),
    ...given,
  }
  const pinia = createPinia()
  createApp({}).provide(SERVICES, services).use(pinia)
  setActivePinia(pinia)
}

/** A piece of the given notes as [onset, length, pitch, velocity]. */
export function pieceOf(...notes: [number, number, number, number][]): Piece {
  return {
    notes: notes.map(([onset, length, pitch, velocity]) => ({ onset, length, pitch, velocity })),
    tempos: [],
    timeSignatures: [],
  }
}
