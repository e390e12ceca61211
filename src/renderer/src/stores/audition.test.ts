import { describe, expect, it } from 'vitest'
import type { GenerateRequest } from '../../../shared/generateRequest'
import type { Piece } from '../../../shared/music/piece'
import { Player } from '../playback/player'
import { fakeClock } from '../testing/fakeClock'
import { fakeApi, installServices, pieceOf } from '../testing/fakeServices'
import { AUDITION_REQUEST, useAuditionStore } from './audition'
import { useTakesStore } from './takes'

/** One checkpoint's sample: a note of its own pitch, a quarter long (half a second at 120 bpm). */
const PITCHES: Record<string, number> = { default: 60, 'run-1': 62 }
const sampleOf = (id: string) => pieceOf([0, 1, PITCHES[id], 90])

/**
 * The store on a player with a fake clock whose notes are recorded, and an engine whose generations the test
 * finishes (`answer`) or fails (`fail`), in any order.
 */
function setup() {
  const clock = fakeClock()
  const player = new Player({ now: clock.now, every: clock.every })
  const played: number[] = []
  player.setOutputs([
    { noteOn: (pitch) => void played.push(pitch), noteOff: () => {}, allNotesOff: () => {} },
  ])
  const asked: { id: string; request: GenerateRequest }[] = []
  const pending = new Map<string, { resolve: (pieces: Piece[]) => void; reject: (error: Error) => void }>()
  installServices({
    api: fakeApi({
      generate: (id, request) =>
        new Promise((resolve, reject) => {
          asked.push({ id, request })
          pending.set(id, { resolve, reject })
        }),
    }),
    player,
  })
  const answer = (id: string) => pending.get(id)!.resolve([sampleOf(id)])
  const fail = (id: string, message: string) => pending.get(id)!.reject(new Error(message))
  return { store: useAuditionStore(), player, clock, played, asked, answer, fail }
}

const DEFAULT = { id: 'default', name: 'Default model' }
const RUN = { id: 'run-1', name: 'Etudes' }

describe('the audition store', () => {
  it("plays the fixed short recipe's sample of a checkpoint until Stop", async () => {
    const { store, player, clock, played, asked, answer } = setup()
    const auditioning = store.audition(DEFAULT)
    expect(store.preparingId).toBe('default')
    expect(store.playingId).toBeNull()
    answer('default')
    await auditioning
    expect(asked).toEqual([{ id: 'default', request: AUDITION_REQUEST }])
    expect(AUDITION_REQUEST).toEqual({ seed: 1, temperature: 1, length: 48, count: 1 })
    expect(store.preparingId).toBeNull()
    expect(store.playingId).toBe('default')
    expect(player.isPlaying).toBe(true)
    expect(played).toEqual([60])

    clock.advance(0.3)
    store.stop()
    expect(player.isPlaying).toBe(false)
    expect(store.playingId).toBeNull()
  })

  it('stops the audition that plays when another starts, and plays only the last one asked', async () => {
    const { store, player, played, answer } = setup()
    const first = store.audition(DEFAULT)
    answer('default')
    await first
    const second = store.audition(RUN)
    expect(player.isPlaying).toBe(false)
    expect(store.playingId).toBeNull()
    expect(store.preparingId).toBe('run-1')

    // Asked again before the sample arrives: the earlier answer, coming later, plays nothing.
    const third = store.audition(DEFAULT)
    answer('default')
    await third
    answer('run-1')
    await second
    expect(store.playingId).toBe('default')
    expect(store.preparingId).toBeNull()
    expect(played).toEqual([60, 60])
  })

  it('ends with its sample, or a stop on the transport, and gives the player back the take on the roll', async () => {
    const { store, player, clock, played, answer } = setup()
    const takes = useTakesStore()
    takes.addEpochSample('Epoch 1 sample 1', pieceOf([0, 1, 72, 90]), 'run-1', 1)

    const auditioning = store.audition(DEFAULT)
    answer('default')
    await auditioning
    clock.advance(2)
    expect(player.isPlaying).toBe(false)
    expect(store.playingId).toBeNull()
    player.play()
    expect(played).toEqual([60, 72])

    const again = store.audition(RUN)
    answer('run-1')
    await again
    expect(store.playingId).toBe('run-1')
    player.stop()
    expect(store.playingId).toBeNull()
    player.play()
    expect(played).toEqual([60, 72, 62, 72])
  })

  it("plays a piece at hand (an epoch's sample) the same way: it stops a checkpoint's, and ends back on the take", async () => {
    const { store, player, clock, played, asked, answer } = setup()
    const takes = useTakesStore()
    takes.addEpochSample('Epoch 1 sample 1', pieceOf([0, 1, 72, 90]), 'run-1', 1)
    const auditioning = store.audition(DEFAULT)
    answer('default')
    await auditioning

    store.playPiece('run-1/epoch-2/0', pieceOf([0, 1, 65, 90]))
    expect(asked).toHaveLength(1)
    expect(store.playingId).toBe('run-1/epoch-2/0')
    expect(played).toEqual([60, 65])
    clock.advance(2)
    expect(store.playingId).toBeNull()
    player.play()
    expect(played).toEqual([60, 65, 72])
  })

  it('says in the message line which checkpoint could not be auditioned, and why', async () => {
    const { store, player, fail } = setup()
    const auditioning = store.audition(RUN)
    fail('run-1', "Error invoking remote method 'cadenza:generate': Error: cadenza:generate: damaged")
    await auditioning
    expect(store.error).toBe('Could not audition “Etudes”: cadenza:generate: damaged')
    expect(store.preparingId).toBeNull()
    expect(store.playingId).toBeNull()
    expect(player.isPlaying).toBe(false)
    store.dismissError()
    expect(store.error).toBeNull()
  })
})
