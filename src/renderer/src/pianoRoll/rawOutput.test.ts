import { describe, expect, it } from 'vitest'
import { DEFAULT_DECODE_OPTIONS } from '../../../shared/music/decoding'
import type { NoteEvent, Quadruplet } from '../../../shared/music/piece'
import {
  LARGEST_MARKER,
  markerSize,
  pitchCentre,
  rawTones,
  SMALLEST_MARKER,
  visibleRawMarkers,
  type RawTone,
} from './rawOutput'
import { pitchToY, type Viewport } from './viewport'

const tone = (pitch: number, intensity: number, delta: number): Quadruplet => ({
  length: 1,
  pitch,
  intensity,
  delta,
})
const note = (onset: number): NoteEvent => ({ onset, length: 1, pitch: 60, velocity: 80 })

// 20 px per quarter, 10 px per pitch: quarters 0-20 and pitches 49-72 in view.
const VIEW: Viewport = {
  startQuarter: 0,
  pixelsPerQuarter: 20,
  topPitch: 72,
  pixelsPerPitch: 10,
  width: 400,
  height: 240,
}

describe('raw tones', () => {
  it('start after the primer, snapping as the engine decodes: absent below the threshold', () => {
    const output = [
      [tone(60.4, 80, 1), tone(64.7, 9.5, 1)],
      [tone(59.6, 50, 2), tone(130.2, 70, 2)],
    ]
    expect(rawTones(output, [note(0), note(4)], DEFAULT_DECODE_OPTIONS)).toEqual([
      { onset: 5, pitch: 60.4, intensity: 80, snapped: 60 },
      { onset: 5, pitch: 64.7, intensity: 9.5, snapped: null },
      { onset: 7, pitch: 59.6, intensity: 50, snapped: 60 },
      { onset: 7, pitch: 130.2, intensity: 70, snapped: 108 },
    ])
    // With one tone per step, only the loudest of each step sounds.
    const thinned = rawTones(output, [], { ...DEFAULT_DECODE_OPTIONS, tonesPerStep: 1 })
    expect(thinned.map((raw) => [raw.onset, raw.snapped])).toEqual([
      [1, 60],
      [1, null],
      [3, null],
      [3, 108],
    ])
  })

  it("carry the keys a sampling model drew each tone from, placed on those keys' rows", () => {
    const output = [[tone(62, 80, 1), tone(0, 0, 1)]]
    const choices = [
      [
        [
          { pitch: 62, probability: 0.6 },
          { pitch: 64, probability: 0.3 },
        ],
        [{ pitch: 67, probability: 0.1 }],
      ],
    ]
    const tones = rawTones(output, [], { ...DEFAULT_DECODE_OPTIONS, intensityThreshold: 1 }, choices)
    expect(tones.map((raw) => raw.choices)).toEqual(choices[0])
    const [marker] = visibleRawMarkers(VIEW, tones)
    expect(marker.choices).toEqual([
      { y: pitchCentre(VIEW, 62), probability: 0.6 },
      { y: pitchCentre(VIEW, 64), probability: 0.3 },
    ])
    // A key the steering ruled out stays marked so.
    const ruledOut = [[[{ pitch: 63, probability: 0.4, ruledOut: true as const }], []]]
    const [steered] = visibleRawMarkers(
      VIEW,
      rawTones(output, [], { ...DEFAULT_DECODE_OPTIONS, intensityThreshold: 1 }, ruledOut),
    )
    expect(steered.choices).toEqual([{ y: pitchCentre(VIEW, 63), probability: 0.4, ruledOut: true }])
    // Without choices (the paper's generator), none.
    expect(visibleRawMarkers(VIEW, rawTones(output, [], DEFAULT_DECODE_OPTIONS))[0].choices).toEqual([])
  })

  it('sit at their exact fractional pitch, a whole pitch in the middle of its row', () => {
    expect(pitchCentre(VIEW, 60)).toBe(pitchToY(VIEW, 60) + 5)
    // Half a semitone up is the edge between rows 60 and 61.
    expect(pitchCentre(VIEW, 60.5)).toBe(pitchToY(VIEW, 60))
    const [marker] = visibleRawMarkers(VIEW, [{ onset: 2, pitch: 60.3, intensity: 127, snapped: 60 }])
    expect(marker.x).toBe(40)
    expect(marker.y).toBeCloseTo(122)
    expect(marker.link).toBe(125)
    expect(marker.size).toBe(LARGEST_MARKER)
  })

  it('grow with intensity; absent tones have no link to a row', () => {
    expect(markerSize(-4)).toBe(SMALLEST_MARKER)
    expect(markerSize(0)).toBe(SMALLEST_MARKER)
    expect(markerSize(64)).toBeGreaterThan(SMALLEST_MARKER)
    expect(markerSize(64)).toBeLessThan(LARGEST_MARKER)
    expect(markerSize(300)).toBe(LARGEST_MARKER)
    const [absent] = visibleRawMarkers(VIEW, [{ onset: 1, pitch: 66.8, intensity: 3, snapped: null }])
    expect(absent).toMatchObject({ x: 20, link: null, size: markerSize(3) })
  })

  it('show only when in view, however many there are', () => {
    const tones: RawTone[] = Array.from({ length: 30_000 }, (_, i) => ({
      onset: Math.floor(i / 3) / 4,
      pitch: 40 + (i % 40) + 0.3,
      intensity: 60,
      snapped: 40 + (i % 40),
    }))
    const markers = visibleRawMarkers(VIEW, tones)
    // 20 quarters in view, 4 steps each, and at most 3 tones a step.
    expect(markers.length).toBeGreaterThan(100)
    expect(markers.length).toBeLessThanOrEqual(3 * 4 * 21)
    const half = LARGEST_MARKER / 2
    for (const { x, y } of markers) {
      expect(x).toBeGreaterThanOrEqual(-half)
      expect(x).toBeLessThanOrEqual(VIEW.width + half)
      expect(y).toBeGreaterThanOrEqual(-half)
      expect(y).toBeLessThanOrEqual(VIEW.height + half)
    }
  })

  it('show when only the link to their row reaches into view', () => {
    // The lowest rows in view: a tone far below the keyboard snaps up into them; an absent one does not.
    const low = { ...VIEW, topPitch: 44 }
    const markers = visibleRawMarkers(low, [
      { onset: 1, pitch: -12, intensity: 60, snapped: 21 },
      { onset: 1, pitch: -12, intensity: 2, snapped: null },
    ])
    expect(markers).toEqual([expect.objectContaining({ link: pitchCentre(low, 21) })])
    expect(markers[0].y).toBeGreaterThan(low.height)
  })
})
