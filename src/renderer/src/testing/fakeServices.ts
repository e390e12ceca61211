// Node, tests only. Installs a fresh Pinia in an app that provides fake services, as main.ts provides the real
// ones, so that stores run unchanged in unit tests. The real bridge is exercised by the end-to-end suite.
import { createPinia, setActivePinia } from 'pinia'
import { createApp } from 'vue'
import type { CadenzaApi } from '../../../shared/ipcContract'
import type { Piece } from '../../../shared/music/piece'
import { SERVICES, type Services } from '../services'

/** An API whose every operation fails unless the test gives its own. */
export function fakeApi(operations: Partial<CadenzaApi>): CadenzaApi {
  return new Proxy(operations as CadenzaApi, {
    get: (target, name: string) =>
      target[name as keyof CadenzaApi] ?? (() => Promise.reject(new Error(`the fake API has no ${name}`))),
  })
}

export function installServices(services: Services): void {
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
