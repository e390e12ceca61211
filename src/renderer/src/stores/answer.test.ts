import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { GenerateRequest } from '../../../shared/generateRequest'
import { MidiInputs } from '../midi/midiInputs'
import { LivePlayback } from '../playback/livePlayback'
import { fakeClock } from '../testing/fakeClock'
import { fakeInput, fakeInputBackend } from '../testing/fakeMidiInputs'
import { fakeApi, installServices } from '../testing/fakeServices'
import { useAnswerStore } from './answer'
import { useCheckpointsStore } from './checkpoints'
import { useGenerateSettingsStore } from './generateSettings'
import { recipeOf, useTakesStore } from './takes'

/** A stand-in model: it continues any primer with G then F, two and two and a half quarters after it starts. */
function setup() {
  const keys = fakeInput('keys')
  let now = 0
  const inputs = new MidiInputs(fakeInputBackend([keys]), () => now, { keys: { enabled: true, channel: 0 } })
  inputs.start()
  const clock = fakeClock()
  const sent: string[] = []
  const port = {
    noteOn: (pitch: number, _velocity: number, time: number) => sent.push(`on ${pitch} @${time.toFixed(3)}`),
    noteOff: (pitch: number, time: number) => sent.push(`off ${pitch} @${time.toFixed(3)}`),
    allNotesOff: (time: number) => sent.push(`all off @${time.toFixed(3)}`),
  }
  // MIDI timestamps are the audio clock in milliseconds here.
  const live = new LivePlayback({
    now: clock.now,
    every: clock.every,
    toMidiTime: (t) => t * 1000,
    ports: () => [port],
    clicks: { noteOn: () => {}, noteOff: () => {}, allNotesOff: () => {} },
  })
  const requests: GenerateRequest[] = []
  const api = fakeApi({
    generate: async (_checkpoint, request) => {
      requests.push(request)
      const primer = request.primer?.notes ?? []
      return [
        {
          notes: [
            ...primer,
            { onset: 2, length: 0.5, pitch: 67, velocity: 90 },
            { onset: 2.5, length: 0.5, pitch: 65, velocity: 90 },
          ],
          tempos: request.primer?.tempos ?? [],
          timeSignatures: [],
        },
      ]
    },
  })
  installServices({ api, inputs, live })
  useCheckpointsStore().selectedId = 'default'
  /** Plays [pitch, from ms, to ms] notes, and moves the MIDI clock to the last release. */
  const play = (...notes: [number, number, number][]) => {
    for (const [pitch, from, to] of notes) {
      now = from
      keys.play([0x90, pitch, 100], from)
      now = to
      keys.play([0x80, pitch, 0], to)
    }
  }
  /** Moves the MIDI clock and the timers on together. */
  const wait = (ms: number) => {
    now += ms
    vi.advanceTimersByTime(ms)
  }
  return {
    play,
    clock,
    sent,
    requests,
    wait,
    answer: useAnswerStore(),
    takes: useTakesStore(),
  }
}

beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }))
afterEach(() => void vi.useRealTimers())

describe('the answer store', () => {
  it('warms the model up, then answers a call after the gap, on the next beat, as a take with its recipe', async () => {
    const { play, wait, clock, sent, requests, answer, takes } = setup()
    answer.setOn(true)
    expect(requests).toHaveLength(1)
    play([60, 0, 400], [62, 500, 900])
    // The gap is one beat (500 ms at 120 bpm): generation starts halfway through it, the answer after it.
    wait(249)
    expect(requests).toHaveLength(1)
    wait(1)
    expect(requests).toHaveLength(2)
    wait(249)
    expect(answer.phase).toBe('listening')
    wait(1)
    await vi.waitFor(() => expect(answer.phase).toBe('answering'))
    expect(requests[1]).toMatchObject({ length: 4, lengthUnit: 'bars', count: 1 })
    expect(requests[1].primer?.notes).toEqual([
      { onset: 0, length: 0.8, pitch: 60, velocity: 100 },
      { onset: 1, length: 0.8, pitch: 62, velocity: 100 },
    ])
    const take = takes.current!
    expect(take.name).toBe('Take 1 (answer)')
    expect(recipeOf(take)).toMatchObject({ answerAt: 3, primerName: 'the call played in' })
    expect(take.piece.notes.map(({ onset, pitch }) => [onset, pitch])).toEqual([
      [0, 60],
      [1, 62],
      [3, 67],
      [3.5, 65],
    ])
    expect(answer.last).toMatchObject({ beat: 3, beatsLate: 0 })
    clock.advance(2.6)
    expect(sent).toEqual(['on 67 @1.500', 'off 67 @1.750', 'on 65 @1.750', 'off 65 @2.000'])
    expect(answer.phase).toBe('listening')
  })

  it('keeps to the key detected in the call, and names it, unless a key is set under Steer', async () => {
    const { play, wait, requests, answer } = setup()
    answer.setOn(true)
    // E major's triad, up an octave.
    play([64, 0, 400], [68, 500, 900], [71, 1000, 1400], [76, 1500, 1900])
    wait(500)
    await vi.waitFor(() => expect(answer.phase).toBe('answering'))
    expect(requests[1].steering).toEqual({ key: 'primer' })
    expect(answer.callKey).toBe('E major')
    useGenerateSettingsStore().setKeyTonic(2)
    play([62, 3000, 3400])
    wait(500)
    await vi.waitFor(() => expect(requests).toHaveLength(3))
    expect(requests[2].steering).toEqual({ key: { tonic: 2, scale: 'major' } })
    expect(answer.callKey).toBeNull()
  })

  it('drops an answer begun early when the player plays on before the gap ends', async () => {
    const { play, wait, requests, answer, takes } = setup()
    answer.setOn(true)
    play([60, 0, 400])
    wait(300)
    expect(requests).toHaveLength(2)
    play([62, 700, 1000])
    wait(500)
    await vi.waitFor(() => expect(answer.phase).toBe('answering'))
    expect(requests).toHaveLength(3)
    expect(requests[2].primer?.notes.map((note) => note.pitch)).toEqual([60, 62])
    expect(takes.takes).toHaveLength(1)
    expect(takes.current?.piece.notes.map((note) => note.pitch)).toEqual([60, 62, 67, 65])
  })

  it('stops the answer when the player plays again, and answers the new call', async () => {
    const { play, wait, clock, sent, requests, answer, takes } = setup()
    answer.setOn(true)
    play([60, 0, 400])
    wait(500)
    await vi.waitFor(() => expect(answer.phase).toBe('answering'))
    clock.advance(1.2)
    play([64, 1200, 1300])
    expect(sent.at(-1)).toBe('all off @1.200')
    expect(answer.phase).toBe('listening')
    const before = sent.length
    clock.advance(1.7)
    expect(sent).toHaveLength(before)
    wait(500)
    await vi.waitFor(() => expect(takes.takes).toHaveLength(2))
    expect(requests.at(-1)?.primer?.notes.map((note) => note.pitch)).toEqual([64])
  })
})
