// Browser (Tone.js). The metronome's sound: two short synthesized clicks (a higher one for the bar's first
// beat), each played as its own buffer source so that a click scheduled ahead can be cancelled.
import * as Tone from 'tone'
import type { ClickSound } from './clickOutputPort'

/** A decaying sine burst of `seconds` at `hz`. */
function click(hz: number, seconds: number, sampleRate: number): Float32Array {
  const samples = new Float32Array(Math.round(seconds * sampleRate))
  for (let i = 0; i < samples.length; i++) {
    const t = i / sampleRate
    samples[i] = Math.sin(2 * Math.PI * hz * t) * Math.exp(-t / (seconds / 5))
  }
  return samples
}

export function toneClickSound(volume = 0.5): ClickSound & { dispose(): void } {
  const sampleRate = Tone.getContext().sampleRate
  const accent = Tone.ToneAudioBuffer.fromArray(click(1760, 0.04, sampleRate))
  const beat = Tone.ToneAudioBuffer.fromArray(click(1320, 0.04, sampleRate))
  const output = new Tone.Gain(volume).toDestination()
  return {
    play(isAccent, time, gain) {
      const source = new Tone.ToneBufferSource({
        url: isAccent ? accent : beat,
        onended: () => source.dispose(),
      })
      source.connect(output).start(time, 0, undefined, gain)
      return { stop: (at) => source.stop(Math.max(at, Tone.getContext().currentTime)) }
    },
    dispose() {
      output.dispose()
      accent.dispose()
      beat.dispose()
    },
  }
}
