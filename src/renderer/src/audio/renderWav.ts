// Browser (Tone.js). "Export WAV": renders a piece on the sampled piano in an offline audio context, as fast
// as the machine can, and encodes the result as 16-bit PCM WAV bytes for main to save.
import * as Tone from 'tone'
import type { Piece } from '../../../shared/music/piece'
import { timedNotes } from '../playback/scheduler'
import { pianoOutputPort } from './pianoOutputPort'
import { encodeWav } from './wav'

export interface WavOptions {
  /** As the player's tempo scale (default 1). */
  tempoScale?: number
  /** Default 44100. */
  sampleRate?: number
  /** Seconds a released note fades (default 0.6). */
  release?: number
}

/** Seconds of the last notes' decay kept after the piece ends. */
const TAIL = 1.5

export async function renderPianoWav(
  piece: Piece,
  samples: Readonly<Record<string, Tone.ToneAudioBuffer | AudioBuffer>>,
  { tempoScale = 1, sampleRate = 44100, release = 0.6 }: WavOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const notes = timedNotes(piece, tempoScale)
  const duration = notes.reduce((end, note) => Math.max(end, note.end), 0) + TAIL
  const rendered = await Tone.Offline(
    () => {
      // Created inside the callback, the sampler belongs to the offline context; the decoded buffers are shared.
      const sampler = new Tone.Sampler({ urls: { ...samples }, release }).toDestination()
      const port = pianoOutputPort(sampler)
      // Tone's Sampler releases every voice of a key at once, so each release is given right after its own
      // attack, in onset order: a later attack of the same key is then not cut by an earlier note's release.
      for (const note of notes) {
        port.noteOn(note.pitch, note.velocity, note.start)
        port.noteOff(note.pitch, note.end)
      }
    },
    duration,
    2,
    sampleRate,
  )
  return encodeWav([rendered.getChannelData(0), rendered.getChannelData(1)], sampleRate)
}
