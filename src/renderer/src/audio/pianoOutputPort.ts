// Browser (pure: the sampler is passed in). The sampled piano as an output port: the player's MIDI pitch,
// velocity and audio-clock times become Tone.js Sampler attacks and releases.
import type { OutputPort } from '../playback/outputPort'

/** The part of Tone.js's `Sampler` the port uses. */
export interface SamplerLike {
  triggerAttack(note: string, time: number, velocity: number): unknown
  triggerRelease(note: string, time: number): unknown
  releaseAll(time: number): unknown
}

const NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B']

/** Scientific pitch notation, as Tone.js writes it: 60 is "C4", 21 is "A0". (A bare number would mean hertz to Tone.) */
export function noteName(pitch: number): string {
  return `${NAMES[pitch % 12]}${Math.floor(pitch / 12) - 1}`
}

export function pianoOutputPort(sampler: SamplerLike): OutputPort {
  return {
    noteOn: (pitch, velocity, time) =>
      sampler.triggerAttack(noteName(pitch), time, Math.max(0, Math.min(127, velocity)) / 127),
    noteOff: (pitch, time) => sampler.triggerRelease(noteName(pitch), time),
    // Also stops notes whose attack is scheduled after `time`: a source stopped before it starts stays silent.
    allNotesOff: (time) => sampler.releaseAll(time),
  }
}
