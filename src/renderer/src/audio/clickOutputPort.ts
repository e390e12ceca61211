// Browser (pure: the sound is passed in). The metronome as an output port: a short click per note-on,
// accented for the bar's first beat, and every click scheduled ahead can be cut when playback stops.
import { ACCENT_CLICK } from '../playback/metronome'
import type { OutputPort } from '../playback/outputPort'

export interface ClickSound {
  /** Starts a click at audio time `time`; the result stops it (before it starts: it never sounds). */
  play(accent: boolean, time: number, gain: number): { stop(time: number): void }
}

/** Seconds after which a click has surely ended and need not be stopped any more. */
const CLICK_SECONDS = 0.5

export function clickOutputPort(sound: ClickSound): OutputPort {
  let clicks: { time: number; stop(time: number): void }[] = []
  return {
    noteOn(pitch, velocity, time) {
      clicks = clicks.filter((click) => click.time > time - CLICK_SECONDS)
      const click = sound.play(pitch === ACCENT_CLICK.pitch, time, Math.max(0, Math.min(127, velocity)) / 127)
      clicks.push({ time, stop: (at) => click.stop(at) })
    },
    noteOff: () => {},
    allNotesOff(time) {
      clicks.forEach((click) => click.stop(time))
      clicks = []
    },
  }
}
