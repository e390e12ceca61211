import { describe, expect, it } from 'vitest'
import {
  clampView,
  pitchToY,
  quarterToX,
  scrollBy,
  visibleRange,
  xToQuarter,
  yToPitch,
  zoomPitch,
  zoomTime,
  type Viewport,
} from './viewport'

const VIEW: Viewport = {
  startQuarter: 8,
  pixelsPerQuarter: 40,
  topPitch: 84,
  pixelsPerPitch: 10,
  width: 800,
  height: 300,
}

describe('the piano-roll viewport', () => {
  it('maps quarters and pitches to pixels and back', () => {
    expect(quarterToX(VIEW, 8)).toBe(0)
    expect(quarterToX(VIEW, 10.5)).toBe(100)
    expect(xToQuarter(VIEW, 100)).toBe(10.5)
    expect(pitchToY(VIEW, 84)).toBe(0)
    expect(pitchToY(VIEW, 60)).toBe(240)
    // Any y inside a row (from its top edge down) gives that row's pitch; just above it is the next pitch up.
    for (const y of [240.5, 245, 249.9]) expect(yToPitch(VIEW, y)).toBe(60)
    expect(yToPitch(VIEW, pitchToY(VIEW, 60) - 1)).toBe(61)
  })

  it('knows what is in view', () => {
    expect(visibleRange(VIEW)).toEqual({ from: 8, to: 28, low: 54, high: 84 })
  })

  it('zooms time about the pointer', () => {
    const zoomed = zoomTime(VIEW, 2, 200)
    expect(zoomed.pixelsPerQuarter).toBe(80)
    expect(xToQuarter(zoomed, 200)).toBeCloseTo(xToQuarter(VIEW, 200))
  })

  it('zooms pitch about the pointer', () => {
    const zoomed = zoomPitch(VIEW, 1.5, 150)
    expect(zoomed.pixelsPerPitch).toBe(15)
    expect(zoomed.topPitch - 150 / zoomed.pixelsPerPitch).toBeCloseTo(
      VIEW.topPitch - 150 / VIEW.pixelsPerPitch,
    )
  })

  it('scrolls with the pointer and never before the start or off the keyboard', () => {
    const scrolled = scrollBy(VIEW, -80, 20)
    expect(scrolled.startQuarter).toBe(10)
    expect(scrolled.topPitch).toBe(86)
    expect(scrollBy(VIEW, 10_000, 0).startQuarter).toBe(0)
    expect(scrollBy(VIEW, 0, 10_000).topPitch).toBe(128)
    expect(scrollBy(VIEW, 0, -10_000).topPitch).toBe(30)
  })

  it('keeps zoom within limits', () => {
    expect(zoomTime(VIEW, 1e6, 0).pixelsPerQuarter).toBe(800)
    expect(zoomTime(VIEW, 1e-6, 0).pixelsPerQuarter).toBe(2)
    expect(clampView({ ...VIEW, pixelsPerPitch: 1000 }).pixelsPerPitch).toBe(48)
  })
})
