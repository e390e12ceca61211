// Browser. Recording from the MIDI keyboards: arm (with an optional one-bar count-in on the metronome's
// click), play, stop; what was played becomes a take, timed from the messages' own timestamps. The tempo set
// here is the take's, and Answer me's.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { playedPiece, type PlayedEvent } from '../live/performance'
import { useServices } from '../services'
import { useTakesStore } from './takes'

export const MIN_BPM = 30
export const MAX_BPM = 300
/** Beats of the count-in: one bar of 4/4. */
export const COUNT_IN_BEATS = 4

export const useRecorderStore = defineStore('recorder', () => {
  const { inputs, live } = useServices()
  const takes = useTakesStore()
  const bpm = ref(120)
  const countIn = ref(false)
  const recording = ref(false)
  /** Notes begun since arming, for the panel. */
  const notesPlayed = ref(0)
  /** Why the last recording made no take. */
  const message = ref<string | null>(null)
  let events: PlayedEvent[] = []
  /** The downbeat after the count-in (quarter 0 of the take), or null to start at the first note. */
  let start: number | null = null

  inputs.listen({
    message(played) {
      if (!recording.value) return
      events.push(played)
      if ((played.data[0] & 0xf0) === 0x90 && (played.data[2] ?? 0) > 0) notesPlayed.value++
    },
    unplugged(input, timestamp) {
      if (recording.value) events.push({ input, timestamp, gone: true })
    },
  })

  function setBpm(value: number): void {
    if (Number.isFinite(value)) bpm.value = Math.min(MAX_BPM, Math.max(MIN_BPM, Math.round(value)))
  }

  function arm(): void {
    if (recording.value) return
    events = []
    notesPlayed.value = 0
    message.value = null
    start = countIn.value ? live.countIn(COUNT_IN_BEATS, bpm.value) : null
    recording.value = true
  }

  /** Ends the recording; what was played (notes still held end now) becomes the current take. */
  function stop(): void {
    if (!recording.value) return
    recording.value = false
    const piece = playedPiece(events, { start: start ?? undefined, end: inputs.now(), bpm: bpm.value })
    events = []
    if (piece.notes.length === 0) message.value = 'Nothing was played.'
    else takes.addRecording(piece)
  }

  const toggle = () => (recording.value ? stop() : arm())

  return { bpm, countIn, recording, notesPlayed, message, setBpm, arm, stop, toggle }
})
