// Browser. Answer me (call and response): while it is on, a phrase played on the MIDI keyboards is a call;
// when the player pauses for the chosen gap, the model continues the call (it is the primer) for the chosen
// number of bars, and the answer plays on the piano and the outputs from the first beat of the call's pulse
// that it can make in time. Playing again while it answers (or while it is generated) stops the answer and
// begins a new call. Every exchange becomes a take with its recipe. The answer keeps to the call's key (as
// detected) unless a key is set under Steer; the rest of the steering applies as set.
// [Note: early answer] Generation starts halfway through the gap, as soon as the call may be over, so that
// most of it is done by the time the gap is: the answer is then ready on the first beat after the gap. If the
// player plays on before the gap ends, that generation is dropped (its seed with it).
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { GenerateRequest } from '../../../shared/generateRequest'
import type { Piece } from '../../../shared/music/piece'
import { detectKey, keyName } from '../../../shared/music/steering'
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
  /** Milliseconds from the end of the gap until the answer was generated (0 when it was ready by then). */
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
  /** The key detected in the call answered last, when the answer follows it. */
  const callKey = ref<string | null>(null)
  let call: PlayedEvent[] = []
  const timers: ReturnType<typeof setTimeout>[] = []
  /** Counts the notes that began calls and the interruptions: an answer to an older state of the call is dropped. */
  let version = 0
  /** The answer being generated for call `version` (see [Note: early answer]). */
  let early: {
    version: number
    checkpointId: string
    request: GenerateRequest
    primer: Piece
    callStart: number
    generated: Promise<Piece>
  } | null = null

  inputs.listen({
    message(played) {
      if (!on.value) return
      if (isNoteOn(played.data)) {
        if (phase.value !== 'listening') interrupt()
        version++
      }
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

  function clearTimers(): void {
    timers.splice(0).forEach((timer) => clearTimeout(timer))
  }

  /** Stops the answer (every note it started ends) and forgets the call it answers. */
  function interrupt(): void {
    clearTimers()
    live.stopAnswer()
    version++
    call = []
    phase.value = 'listening'
  }

  function watchForGap(): void {
    clearTimers()
    const gapMs = (gapBeats.value * 60_000) / recorder.bpm
    const end = phraseEnd(call, gapMs)
    if (end === null) return
    const at = (time: number, work: () => void) =>
      timers.push(setTimeout(work, Math.max(0, time - inputs.now())))
    const mine = version
    at(end - gapMs / 2, () => startGenerating(mine, end))
    at(end, () => void answer(mine, end))
  }

  /** Starts generating the answer to the call as it is now (once per state of the call). */
  function startGenerating(mine: number, gapEnd: number): void {
    if (early?.version === mine) return
    const checkpointId = checkpoints.selectedId
    if (!checkpointId) return
    const { notes, tempos, timeSignatures } = playedPiece(call, { end: gapEnd, bpm: recorder.bpm })
    const primer = { notes, tempos, timeSignatures }
    const request = {
      ...settings.nextRequest(primer, { followPrimerKey: true }),
      length: bars.value,
      lengthUnit: 'bars' as const,
      count: 1,
    }
    callKey.value = request.steering?.key === 'primer' ? keyName(detectKey(notes)) : null
    const generated = api.generate(checkpointId, request).then(([piece]) => piece)
    // Whoever awaits it reports a failure; one nobody awaits any more (the player played on) is dropped.
    generated.catch(() => {})
    early = { version: mine, checkpointId, request, primer, callStart: playedNotes(call)[0].start, generated }
  }

  async function answer(mine: number, gapEnd: number): Promise<void> {
    startGenerating(mine, gapEnd)
    const pending = early
    if (!pending || pending.version !== mine) {
      error.value = 'Choose a checkpoint to answer with.'
      call = []
      return
    }
    const { checkpointId, request, primer, callStart } = pending
    const bpm = recorder.bpm
    call = []
    phase.value = 'thinking'
    try {
      const generated = await pending.generated
      if (mine !== version) return
      if (continuation(generated, primer).length === 0) {
        phase.value = 'listening'
        error.value = 'The model had no answer to that call in these bars; play another.'
        return
      }
      const ready = Math.max(gapEnd, inputs.now())
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
        if (mine === version) phase.value = 'listening'
      })
      phase.value = 'answering'
      const firstBeat = answerBeat({ callStart, bpm, ready: gapEnd, lead: 0 })
      last.value = { takeId: take.id, beat, beatsLate: beat - firstBeat, generationMs: ready - gapEnd }
      error.value = null
    } catch (caught) {
      if (mine !== version) return
      phase.value = 'listening'
      error.value = `Could not answer: ${readableError(caught)}`
    }
  }

  return { on, gapBeats, bars, phase, last, error, callKey, setOn, setGapBeats, setBars, interrupt }
})
