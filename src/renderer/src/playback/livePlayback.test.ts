import { describe, expect, it } from 'vitest'
import { fakeClock } from '../testing/fakeClock'
import { LivePlayback } from './livePlayback'
import type { OutputPort } from './outputPort'

function recordingPort(log: string[], name: string): OutputPort {
  return {
    noteOn: (pitch, _velocity, time) => log.push(`${name} on ${pitch} @${time.toFixed(3)}`),
    noteOff: (pitch, time) => log.push(`${name} off ${pitch} @${time.toFixed(3)}`),
    allNotesOff: (time) => log.push(`${name} all off @${time.toFixed(3)}`),
  }
}

/** MIDI timestamps run 1000 ms ahead of the audio clock here. */
function setup() {
  const clock = fakeClock(1)
  const log: string[] = []
  const live = new LivePlayback({
    now: clock.now,
    every: clock.every,
    toMidiTime: (time) => 1000 + time * 1000,
    ports: () => [recordingPort(log, 'piano')],
    clicks: recordingPort(log, 'click'),
    lookahead: 0.1,
  })
  return { clock, log, live }
}

describe('LivePlayback', () => {
  it('counts in with accented then plain clicks and says when the downbeat after them is', () => {
    const { clock, log, live } = setup()
    expect(live.countIn(4, 120)).toBeCloseTo(1000 + 1.1 * 1000 + 2000)
    clock.advance(3.5)
    expect(log.filter((line) => line.includes(' on '))).toEqual([
      'click on 84 @1.100',
      'click on 77 @1.600',
      'click on 77 @2.100',
      'click on 77 @2.600',
    ])
    expect(clock.timers.size).toBe(0)
  })

  it('plays an answer from a MIDI timestamp, says when it is over, and once stopped ends its notes and sends nothing', () => {
    const { clock, log, live } = setup()
    let ended = 0
    const notes = [
      { start: 0, end: 0.5, pitch: 60, velocity: 90 },
      { start: 0.5, end: 1, pitch: 62, velocity: 90 },
    ]
    live.playAnswer(notes, 2500, () => ended++)
    expect(live.answering).toBe(true)
    clock.advance(3)
    expect(log).toEqual([
      'piano on 60 @1.500',
      'piano off 60 @2.000',
      'piano on 62 @2.000',
      'piano off 62 @2.500',
    ])
    expect([ended, live.answering]).toEqual([1, false])

    log.length = 0
    live.playAnswer(notes, 4200, () => ended++)
    clock.advance(3.5)
    live.stopAnswer()
    clock.advance(4.5)
    expect(log).toEqual(['piano on 60 @3.200', 'piano all off @3.500'])
    expect([ended, live.answering]).toEqual([1, false])
  })
})
