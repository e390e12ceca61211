import { describe, expect, it } from 'vitest'
import { pieceOf } from '../testing/fakeServices'
import {
  COLOURS,
  drawMiniRoll,
  drawNotes,
  drawRawTones,
  drawRoll,
  KEYBOARD_WIDTH,
  RULER_HEIGHT,
  velocityColour,
  type DrawContext,
} from './draw'
import { LARGEST_MARKER } from './rawOutput'
import type { Viewport } from './viewport'
import { indexNotes } from './visibleNotes'

interface Fill {
  x: number
  y: number
  width: number
  height: number
  style: string
}

/**
 * A context that records filled and outlined rectangles in canvas coordinates, following
 * translate/save/restore.
 */
function recorder(): DrawContext & { fills: Fill[]; strokes: Fill[] } {
  let origin = { x: 0, y: 0 }
  const saved: (typeof origin)[] = []
  const fills: Fill[] = []
  const strokes: Fill[] = []
  const ignore = () => undefined
  return {
    fills,
    strokes,
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    font: '',
    textBaseline: 'alphabetic',
    fillRect(x: number, y: number, width: number, height: number) {
      fills.push({ x: x + origin.x, y: y + origin.y, width, height, style: String(this.fillStyle) })
    },
    save: () => void saved.push(origin),
    restore: () => void (origin = saved.pop() ?? origin),
    translate: (x: number, y: number) => void (origin = { x: origin.x + x, y: origin.y + y }),
    fillText: ignore,
    strokeRect(x: number, y: number, width: number, height: number) {
      strokes.push({ x: x + origin.x, y: y + origin.y, width, height, style: String(this.strokeStyle) })
    },
    beginPath: ignore,
    rect: ignore,
    clip: ignore,
  }
}

const VIEW: Viewport = {
  startQuarter: 0,
  pixelsPerQuarter: 20,
  topPitch: 72,
  pixelsPerPitch: 10,
  width: 400,
  height: 240,
}
const noteFills = (fills: Fill[]) =>
  fills.filter((fill) => fill.style.startsWith('rgb(') || fill.style === COLOURS.selectedNote)

describe('piano-roll drawing', () => {
  it('colours notes from quiet to loud', () => {
    expect(velocityColour(1)).toBe(`rgb(${COLOURS.quietNote.join(', ')})`)
    expect(velocityColour(64)).toBe(`rgb(${COLOURS.middleNote.join(', ')})`)
    expect(velocityColour(127)).toBe(`rgb(${COLOURS.loudNote.join(', ')})`)
    expect(velocityColour(0)).toBe(velocityColour(1))
    expect(velocityColour(90)).not.toBe(velocityColour(100))
  })

  it('draws only the notes in view, however long the piece', () => {
    const notes = Array.from({ length: 10_000 }, (_, i) => ({
      onset: i / 2,
      length: 0.5,
      pitch: 60 + (i % 24),
      velocity: 90,
    }))
    const ctx = recorder()
    const count = drawNotes(ctx, VIEW, indexNotes(notes), new Set())
    const drawn = noteFills(ctx.fills)
    expect(count).toBe(drawn.length)
    // 20 quarters in view, two notes each, and only pitches 49-72 are on screen.
    expect(drawn.length).toBeGreaterThan(20)
    expect(drawn.length).toBeLessThanOrEqual(42)
    expect(drawn.every((fill) => fill.x >= -20 && fill.x < VIEW.width)).toBe(true)
  })

  it('places a note by time and pitch, selected notes in their own colour, over the bars chosen', () => {
    const { notes } = pieceOf([2, 1, 70, 127], [4, 1, 71, 1])
    const ctx = recorder()
    const drawn = drawRoll(ctx, VIEW, {
      notes: indexNotes(notes),
      timeSignatures: [],
      selected: new Set([notes[1]]),
      box: null,
      playhead: 8,
      range: { start: 4, end: 8 },
      raw: null,
      keyRange: null,
    })
    expect(drawn).toEqual({ notes: 2, raw: 0 })
    const range = ctx.fills.findIndex((fill) => fill.style === COLOURS.barRange)
    expect(ctx.fills[range]).toMatchObject({ x: KEYBOARD_WIDTH + 80, width: 80, height: VIEW.height })
    // Under the notes, which keep their exact colours.
    expect(ctx.fills.findIndex((fill) => fill.style === velocityColour(127))).toBeGreaterThan(range)
    const [loud, selected] = noteFills(ctx.fills)
    expect(loud).toMatchObject({
      x: KEYBOARD_WIDTH + 40,
      y: RULER_HEIGHT + 20 + 1,
      width: 19,
      style: velocityColour(127),
    })
    expect(selected).toMatchObject({
      x: KEYBOARD_WIDTH + 80,
      y: RULER_HEIGHT + 10 + 1,
      style: COLOURS.selectedNote,
    })
    const playhead = ctx.fills.find((fill) => fill.style === COLOURS.playhead)
    expect(playhead).toMatchObject({ x: KEYBOARD_WIDTH + 160 - 1, y: RULER_HEIGHT, height: VIEW.height })
  })

  it("marks the steering's range on the keyboard: the keys outside it dimmed, a strip along those within", () => {
    const ctx = recorder()
    drawRoll(ctx, VIEW, {
      notes: indexNotes([]),
      timeSignatures: [],
      selected: new Set(),
      box: null,
      playhead: null,
      range: null,
      raw: null,
      keyRange: { lowest: 60, highest: 64 },
    })
    // Row 64's top is 8 rows (10 px each) below the view's top pitch, 72; row 60's bottom 13 rows.
    const [above, below] = ctx.fills.filter((fill) => fill.style === COLOURS.keyRangeOutside)
    expect(above).toMatchObject({ x: 0, y: RULER_HEIGHT, height: 80 })
    expect(below).toMatchObject({ x: 0, y: RULER_HEIGHT + 130, height: VIEW.height - 130 })
    const strip = ctx.fills.find((fill) => fill.style === COLOURS.keyRange)
    expect(strip).toMatchObject({ y: RULER_HEIGHT + 80, height: 50 })
    expect(strip!.x + strip!.width).toBeLessThanOrEqual(KEYBOARD_WIDTH)
  })

  it('draws raw tones over the notes: a sounding one filled and joined to its row, an absent one hollow', () => {
    const { notes } = pieceOf([2, 1, 60, 100])
    const ctx = recorder()
    const drawn = drawRoll(ctx, VIEW, {
      notes: indexNotes(notes),
      timeSignatures: [],
      selected: new Set(),
      box: null,
      playhead: null,
      range: null,
      raw: [
        { onset: 2, pitch: 60.3, intensity: 127, snapped: 60 },
        { onset: 2, pitch: 66.8, intensity: 4, snapped: null },
        // Past the right edge.
        { onset: 40, pitch: 60, intensity: 90, snapped: 60 },
      ],
      keyRange: null,
    })
    expect(drawn).toEqual({ notes: 1, raw: 2 })
    const raw = ctx.fills.filter((fill) => fill.style === COLOURS.rawTone)
    expect(ctx.fills.findIndex((fill) => fill.style === COLOURS.rawTone)).toBeGreaterThan(
      ctx.fills.findIndex((fill) => fill.style === velocityColour(100)),
    )
    const [link, marker] = raw
    // From the raw pitch 0.3 above row 60's middle down to that middle.
    expect(link).toMatchObject({ x: KEYBOARD_WIDTH + 40, width: 1 })
    expect(link.y).toBeCloseTo(RULER_HEIGHT + 122)
    expect(link.height).toBeCloseTo(3)
    expect(marker).toMatchObject({ x: KEYBOARD_WIDTH + 40 - LARGEST_MARKER / 2, width: LARGEST_MARKER })
    expect(marker.y + marker.height / 2).toBeCloseTo(RULER_HEIGHT + 122)
    expect(ctx.strokes).toEqual([expect.objectContaining({ style: COLOURS.rawAbsent })])
    expect(ctx.strokes[0].y + ctx.strokes[0].height / 2).toBeCloseTo(RULER_HEIGHT + 57)
  })

  it("shades the keys a sampled tone might have been by how likely each was, under the drawn tone's marker", () => {
    const ctx = recorder()
    const choices = [
      { pitch: 60, probability: 0.7 },
      { pitch: 63, probability: 0.2 },
    ]
    drawRawTones(ctx, VIEW, [{ onset: 2, pitch: 60, intensity: 100, snapped: 60, choices }])
    const shades = ctx.fills.filter((fill) => String(fill.style).startsWith('rgba(255, 224, 102'))
    expect(shades.map((fill) => fill.style)).toEqual([COLOURS.rawChoice(0.7), COLOURS.rawChoice(0.2)])
    // Row 63 lies three rows (10 px each) above row 60.
    expect(shades[0].y - shades[1].y).toBeCloseTo(30)
    expect(ctx.fills.findIndex((fill) => fill.style === COLOURS.rawTone)).toBeGreaterThan(
      ctx.fills.indexOf(shades[1]),
    )
  })

  it('shades a key the steering ruled out in its own colour, struck through', () => {
    const ctx = recorder()
    const choices = [
      { pitch: 62, probability: 0.5 },
      { pitch: 63, probability: 0.3, ruledOut: true as const },
    ]
    drawRawTones(ctx, VIEW, [{ onset: 2, pitch: 62, intensity: 100, snapped: 62, choices }])
    const styles = ctx.fills.map((fill) => fill.style)
    expect(styles).toContain(COLOURS.rawChoice(0.5))
    expect(styles).not.toContain(COLOURS.rawChoice(0.3))
    const [shade] = ctx.fills.filter((fill) => fill.style === COLOURS.rawRuledOutChoice(0.3))
    const [strike] = ctx.fills.filter((fill) => fill.style === COLOURS.rawRuledOut)
    // Across the shade, on whole pixels.
    expect(strike.y).toBeLessThan(shade.y)
    expect(strike.y + strike.height).toBeGreaterThan(shade.y + shade.height)
    expect([strike.x, strike.y, strike.width].every(Number.isInteger)).toBe(true)
  })

  it('draws only the raw tones in view', () => {
    const tones = Array.from({ length: 9_000 }, (_, i) => ({
      onset: i / 8,
      pitch: 60.2,
      intensity: i % 2 ? 80 : 2,
      snapped: i % 2 ? 60 : null,
    }))
    const ctx = recorder()
    const drawn = drawRawTones(ctx, VIEW, tones)
    // 20 quarters in view, 8 tones each, and a marker's half width either side.
    expect(drawn).toBeGreaterThanOrEqual(160)
    expect(drawn).toBeLessThanOrEqual(164)
    expect(ctx.strokes.length + ctx.fills.length / 2).toBe(drawn)
  })

  it('fits a whole take into a mini roll', () => {
    const piece = pieceOf([0, 2, 40, 10], [30, 2, 90, 120])
    const ctx = recorder()
    drawMiniRoll(ctx, piece, 120, 32)
    const drawn = noteFills(ctx.fills)
    expect(drawn).toHaveLength(2)
    for (const fill of drawn) {
      expect(fill.x).toBeGreaterThanOrEqual(0)
      expect(fill.x + fill.width).toBeLessThanOrEqual(120)
      expect(fill.y).toBeGreaterThanOrEqual(0)
      expect(fill.y + fill.height).toBeLessThanOrEqual(32)
    }
  })
})
