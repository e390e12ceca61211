// Browser. The renderer's heavy objects, created once at the composition root (main.ts) and handed to stores
// and components through Vue's provide/inject, so that nothing reaches for a global and tests can hand in fakes.
import { inject, type InjectionKey } from 'vue'
import type { CadenzaApi } from '../../shared/ipcContract'
import type { Piece } from '../../shared/music/piece'

/** What the studio needs of a player; the playback service implements it. Times are in quarter notes. */
export interface Player {
  load(piece: Piece): void
  play(fromQuarter?: number): void
  pause(): void
  stop(): void
  /** Read every animation frame for the playhead, so it is a call rather than reactive state. */
  positionQuarters(): number
  readonly isPlaying: boolean
  /** Calls `listener` when playing starts or stops or a piece is loaded, until the returned function is called. */
  onChange(listener: () => void): () => void
}

export interface Services {
  api: CadenzaApi
  /** Absent until the playback service is wired in; the studio generates and edits without it. */
  player?: Player
}

export const SERVICES: InjectionKey<Services> = Symbol('services')

/** The services, from a component's setup or a setup store of a Pinia installed in the app. */
export function useServices(): Services {
  const services = inject(SERVICES)
  if (!services) throw new Error('the services were not provided (see main.ts)')
  return services
}
