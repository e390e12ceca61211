// Browser. The raw-output lane: each tone the model produced, at its step's onset and its exact (fractional)
// pitch, joined to the row it snapped to when it sounds; for a sampling model, also the keys it was drawn
// from, each as likely as it was (a key the steering ruled out marked so). Pure geometry, so that drawing only
// reads it.
import { snapPitch, soundingTones, type DecodeOptions } from '../../../shared/music/decoding'
import type { NoteEvent, PitchChoice, Quadruplet } from '../../../shared/music/piece'
import { continuationOnsets } from '../../../shared/music/steps'
import { pitchToY, quarterToX, xToQuarter, type Viewport } from './viewport'
import { firstAtOrAfter } from './visibleNotes'

/** One raw tone placed in the piece. */
export interface RawTone {
  /** Its step's onset, in quarters from the start of the piece. */
  onset: number
  /** The raw, fractional pitch. */
  pitch: number
  intensity: number
  /** The pitch of the note it became, or null when it does not sound. */
  snapped: number | null
  /** A sampling model's: the likeliest keys it was drawn from, most likely first. */
  choices?: readonly PitchChoice[]
}

/** A raw tone in pixels of the note area. */
export interface RawMarker {
  /** The centre of the marker. */
  x: number
  y: number
  /** Width and height of the (square) marker. */
  size: number
  /** The middle of the snapped note's row, or null for an absent tone, drawn hollow. */
  link: number | null
  /**
   * The middle of each row the tone might have been drawn from, with how likely it was; a key the steering
   * ruled out, with how likely the model would have made it.
   */
  choices: { y: number; probability: number; ruledOut?: true }[]
}

/** Markers grow from the quietest to the loudest intensity, so that loud tones stand out. */
export const SMALLEST_MARKER = 3
export const LARGEST_MARKER = 9
const LOUDEST = 127

/**
 * Every raw tone of a take, ordered by onset: `modelOutput` is the continuation after the primer's notes,
 * decoded as the engine decodes it, with a sampling model's `pitchChoices` beside it.
 */
export function rawTones(
  modelOutput: readonly (readonly Quadruplet[])[],
  primer: readonly NoteEvent[],
  options: DecodeOptions,
  pitchChoices?: readonly (readonly (readonly PitchChoice[])[])[],
): RawTone[] {
  const onsets = continuationOnsets(modelOutput, primer)
  return modelOutput.flatMap((step, s) => {
    const sounding = new Set(soundingTones(step, options))
    return step.map((tone, j) => ({
      onset: onsets[s],
      pitch: tone.pitch,
      intensity: tone.intensity,
      snapped: sounding.has(tone) ? snapPitch(tone.pitch, options) : null,
      ...(pitchChoices && { choices: pitchChoices[s][j] }),
    }))
  })
}

/** The vertical centre of a (fractional) pitch: a whole pitch lies in the middle of its row. */
export const pitchCentre = (view: Viewport, pitch: number) => pitchToY(view, pitch) + view.pixelsPerPitch / 2

/** The marker's width and height for a raw intensity. */
export function markerSize(intensity: number): number {
  const loudness = Math.min(1, Math.max(0, intensity / LOUDEST))
  return SMALLEST_MARKER + (LARGEST_MARKER - SMALLEST_MARKER) * loudness
}

/** The markers of the tones (ordered by onset) that show in view, marker or link; found by binary search. */
export function visibleRawMarkers(view: Viewport, tones: readonly RawTone[]): RawMarker[] {
  const half = LARGEST_MARKER / 2
  const [from, to] = [xToQuarter(view, -half), xToQuarter(view, view.width + half)]
  const markers: RawMarker[] = []
  for (let i = firstAtOrAfter(tones, from); i < tones.length && tones[i].onset <= to; i++) {
    const tone = tones[i]
    const y = pitchCentre(view, tone.pitch)
    const link = tone.snapped === null ? null : pitchCentre(view, tone.snapped)
    const [top, bottom] = [Math.min(y, link ?? y) - half, Math.max(y, link ?? y) + half]
    if (bottom < 0 || top > view.height) continue
    const choices = (tone.choices ?? []).map(({ pitch, probability, ruledOut }) => ({
      y: pitchCentre(view, pitch),
      probability,
      ...(ruledOut && { ruledOut }),
    }))
    markers.push({ x: quarterToX(view, tone.onset), y, size: markerSize(tone.intensity), link, choices })
  }
  return markers
}
