import { describe, expect, it } from 'vitest'
import { phraseEnd, playedPiece, type PlayedEvent } from './performance'

const on = (pitch: number, timestamp: number, velocity = 100, input = 'keys'): PlayedEvent => ({
  input,
  data: [0x90, pitch, velocity],
  timestamp,
})
const off = (pitch: number, timestamp: number, input = 'keys'): PlayedEvent => ({
  input,
  data: [0x80, pitch, 0],
  timestamp,
})
const pedal = (down: boolean, timestamp: number): PlayedEvent => ({
  input: 'keys',
  data: [0xb0, 64, down ? 127 : 0],
  timestamp,
})
/** Notes as [onset, length, pitch] in quarters, rounded to a millisecond's worth at 120 bpm. */
const rows = (events: PlayedEvent[], options: Parameters<typeof playedPiece>[1]) =>
  playedPiece(events, options).notes.map(({ onset, length, pitch }) => [
    Math.round(onset * 500) / 500,
    Math.round(length * 500) / 500,
    pitch,
  ])

describe('playedPiece', () => {
  it('times notes from the timestamps, from the first note, in any order they were handled', () => {
    const events = [off(64, 1750), on(60, 1000, 90), on(64, 1500), off(60, 1250.5)]
    const piece = playedPiece(events, { end: 3000, bpm: 120 })
    expect(piece.notes).toEqual([
      { onset: 0, length: 0.501, pitch: 60, velocity: 90 },
      { onset: 1, length: 0.5, pitch: 64, velocity: 100 },
    ])
    expect(piece.tempos).toEqual([{ time: 0, bpm: 120 }])
  })

  it('lets the pedal hold released notes until it lifts; a key struck again under it ends its note', () => {
    const events = [
      on(60, 0),
      pedal(true, 100),
      off(60, 250),
      on(64, 500),
      off(64, 600),
      on(60, 750),
      off(60, 800),
      pedal(false, 1000),
      on(67, 1000),
      off(67, 1250),
    ]
    expect(rows(events, { end: 2000, bpm: 120 })).toEqual([
      [0, 1.5, 60],
      [1, 1, 64],
      [1.5, 0.5, 60],
      [2, 0.5, 67],
    ])
  })

  it('ends the notes of an input that vanished, keeps the others, and ends what sounds at stop', () => {
    const events: PlayedEvent[] = [
      on(60, 0),
      pedal(true, 10),
      on(62, 0, 100, 'other'),
      { input: 'keys', timestamp: 500, gone: true },
      on(65, 750),
    ]
    expect(rows(events, { end: 1000, bpm: 120 })).toEqual([
      [0, 1, 60],
      [0, 2, 62],
      [1.5, 0.5, 65],
    ])
  })

  it('starts at a count-in downbeat: notes played just before begin at 0, those over before are left out', () => {
    const events = [on(50, 0), off(50, 100), on(60, 990), off(60, 1500), on(62, 1500), off(62, 1750)]
    expect(rows(events, { start: 1000, end: 2000, bpm: 60 })).toEqual([
      [0, 0.5, 60],
      [0.5, 0.25, 62],
    ])
  })

  it('treats a note-on of velocity 0 as a note-off, and ignores other controllers', () => {
    const events = [on(60, 0), { input: 'keys', data: [0xb0, 1, 127], timestamp: 100 }, on(60, 500, 0)]
    expect(rows(events, { end: 1000, bpm: 120 })).toEqual([[0, 1, 60]])
  })
})

describe('phraseEnd', () => {
  it('is the gap after the last note stops sounding, and unknown while one sounds or before any', () => {
    expect(phraseEnd([], 500)).toBeNull()
    expect(phraseEnd([on(60, 0)], 500)).toBeNull()
    expect(phraseEnd([on(60, 0), on(64, 100), off(64, 400), off(60, 300)], 500)).toBe(900)
    // The pedal holds the last note: the phrase goes on until it lifts.
    const held = [on(60, 0), pedal(true, 10), off(60, 300)]
    expect(phraseEnd(held, 500)).toBeNull()
    expect(phraseEnd([...held, pedal(false, 1200)], 500)).toBe(1700)
  })
})
