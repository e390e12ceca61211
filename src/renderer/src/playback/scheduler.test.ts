import { describe, expect, it } from 'vitest'
import type { Piece } from '../../../shared/music/piece'
import type { OutputPort } from './outputPort'
import { Scheduler, timedNotes, type TimedNote } from './scheduler'

type Sent = [kind: 'on' | 'off' | 'all', pitch: number, time: number]

function recordingPort(): { port: OutputPort; sent: Sent[] } {
  const sent: Sent[] = []
  return {
    sent,
    port: {
      noteOn: (pitch, _velocity, time) => sent.push(['on', pitch, time]),
      noteOff: (pitch, time) => sent.push(['off', pitch, time]),
      allNotesOff: (time) => sent.push(['all', -1, time]),
    },
  }
}

/** Ticks every 25 ms of clock time from `from` to `to`, as a timer would. */
function run(scheduler: Scheduler, from: number, to: number): void {
  for (let now = from; now <= to + 1e-9; now += 0.025) scheduler.tick(now)
}

const NOTES: TimedNote[] = [
  { start: 0, end: 0.5, pitch: 60, velocity: 90 },
  { start: 0.5, end: 1, pitch: 62, velocity: 80 },
  { start: 0.5, end: 2, pitch: 48, velocity: 70 },
  { start: 1, end: 1.5, pitch: 60, velocity: 90 },
]

describe('timedNotes', () => {
  it('places notes in seconds through the tempo map', () => {
    const piece: Piece = {
      notes: [{ onset: 2, length: 1, pitch: 60, velocity: 100 }],
      tempos: [{ time: 0, bpm: 60 }],
      timeSignatures: [],
    }
    expect(timedNotes(piece)).toEqual([{ start: 2, end: 3, pitch: 60, velocity: 100 }])
    expect(timedNotes(piece, 2)).toEqual([{ start: 1, end: 1.5, pitch: 60, velocity: 100 }])
  })
})

describe('Scheduler', () => {
  it('sends each note-on and note-off once, at its clock time, never later than the look-ahead', () => {
    const { port, sent } = recordingPort()
    const scheduler = new Scheduler(port, 0.1)
    scheduler.play(NOTES, { at: 10 })
    scheduler.tick(10)
    expect(sent).toEqual([['on', 60, 10]])
    run(scheduler, 10, 13)
    expect(sent).toEqual([
      ['on', 60, 10],
      ['off', 60, 10.5],
      ['on', 62, 10.5],
      ['on', 48, 10.5],
      ['off', 62, 11],
      ['on', 60, 11],
      ['off', 60, 11.5],
      ['off', 48, 12],
    ])
    expect(scheduler.isPlaying).toBe(false)
  })

  it('starts from a point of the piece, skipping notes that began before it', () => {
    const { port, sent } = recordingPort()
    const scheduler = new Scheduler(port)
    scheduler.play(NOTES, { at: 0, from: 0.75 })
    run(scheduler, 0, 2)
    expect(sent).toEqual([
      ['on', 60, 0.25],
      ['off', 60, 0.75],
    ])
    expect(scheduler.position(0.5)).toBeCloseTo(1.25)
  })

  it('loops a range, cutting notes at its end, until stopped', () => {
    const { port, sent } = recordingPort()
    const scheduler = new Scheduler(port, 0.1)
    scheduler.play(NOTES, { at: 0, loop: { start: 0.5, end: 1.5 } })
    run(scheduler, 0, 2.2)
    scheduler.stop(2.2)
    expect(sent).toEqual([
      ['on', 62, 0],
      ['on', 48, 0],
      ['off', 62, 0.5],
      ['on', 60, 0.5],
      ['off', 48, 1],
      ['off', 60, 1],
      ['on', 62, 1],
      ['on', 48, 1],
      ['off', 62, 1.5],
      ['on', 60, 1.5],
      ['off', 48, 2],
      ['off', 60, 2],
      ['on', 62, 2],
      ['on', 48, 2],
      ['all', -1, 2.2],
    ])
    expect(scheduler.position(1.25)).toBeCloseTo(0.75)
  })

  it('silences the port when stopped and sends nothing after', () => {
    const { port, sent } = recordingPort()
    const scheduler = new Scheduler(port)
    scheduler.play(NOTES, { at: 0 })
    run(scheduler, 0, 0.6)
    scheduler.stop(0.6)
    const count = sent.length
    expect(sent.at(-1)).toEqual(['all', -1, 0.6])
    run(scheduler, 0.6, 3)
    expect(sent).toHaveLength(count)
  })

  it('refuses an empty loop', () => {
    const scheduler = new Scheduler(recordingPort().port)
    expect(() => scheduler.play(NOTES, { at: 0, loop: { start: 1, end: 1 } })).toThrow(RangeError)
  })

  it("sends a zero-length note's off after its on, while a repeated key's off still comes before the next on", () => {
    const { port, sent } = recordingPort()
    const scheduler = new Scheduler(port, 0.1)
    scheduler.play(
      [
        { start: 0, end: 0.5, pitch: 60, velocity: 90 },
        { start: 0.5, end: 0.5, pitch: 64, velocity: 90 },
        { start: 0.5, end: 1, pitch: 60, velocity: 90 },
      ],
      { at: 0 },
    )
    run(scheduler, 0, 1)
    expect(sent).toEqual([
      ['on', 60, 0],
      ['off', 60, 0.5],
      ['on', 64, 0.5],
      ['on', 60, 0.5],
      ['off', 64, 0.5],
      ['off', 60, 1],
    ])
  })
})
