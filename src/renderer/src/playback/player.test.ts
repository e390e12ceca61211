import { describe, expect, it } from 'vitest'
import type { Piece } from '../../../shared/music/piece'
import { ACCENT_CLICK, BEAT_CLICK, beats, metronomeClicks } from './metronome'
import type { OutputPort } from './outputPort'
import { Player, type PlayerState, type Track } from './player'
import { fakeClock } from '../testing/fakeClock'

type Sent = [kind: 'on' | 'off' | 'all', pitch: number, time: number]

function recordingPort(): OutputPort & { sent: Sent[] } {
  const sent: Sent[] = []
  return {
    sent,
    noteOn: (pitch, _velocity, time) => sent.push(['on', pitch, round(time)]),
    noteOff: (pitch, time) => sent.push(['off', pitch, round(time)]),
    allNotesOff: (time) => sent.push(['all', -1, round(time)]),
  }
}

const round = (x: number) => Math.round(x * 1e6) / 1e6

// 120 bpm: a quarter is 0.5 s.
const PIECE: Piece = {
  notes: [
    { onset: 0, length: 1, pitch: 60, velocity: 90 },
    { onset: 1, length: 1, pitch: 62, velocity: 90 },
    { onset: 2, length: 1, pitch: 64, velocity: 90 },
    { onset: 3, length: 1, pitch: 65, velocity: 90 },
  ],
  tempos: [],
  timeSignatures: [],
}

function setup(options: { metronome?: boolean } = {}) {
  const clock = fakeClock(100)
  const out = recordingPort()
  const click = recordingPort()
  const player = new Player({
    now: clock.now,
    every: clock.every,
    metronome: click,
    lookahead: 0.1,
    startDelay: 0.05,
  })
  player.setOutputs([out])
  player.load(PIECE)
  if (options.metronome) player.setMetronome(true)
  const states: PlayerState[] = []
  player.onChange((state) => states.push(state))
  return { clock, out, click, player, states }
}

describe('Player', () => {
  it('plays the piece on the audio clock, shortly after play(), and reports the position from that clock', () => {
    const { clock, out, player, states } = setup()
    player.play()
    expect(player.isPlaying).toBe(true)
    expect(states.at(-1)?.isPlaying).toBe(true)
    expect(player.positionQuarters()).toBe(0)
    clock.advance(100.55)
    expect(player.positionQuarters()).toBeCloseTo(1)
    expect(out.sent).toEqual([
      ['on', 60, 100.05],
      ['off', 60, 100.55],
      ['on', 62, 100.55],
    ])
  })

  it('pauses where it is, silencing what sounds, and resumes from there', () => {
    const { clock, out, player } = setup()
    player.play()
    clock.advance(100.8) // 1.5 quarters in
    player.pause()
    expect(player.isPlaying).toBe(false)
    expect(out.sent.at(-1)).toEqual(['all', -1, 100.8])
    expect(player.positionQuarters()).toBeCloseTo(1.5)
    clock.advance(200)
    expect(player.positionQuarters()).toBeCloseTo(1.5)
    expect(clock.timers.size).toBe(0)

    out.sent.length = 0
    player.play()
    // Note 62 started before 1.5 and is not replayed; 64 starts half a quarter after the resume point.
    clock.advance(200.4)
    expect(out.sent).toEqual([['on', 64, 200.3]])
    expect(player.positionQuarters()).toBeCloseTo(2.2)
  })

  it('stops, silencing every port at once, and plays from the start next time', () => {
    const { clock, out, player, states } = setup()
    player.play()
    clock.advance(101)
    player.stop()
    expect(out.sent.at(-1)).toEqual(['all', -1, 101])
    expect(player.positionQuarters()).toBe(0)
    expect(states.at(-1)?.isPlaying).toBe(false)
    out.sent.length = 0
    player.play()
    clock.advance(101.2)
    expect(out.sent[0]).toEqual(['on', 60, 101.05])
  })

  it('plays from a given quarter', () => {
    const { clock, out, player } = setup()
    player.play(3)
    clock.advance(100.2)
    expect(out.sent).toEqual([['on', 65, 100.05]])
    expect(player.positionQuarters()).toBeCloseTo(3.3)
  })

  it('ends by itself after the last note, back at the start', () => {
    const { clock, player, states } = setup()
    player.play()
    clock.advance(102.2)
    expect(player.isPlaying).toBe(false)
    expect(states.at(-1)).toMatchObject({ isPlaying: false })
    expect(player.positionQuarters()).toBe(0)
    expect(clock.timers.size).toBe(0)
  })

  it('loops a range of quarters, the playhead wrapping with it', () => {
    const { clock, out, player, states } = setup()
    player.setLoop({ start: 1, end: 3 })
    expect(states.at(-1)?.loop).toEqual({ start: 1, end: 3 })
    player.play()
    // Starting before the loop, it starts at the loop's start.
    clock.advance(101.3)
    expect(out.sent.filter(([kind]) => kind === 'on')).toEqual([
      ['on', 62, 100.05],
      ['on', 64, 100.55],
      ['on', 62, 101.05],
    ])
    expect(player.positionQuarters()).toBeCloseTo(1.5)
    clock.advance(110)
    expect(player.isPlaying).toBe(true)
    expect(() => player.setLoop({ start: 2, end: 2 })).toThrow(RangeError)
  })

  it('changes the loop while playing, from the same position', () => {
    const { clock, out, player } = setup()
    player.play()
    clock.advance(100.3) // 0.5 quarters
    player.setLoop({ start: 0, end: 1 })
    clock.advance(101.3)
    expect(player.positionQuarters()).toBeCloseTo(0.5 + 2 - 2) // 0.5 + 1 s = 2 quarters later, wrapped twice
    expect(out.sent.filter(([kind]) => kind === 'on').every(([, pitch]) => pitch === 60)).toBe(true)
    player.setLoop(null)
    expect(player.state.loop).toBeNull()
  })

  it('changes tempo while playing: the position is kept and later notes follow the new tempo', () => {
    const { clock, out, player, states } = setup()
    player.play()
    clock.advance(100.55) // at quarter 1, note 62 just started
    out.sent.length = 0
    player.setTempoScale(2) // a quarter is now 0.25 s
    expect(states.at(-1)?.tempoScale).toBe(2)
    expect(player.positionQuarters()).toBeCloseTo(1)
    clock.advance(101.1)
    expect(player.positionQuarters()).toBeCloseTo(1 + 0.55 / 0.25)
    // What sounded is cut and played on from the same point; the next note comes a quarter (0.25 s) later.
    expect(out.sent.slice(0, 3)).toEqual([
      ['all', -1, 100.55],
      ['on', 62, 100.55],
      ['off', 62, 100.8],
    ])
    expect(out.sent).toContainEqual(['on', 64, 100.8])
    expect(() => player.setTempoScale(0)).toThrow(RangeError)
  })

  it('routes to new outputs while playing and silences an output taken away', () => {
    const { clock, out, player } = setup()
    const other = recordingPort()
    player.play()
    clock.advance(100.3)
    player.setOutputs([other])
    expect(out.sent.at(-1)).toEqual(['all', -1, 100.3])
    clock.advance(100.6)
    expect(other.sent).toEqual([
      ['off', 60, 100.55],
      ['on', 62, 100.55],
    ])
    const both = recordingPort()
    player.setOutputs([other, both])
    clock.advance(101.1)
    expect(both.sent).toEqual([
      ['off', 62, 101.05],
      ['on', 64, 101.05],
    ])
    expect(other.sent.slice(-2)).toEqual(both.sent)
  })

  it('keeps playing an edited piece from where it is', () => {
    const { clock, out, player } = setup()
    player.play()
    clock.advance(100.8)
    out.sent.length = 0
    player.update({ ...PIECE, notes: [...PIECE.notes, { onset: 2, length: 1, pitch: 40, velocity: 50 }] })
    expect(player.isPlaying).toBe(true)
    clock.advance(101.1)
    expect(out.sent).toContainEqual(['on', 40, 101.05])
    expect(player.positionQuarters()).toBeCloseTo(2.1)
    player.load(PIECE)
    expect(player.isPlaying).toBe(false)
    expect(player.positionQuarters()).toBe(0)
  })

  it('clicks the metronome through its own port, accenting each bar, and switches it while playing', () => {
    const { clock, out, click, player, states } = setup({ metronome: true })
    player.update({ ...PIECE, timeSignatures: [{ time: 0, numerator: 3, denominator: 4 }] })
    player.play()
    clock.advance(101.1)
    expect(click.sent.filter(([kind]) => kind === 'on')).toEqual([
      ['on', ACCENT_CLICK.pitch, 100.05],
      ['on', BEAT_CLICK.pitch, 100.55],
      ['on', BEAT_CLICK.pitch, 101.05],
    ])
    expect(out.sent.some(([, pitch]) => pitch === ACCENT_CLICK.pitch || pitch === BEAT_CLICK.pitch)).toBe(
      false,
    )
    player.setMetronome(false)
    expect(states.at(-1)?.metronome).toBe(false)
    expect(click.sent.at(-1)?.[0]).toBe('all')
    click.sent.length = 0
    clock.advance(101.3)
    expect(click.sent).toEqual([])
    player.setMetronome(true)
    clock.advance(101.6)
    expect(click.sent).toContainEqual(['on', ACCENT_CLICK.pitch, 101.55])
  })

  it('tells tracks when the transport starts and stops, not when it restarts for a tempo change', () => {
    const { clock, player } = setup()
    const calls: string[] = []
    const port = recordingPort()
    const track: Track = {
      port,
      notes: () => [{ start: 0.5, end: 0.6, pitch: 1, velocity: 1 }],
      started: (at, from) => calls.push(`start ${round(at)} ${from}`),
      stopped: (now) => calls.push(`stop ${round(now)}`),
    }
    const remove = player.addTrack(track)
    player.play(0)
    clock.advance(100.6)
    player.setTempoScale(1.5)
    player.pause()
    expect(port.sent[0]).toEqual(['on', 1, 100.55])
    remove()
    player.play()
    expect(calls).toEqual(['start 100.05 0', 'stop 100.6'])
  })
})

describe('metronome', () => {
  it('puts beats by the time signatures, changing where the signature changes', () => {
    const piece: Piece = {
      notes: [{ onset: 0, length: 8, pitch: 60, velocity: 90 }],
      tempos: [],
      timeSignatures: [
        { time: 0, numerator: 2, denominator: 4 },
        { time: 4, numerator: 6, denominator: 8 },
      ],
    }
    expect(beats(piece, 6).map(({ time, downbeat }) => `${time}${downbeat ? '!' : ''}`)).toEqual([
      '0!',
      '1',
      '2!',
      '3',
      '4!',
      '4.5',
      '5',
      '5.5',
    ])
    expect(metronomeClicks({ ...piece, tempos: [{ time: 0, bpm: 60 }] }, 2)[1].start).toBeCloseTo(0.5)
  })
})
