// Browser (pure). MIDI clock, so that a hardware sequencer follows the studio: 24 timing-clock messages
// (0xF8) per quarter note, played as a track of the player, so they are scheduled ahead with timestamps,
// loop and follow the tempo like the notes; Start (0xFA), or Song Position and Continue (0xF2, 0xFB) when
// playing from the middle, when the transport starts, and Stop (0xFC) when it stops.
import { pieceEnd, type Piece } from '../../../shared/music/piece'
import { tempoMap } from '../../../shared/music/tempoMap'
import type { Track } from '../playback/player'
import type { TimedNote } from '../playback/scheduler'

export const TIMING_CLOCK = 0xf8
export const START = 0xfa
export const CONTINUE = 0xfb
export const STOP = 0xfc
export const SONG_POSITION = 0xf2
export const PULSES_PER_QUARTER = 24

/** Where a message goes, with an audio-clock time; the MIDI manager sends it to every output that wants clock. */
export type ClockSend = (data: number[], audioTime: number) => void

/** Pulses every 1/24 quarter up to the end of the piece, in seconds of the piece at the tempo scale. */
export function clockPulses(piece: Piece, tempoScale = 1): TimedNote[] {
  const map = tempoMap(piece.tempos, tempoScale)
  const count = Math.ceil(pieceEnd(piece) * PULSES_PER_QUARTER)
  return Array.from({ length: count }, (_, k) => {
    const start = map.toSeconds(k / PULSES_PER_QUARTER)
    return { start, end: start, pitch: 0, velocity: 1 }
  })
}

export function midiClockTrack(send: ClockSend): Track {
  return {
    port: {
      noteOn: (_pitch, _velocity, time) => send([TIMING_CLOCK], time),
      noteOff: () => {},
      allNotesOff: () => {},
    },
    notes: clockPulses,
    started(at, fromQuarter) {
      // Song Position counts sixteenths (6 pulses each) in 14 bits.
      const sixteenths = Math.min(0x3fff, Math.round(fromQuarter * 4))
      if (sixteenths === 0) send([START], at)
      else {
        send([SONG_POSITION, sixteenths & 0x7f, sixteenths >> 7], at)
        send([CONTINUE], at)
      }
    },
    stopped: (now) => send([STOP], now),
  }
}
