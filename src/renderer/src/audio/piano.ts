// Browser (Tone.js). The studio's sampled piano: decodes the shipped samples once, plays them through a
// Tone.js Sampler on the live audio context, and lends the decoded buffers to offline renders (WAV export).
// [Note: piano cut] A Sampler's release fades a voice out, and it cannot take back an attack scheduled
// after the release time (the attack's gain step survives the fade). The player schedules attacks up to
// its look-ahead in advance, so on stop the piano fades the whole current Sampler out through its own gain
// and plays on with a fresh one, made from the same decoded buffers (cheap: nothing is decoded again).
import * as Tone from 'tone'
import type { Piece } from '../../../shared/music/piece'
import type { OutputPort } from '../playback/outputPort'
import { pianoOutputPort } from './pianoOutputPort'
import { PIANO_SAMPLE_URLS } from './pianoSamples'
import { renderPianoWav, type WavOptions } from './renderWav'

/** Seconds a released note fades, like a damper coming down. */
export const PIANO_RELEASE = 0.6
/** Seconds over which stop fades the piano out: short, yet without a click. */
const CUT_SECONDS = 0.03

export class Piano {
  /** Plays on the piano once the samples are loaded; notes before that are dropped. */
  readonly port: OutputPort
  /** Settles when the samples are decoded (rejects if one cannot be loaded). */
  readonly ready: Promise<void>
  private voice: { sampler: Tone.Sampler; gain: Tone.Gain; port: OutputPort } | null = null
  private buffers: Record<string, Tone.ToneAudioBuffer> = {}
  private disposed = false

  constructor(urls: Readonly<Record<string, string>> = PIANO_SAMPLE_URLS) {
    this.port = {
      noteOn: (pitch, velocity, time) => this.voice?.port.noteOn(pitch, velocity, time),
      noteOff: (pitch, time) => this.voice?.port.noteOff(pitch, time),
      allNotesOff: (time) => this.cut(time),
    }
    this.ready = this.load(urls)
  }

  /** The piece played on this piano, offline and faster than real time, as WAV bytes. */
  async renderWav(piece: Piece, options: WavOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
    await this.ready
    return renderPianoWav(piece, this.buffers, { release: PIANO_RELEASE, ...options })
  }

  dispose(): void {
    this.disposed = true
    this.voice?.sampler.dispose()
    this.voice?.gain.dispose()
    this.voice = null
    Object.values(this.buffers).forEach((buffer) => buffer.dispose())
    this.buffers = {}
  }

  private async load(urls: Readonly<Record<string, string>>): Promise<void> {
    const entries = await Promise.all(
      Object.entries(urls).map(
        async ([note, url]) => [note, await new Tone.ToneAudioBuffer().load(url)] as const,
      ),
    )
    if (this.disposed) {
      entries.forEach(([, buffer]) => buffer.dispose())
      return
    }
    this.buffers = Object.fromEntries(entries)
    this.voice = this.newVoice()
  }

  private newVoice() {
    const gain = new Tone.Gain(1).toDestination()
    const sampler = new Tone.Sampler({ urls: this.buffers, release: PIANO_RELEASE }).connect(gain)
    return { sampler, gain, port: pianoOutputPort(sampler) }
  }

  /** Silences everything sounding or scheduled from `time` on (see [Note: piano cut]). */
  private cut(time: number): void {
    const old = this.voice
    if (!old) return
    old.port.allNotesOff(time)
    old.gain.gain.cancelScheduledValues(time)
    old.gain.gain.setValueAtTime(1, time)
    old.gain.gain.linearRampToValueAtTime(0, time + CUT_SECONDS)
    this.voice = this.newVoice()
    const done = Math.max(0, time - Tone.getContext().currentTime) + CUT_SECONDS + 0.5
    setTimeout(() => {
      old.sampler.dispose()
      old.gain.dispose()
    }, done * 1000)
  }
}
