// Browser. The takes the studio has made: each generated one keeps the exact request that made it, so it can
// be re-made (an answer to a call played in too: its recipe says on which beat the answer starts); an epoch's
// sample and a recording have no such recipe. One of them is current (it fills the piano roll).
import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import type { GenerateRequest } from '../../../shared/generateRequest'
import type { Piece } from '../../../shared/music/piece'
import { readableError } from '../errors'
import { placeAnswer } from '../live/answer'
import { useServices } from '../services'
import { useCheckpointsStore } from './checkpoints'
import { rollSeed, useGenerateSettingsStore } from './generateSettings'

/** Everything needed to make a take again: the same checkpoint and request give the same notes. */
export interface Recipe {
  checkpointId: string
  /** The request as sent; `variation` picks this take's piece out of what it returns. */
  request: GenerateRequest
  variation: number
  /** The name of the take or file it continues, for the recipe line. */
  primerName?: string
  /** Answer me: the primer is a call played in, and the answer starts on this quarter of it (see placeAnswer). */
  answerAt?: number
}

/** Where a take comes from. Training draws an epoch's samples from noise of its own: no recipe repeats one. */
export type TakeOrigin =
  | { kind: 'generated'; recipe: Recipe }
  | { kind: 'epoch-sample'; runId: string; epoch: number }
  | { kind: 'recorded' }

export interface StudioTake {
  id: string
  name: string
  piece: Piece
  origin: TakeOrigin
}

/** The take's recipe, or null for a take that cannot be made again. */
export const recipeOf = (take: StudioTake): Recipe | null =>
  take.origin.kind === 'generated' ? take.origin.recipe : null

/** Only what a primer needs: the model's raw outputs would cross the process boundary for nothing. */
const primerOf = ({ notes, tempos, timeSignatures }: Piece): Piece => ({ notes, tempos, timeSignatures })

export const useTakesStore = defineStore('takes', () => {
  const { api, piano, player } = useServices()
  const checkpoints = useCheckpointsStore()
  const settings = useGenerateSettingsStore()

  // Pieces can hold ten thousand notes: takes are replaced whole, never deeply reactive.
  const takes = shallowRef<readonly StudioTake[]>([])
  const currentId = ref<string | null>(null)
  const generating = ref(false)
  const error = ref<string | null>(null)
  let made = 0

  const current = computed(() => takes.value.find((take) => take.id === currentId.value) ?? null)
  const byId = (id: string) => takes.value.find((take) => take.id === id)

  function newTake(name: string, piece: Piece, origin: TakeOrigin): StudioTake {
    made++
    return markRaw({ id: `take-${made}`, name, piece, origin })
  }

  /** Adds takes after the others, the first of them current. */
  function add(added: StudioTake[]): void {
    takes.value = [...takes.value, ...added]
    currentId.value = added[0].id
  }

  /** Generates `recipe` once and makes a take of each of `variations` (the recipe's own is ignored). */
  async function run(
    recipe: Omit<Recipe, 'variation'>,
    variations: number[],
    /** How it was made from another take, for its name: "re-make of Take 2". */
    madeFrom?: string,
  ): Promise<void> {
    generating.value = true
    try {
      const pieces = await api.generate(recipe.checkpointId, recipe.request)
      const added = variations.map((variation) =>
        newTake(
          madeFrom ? `Take ${made + 1} (${madeFrom})` : `Take ${made + 1}`,
          pieceOf(recipe, pieces[variation]),
          { kind: 'generated', recipe: { ...recipe, variation } },
        ),
      )
      add(added)
      error.value = null
    } catch (caught) {
      error.value = `Generation failed: ${readableError(caught)}`
    } finally {
      generating.value = false
    }
  }

  /** Generates with the current settings; each variation becomes a take. */
  async function generate(): Promise<void> {
    if (generating.value) return
    const checkpointId = checkpoints.selectedId
    if (!checkpointId) {
      error.value = 'Choose a checkpoint to generate with.'
      return
    }
    const primer = settings.primer
    const primerTake = primer?.kind === 'take' ? byId(primer.takeId) : undefined
    if (primer?.kind === 'take' && !primerTake) {
      settings.setPrimer(null)
      error.value = 'The take to continue from is gone; choose another.'
      return
    }
    const primerPiece = primer?.kind === 'file' ? primer.piece : primerTake?.piece
    const request = settings.nextRequest(primerPiece && primerOf(primerPiece))
    const primerName = primer?.kind === 'file' ? primer.name : primerTake?.name
    await run({ checkpointId, request, primerName }, [...Array(request.count).keys()])
  }

  /** Runs a take's exact request again, as a new take: the same model gives the same notes. */
  async function remake(id: string): Promise<void> {
    const take = byId(id)
    const recipe = take && recipeOf(take)
    if (!take || !recipe || generating.value) return
    await run(recipe, [recipe.variation], `re-make of ${take.name}`)
  }

  /**
   * Noise lock (model.md sec. 4): the take's exact request again, with the noise of model steps [from, to)
   * drawn from a new seed, so only those steps (and what follows from them) change.
   */
  async function reroll(id: string, steps: { from: number; to: number }): Promise<void> {
    const take = byId(id)
    const recipe = take && recipeOf(take)
    if (!take || !recipe || generating.value) return
    const request = { ...recipe.request, redraw: { seed: rollSeed(), ...steps } }
    await run({ ...recipe, request }, [recipe.variation], `re-roll of ${take.name}`)
  }

  function select(id: string): void {
    if (byId(id)) currentId.value = id
  }

  /** Puts an edited piece in place of a take's, keeping its recipe or whichever sample it was. */
  function replacePiece(id: string, piece: Piece): void {
    takes.value = takes.value.map((take) => (take.id === id ? markRaw({ ...take, piece }) : take))
  }

  async function save(id: string): Promise<void> {
    const take = byId(id)
    if (!take) return
    try {
      await api.saveTake({ name: take.name, piece: take.piece })
    } catch (caught) {
      error.value = `Could not save ${take.name}: ${readableError(caught)}`
    }
  }

  /** Renders the take on the piano, at the tempo it plays at, and saves it as WAV where the user says. */
  async function exportWav(id: string): Promise<void> {
    const take = byId(id)
    if (!take) return
    try {
      const wav = await piano.renderWav(take.piece, { tempoScale: player.state.tempoScale })
      await api.saveWav({ name: take.name, wav })
    } catch (caught) {
      error.value = `Could not export ${take.name}: ${readableError(caught)}`
    }
  }

  /** Call from a dragstart handler: main starts a native drag of the take as a .mid file. */
  async function drag(id: string): Promise<void> {
    const take = byId(id)
    if (!take) return
    try {
      await api.dragTake({ name: take.name, piece: take.piece })
    } catch (caught) {
      error.value = `Could not drag ${take.name}: ${readableError(caught)}`
    }
  }

  function dismissError(): void {
    error.value = null
  }

  /** Adds a sample of a training run's epoch as the current take: one to hear and edit, not to re-make. */
  function addEpochSample(name: string, piece: Piece, runId: string, epoch: number): void {
    add([newTake(name, piece, { kind: 'epoch-sample', runId, epoch })])
  }

  /** Adds what was played on a MIDI keyboard as the current take. */
  function addRecording(piece: Piece): void {
    add([newTake(`Take ${made + 1} (played in)`, piece, { kind: 'recorded' })])
  }

  /** Adds a call and the model's answer (`generated` by `recipe`, placed as the recipe says), as the current take. */
  function addAnswer(recipe: Recipe, generated: Piece): StudioTake {
    const take = newTake(`Take ${made + 1} (answer)`, pieceOf(recipe, generated), {
      kind: 'generated',
      recipe,
    })
    add([take])
    return take
  }

  return {
    takes,
    currentId,
    current,
    generating,
    error,
    generate,
    remake,
    reroll,
    select,
    replacePiece,
    save,
    exportWav,
    drag,
    dismissError,
    addEpochSample,
    addRecording,
    addAnswer,
  }
})

/** A take's piece from what its recipe's request generated: an answer is moved onto its beat. */
function pieceOf(recipe: Omit<Recipe, 'variation'>, generated: Piece): Piece {
  const { answerAt, request } = recipe
  return answerAt !== undefined && request.primer
    ? placeAnswer(generated, request.primer, answerAt)
    : generated
}
