// Browser. Answer me (call and response): while it is on, a phrase played on the MIDI keyboards is a call;
// when the player pauses for the chosen gap, the model continues the call (it is the primer) for the chosen
// number of bars, and the answer plays on the piano and the outputs from the first beat of the call's pulse
// that it can make in time. Playing again while it answers (or while it is generated) stops the answer and
// begins a new call. Every exchange becomes a take with its recipe.
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { answerBeat, callTime, continuation } from '../live/answer'
import { phraseEnd, playedNotes, playedPiece, type PlayedEvent } from '../live/performance'
import { readableError } from '../errors'
import { useServices } from '../services'
import { useCheckpointsStore } from './checkpoints'
import { useGenerateSettingsStore } from './generateSettings'
import { useRecorderStore } from './recorder'
import { useTakesStore } from './takes'

/** Milliseconds between scheduling an answer and its first note: the schedulers' look-ahead and a margin. */
export const ANSWER_LEAD_MS = 30
export const GAP_BEATS = [1, 2, 3, 4] as const
export const MAX_ANSWER_BARS = 16

export type AnswerPhase = 'listening' | 'thinking' | 'answering'

/** When the last answer started: on which beat of its call, and how many beats after the first one after the gap. */
export interface AnswerReport {
  takeId: string
  beat: number
  beatsLate: number
  generationMs: number
}

const isNoteOn = (data: readonly number[]) => (data[0] & 0xf0) === 0x90 && (data[2] ?? 0) > 0

export const useAnswerStore = defineStore('answer', () => {
  const { api, inputs, live } = useServices()
  const takes = useTakesStore()
  const checkpoints = useCheckpointsStore()
  const settings = useGenerateSettingsStore()
  const recorder = useRecorderStore()
  const on = ref(false)
  const gapBeats = ref<number>(1)
  const bars = ref(4)
  const phase = ref<AnswerPhase>('listening')
  const last = shallowRef<AnswerReport | null>(null)
  const error = ref<string | null>(null)
  let call: PlayedEvent[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  /** Counts calls: an answer generated for an earlier call than the current one is dropped. */
  let exchange = 0

  inputs.listen({
    message(played) {
      if (!on.value) return
      if (isNoteOn(played.data) && phase.value !== 'listening') interrupt()
      // A call begins with a note; a pedal or a release before it is no part of one.
      if (call.length > 0 || isNoteOn(played.data)) call.push(played)
      watchForGap()
    },
    unplugged(input, timestamp) {
      if (!on.value || call.length === 0) return
      call.push({ input, timestamp, gone: true })
      watchForGap()
    },
  })

  function setOn(value: boolean): void {
    on.value = value
    if (!value) interrupt()
    // The engine's first generation pays one-time costs (compiling its kernels): paid now, not by the first answer.
    else if (checkpoints.selectedId) {
      const warmUp = { seed: 0, temperature: 1, length: 1, lengthUnit: 'bars' as const, count: 1 }
      api.generate(checkpoints.selectedId, warmUp).catch(() => {
        // A model that cannot generate says so when it is asked to answer.
      })
    }
  }

  function setGapBeats(value: number): void {
    if (GAP_BEATS.includes(value as (typeof GAP_BEATS)[number])) gapBeats.value = value
  }

  function setBars(value: number): void {
    if (Number.isFinite(value)) bars.value = Math.min(MAX_ANSWER_BARS, Math.max(1, Math.round(value)))
  }

  /** Stops the answer (every note it started ends) and forgets the call it answers. */
  function interrupt(): void {
    clearTimeout(timer)
    live.stopAnswer()
    exchange++
    call = []
    phase.value = 'listening'
  }

  function watchForGap(): void {
    clearTimeout(timer)
    const end = phraseEnd(call, (gapBeats.value * 60_000) / recorder.bpm)
    if (end !== null) timer = setTimeout(() => void answer(end), Math.max(0, end - inputs.now()))
  }

  async function answer(gapEnd: number): Promise<void> {
    const checkpointId = checkpoints.selectedId
    if (!checkpointId) {
      error.value = 'Choose a checkpoint to answer with.'
      call = []
      return
    }
    const bpm = recorder.bpm
    const callStart = playedNotes(call)[0].start
    const { notes, tempos, timeSignatures } = playedPiece(call, { end: gapEnd, bpm })
    const primer = { notes, tempos, timeSignatures }
    const request = {
      ...settings.nextRequest(primer),
      length: bars.value,
      lengthUnit: 'bars' as const,
      count: 1,
    }
    const mine = ++exchange
    call = []
    phase.value = 'thinking'
    try {
      const [generated] = await api.generate(checkpointId, request)
      if (mine !== exchange) return
      if (continuation(generated, primer).length === 0) {
        phase.value = 'listening'
        error.value = 'The model had no answer to that call in these bars; play another.'
        return
      }
      const ready = inputs.now()
      const beat = answerBeat({ callStart, bpm, ready, lead: ANSWER_LEAD_MS })
      const take = takes.addAnswer(
        { checkpointId, request, variation: 0, primerName: 'the call played in', answerAt: beat },
        generated,
      )
      const secondsOf = (quarters: number) => ((quarters - beat) * 60) / bpm
      const answerNotes = continuation(take.piece, primer).map((note) => ({
        start: secondsOf(note.onset),
        end: secondsOf(note.onset + note.length),
        pitch: note.pitch,
        velocity: note.velocity,
      }))
      live.playAnswer(answerNotes, callTime(callStart, bpm, beat), () => {
        if (mine === exchange) phase.value = 'listening'
      })
      phase.value = 'answering'
      const firstBeat = answerBeat({ callStart, bpm, ready: gapEnd, lead: 0 })
      last.value = { takeId: take.id, beat, beatsLate: beat - firstBeat, generationMs: ready - gapEnd }
      error.value = null
    } catch (caught) {
      if (mine !== exchange) return
      phase.value = 'listening'
      error.value = `Could not answer: ${readableError(caught)}`
    }
  }

  return { on, gapBeats, bars, phase, last, error, setOn, setGapBeats, setBars, interrupt }
})
