// Browser. Auditioning pieces that are not takes on the transport's player: a checkpoint of the library (a
// short sample generated from a fixed recipe) or a training epoch's sample. One audition at a time: starting
// one stops the last. When it ends (by itself, by Stop here or on the transport, or because another piece
// was loaded), the player goes back to the take on the piano roll, which the sample displaced.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { CheckpointEntry } from '../../../shared/checkpointEntry'
import type { GenerateRequest } from '../../../shared/generateRequest'
import type { Piece } from '../../../shared/music/piece'
import { readableError } from '../errors'
import { useServices } from '../services'
import { useTakesStore } from './takes'

/**
 * Every audition's recipe: the same seed and the temperature of the training distribution, so that
 * checkpoints are heard on equal terms, and 48 model steps, a few seconds that generate at once.
 */
export const AUDITION_REQUEST: GenerateRequest = { seed: 1, temperature: 1, length: 48, count: 1 }

export const useAuditionStore = defineStore('audition', () => {
  const { api, player } = useServices()
  const takes = useTakesStore()

  /** The checkpoint whose sample is being generated. */
  const preparingId = ref<string | null>(null)
  /** What plays: a checkpoint's id, or the key an epoch's sample was given. */
  const playingId = ref<string | null>(null)
  const error = ref<string | null>(null)
  /** Counts the auditions asked for: only the last one asked plays when its sample arrives. */
  let asked = 0

  player.onChange(({ isPlaying }) => {
    if (isPlaying || playingId.value === null) return
    playingId.value = null
    const take = takes.current
    if (take) player.load(take.piece)
  })

  /** Stops the sample that plays, and drops the one being generated. */
  function stop(): void {
    asked++
    preparingId.value = null
    if (playingId.value !== null) player.stop()
  }

  function play(id: string, piece: Piece): void {
    player.load(piece)
    // Set between load and play: the load is not this audition's end, and a sample that ends at once is.
    playingId.value = id
    player.play()
  }

  /** Plays a piece already at hand, such as an epoch's sample, under the key `id`. */
  function playPiece(id: string, piece: Piece): void {
    stop()
    play(id, piece)
  }

  /** Generates the checkpoint's audition sample and plays it under the checkpoint's id. */
  async function audition({ id, name }: Pick<CheckpointEntry, 'id' | 'name'>): Promise<void> {
    stop()
    const mine = asked
    preparingId.value = id
    error.value = null
    try {
      const [piece] = await api.generate(id, AUDITION_REQUEST)
      if (mine === asked) play(id, piece)
    } catch (caught) {
      if (mine === asked) error.value = `Could not audition “${name}”: ${readableError(caught)}`
    } finally {
      if (mine === asked) preparingId.value = null
    }
  }

  function dismissError(): void {
    error.value = null
  }

  return { preparingId, playingId, error, audition, playPiece, stop, dismissError }
})
