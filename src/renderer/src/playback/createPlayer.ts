// Browser (Tone.js). The thin factory that wires the pure Player to Tone.js: the audio clock, Tone's
// worker-driven clock for ticks (it keeps time when the page is throttled), the metronome's clicks, and
// waking the audio context on play. Everything it wires is tested in Node through Player's injected deps.
import * as Tone from 'tone'
import { clickOutputPort } from '../audio/clickOutputPort'
import { toneClickSound } from '../audio/clickSound'
import { Player } from './player'

/** Calls `tick` every `ms` milliseconds on Tone's clock until the returned function is called. */
export function toneEvery(ms: number, tick: () => void): () => void {
  const context = Tone.getContext()
  const id = context.setInterval(tick, ms / 1000)
  return () => void context.clearInterval(id)
}

export function createPlayer(): Player {
  const context = Tone.getContext()
  const clicks = toneClickSound()
  const player = new Player({
    now: () => context.currentTime,
    every: toneEvery,
    metronome: clickOutputPort(clicks),
    resume: () => void Tone.start(),
  })
  const dispose = player.dispose.bind(player)
  player.dispose = () => {
    dispose()
    clicks.dispose()
  }
  return player
}
