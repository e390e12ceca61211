// Node, tests only. Installs a fresh Pinia in an app that provides fake services, as main.ts provides the real
// ones, so that stores run unchanged in unit tests. The real bridge is exercised by the end-to-end suite.
import { createPinia, setActivePinia } from 'pinia'
import { createApp } from 'vue'
import type { CadenzaApi } from '../../../shared/ipcContract'
import type { Piece } from '../../../shared/music/piece'
import { MidiDeviceManager } from '../midi/midiDevices'
import { Player } from '../playback/player'
import { SERVICES, type Services } from '../services'

/** An API whose every operation fails unless the test gives its own. */
export function fakeApi(operations: Partial<CadenzaApi>): CadenzaApi {
  return new Proxy(operations as CadenzaApi, {
    get: (target, name: string) =>
      target[name as keyof CadenzaApi] ?? (() => Promise.reject(new Error(`the fake API has no ${name}`))),
  })
}

/** The services with `api` and whatever else the test gives; the rest are inert: a player on a clock that
 * never moves, a piano that cannot render, and MIDI without devices. */
export function installServices(given: Pick<Services, 'api'> & Partial<Services>): void {
  const services: Services = {
    player: new Player({ now: () => 0, every: () => () => {} }),
    piano: { renderWav: () => Promise.reject(new Error('the fake piano cannot render')) },
    midi: new MidiDeviceManager(
      { enable: async () => {}, outputs: () => [], onPortsChanged: () => () => {} },
      (t) => t,
    ),
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
