// Browser. The piano roll's raw-output lane: whether the user wants it, and the current take's raw tones
// while it shows. Only a take the model made here carries them; one read from a MIDI file has notes alone.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { DEFAULT_DECODE_OPTIONS } from '../../../shared/music/decoding'
import { rawTones } from '../pianoRoll/rawOutput'
import { recipeOf, useTakesStore } from './takes'

export const useRawOutputStore = defineStore('rawOutput', () => {
  const takes = useTakesStore()
  /** The user's choice, kept from take to take. */
  const wanted = ref(false)
  const available = computed(() => (takes.current?.piece.modelOutput?.length ?? 0) > 0)
  const shown = computed(() => wanted.value && available.value)
  const tones = computed(() => {
    const take = takes.current
    if (!shown.value || !take?.piece.modelOutput) return null
    const request = recipeOf(take)?.request
    return rawTones(
      take.piece.modelOutput,
      request?.primer?.notes ?? [],
      {
        ...DEFAULT_DECODE_OPTIONS,
        intensityThresholds: take.piece.intensityThresholds,
        tonesPerStep: request?.tonesPerStep,
      },
      take.piece.pitchChoices,
    )
  })

  function toggle(): void {
    if (available.value) wanted.value = !wanted.value
  }

  return { available, shown, tones, toggle }
})
