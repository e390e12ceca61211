// Runs anywhere. How the model's raw tones become notes (model.md sec. 1): which tones of a step sound and
// the semitone each snaps to, so that the piano roll can show the raw values beside what they became.
import type { Quadruplet } from './piece'

export interface DecodeOptions {
  /** Tones whose intensity comes out below this are absent. */
  intensityThreshold: number
  /** Per tone slot, the threshold instead: a checkpoint's calibrated ones (engine/calibration.ts). */
  intensityThresholds?: readonly number[]
  /** Pitches are clamped to this range (the piano's by default). */
  lowestPitch: number
  highestPitch: number
  /** At most this many tones of a step become notes: the loudest. Every tone that sounds when absent. */
  tonesPerStep?: number
}

export const DEFAULT_DECODE_OPTIONS: DecodeOptions = {
  intensityThreshold: 10,
  lowestPitch: 21,
  highestPitch: 108,
}

/** The tones of a step that sound, in slot order; over the limit, only the loudest (earlier slots on ties). */
export function soundingTones(
  step: readonly Quadruplet[],
  { intensityThreshold, intensityThresholds = [], tonesPerStep = step.length }: DecodeOptions,
): Quadruplet[] {
  const sounding = step.filter((tone, j) => tone.intensity >= (intensityThresholds[j] ?? intensityThreshold))
  if (sounding.length <= tonesPerStep) return sounding
  const kept = new Set([...sounding].sort((a, b) => b.intensity - a.intensity).slice(0, tonesPerStep))
  return sounding.filter((tone) => kept.has(tone))
}

/** The MIDI pitch a raw pitch snaps to: the nearest semitone within the range. */
export function snapPitch(pitch: number, { lowestPitch, highestPitch }: DecodeOptions): number {
  return Math.min(highestPitch, Math.max(lowestPitch, Math.round(pitch)))
}
