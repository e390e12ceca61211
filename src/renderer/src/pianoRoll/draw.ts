// Browser. Pure drawing of the piano roll and of a take's mini roll: a 2D context and a viewport in, pixels
// out, touching only what is in view. The colours are exported so that tests can read pixels back.
import { pieceEnd, type NoteEvent, type Piece, type TimeSignatureChange } from '../../../shared/music/piece'
import type { Steering } from '../../../shared/music/steering'
import type { BarRange } from './barRange'
import { gridLines } from './grid'
import { noteRect, type Box } from './hitTest'
import { LARGEST_MARKER, visibleRawMarkers, type RawTone } from './rawOutput'
import { pitchToY, quarterToX, visibleRange, type Viewport } from './viewport'
import { visibleNotes, type NoteIndex } from './visibleNotes'

/** What drawing needs of a canvas context, so that tests can hand in a recording fake. */
export type DrawContext = Pick<
  CanvasRenderingContext2D,
  | 'fillStyle'
  | 'strokeStyle'
  | 'lineWidth'
  | 'font'
  | 'textBaseline'
  | 'fillRect'
  | 'fillText'
  | 'strokeRect'
  | 'save'
  | 'restore'
  | 'translate'
  | 'beginPath'
  | 'rect'
  | 'clip'
>

export const KEYBOARD_WIDTH = 48
export const RULER_HEIGHT = 24

export const COLOURS = {
  background: '#15171c',
  whiteRow: '#1d2027',
  blackRow: '#181a20',
  barLine: '#3b404c',
  beatLine: '#272b34',
  whiteKey: '#d8dbe2',
  blackKey: '#2b2e36',
  keyEdge: '#8a8f9c',
  keyLabel: '#4b5060',
  ruler: '#1f222a',
  rulerText: '#a0a6b4',
  selectedNote: '#f5f6fa',
  selectionBox: 'rgba(120, 170, 255, 0.18)',
  selectionEdge: '#78aaff',
  /** Bars chosen on the ruler: translucent, under the notes, so that their colours stay exact. */
  barRange: 'rgba(255, 200, 90, 0.10)',
  barRangeRuler: 'rgba(255, 200, 90, 0.35)',
  playhead: '#ff5c5c',
  /** The raw-output lane: a tone that sounds, and the line to the row it snapped to. */
  rawTone: '#ffe066',
  /** An absent tone (below the intensity threshold): hollow and faint. */
  rawAbsent: 'rgba(255, 224, 102, 0.45)',
  /** A key a sampled tone might have been: the raw tone's colour, as opaque as the key was likely. */
  rawChoice: (probability: number) => `rgba(255, 224, 102, ${probability.toFixed(3)})`,
  /** A key the steering ruled out: a muted red, shaded as likely as the model would have made it, struck. */
  rawRuledOut: '#b0686e',
  rawRuledOutChoice: (probability: number) => `rgba(176, 104, 110, ${probability.toFixed(3)})`,
  /** The steering's range on the keyboard: the keys outside it dimmed, a strip along the keys within. */
  keyRangeOutside: 'rgba(21, 23, 28, 0.6)',
  keyRange: '#ff9f43',
  /** Note colours run from `quietNote` at velocity 1 through `middleNote` (64) to `loudNote` at 127. */
  quietNote: [70, 118, 230],
  middleNote: [52, 186, 150],
  loudNote: [255, 146, 64],
} as const

/** A note's colour for its velocity, as an `rgb()` string. */
export function velocityColour(velocity: number): string {
  // Two legs rather than one straight blend, whose middle would be a muddy grey.
  const t = (Math.min(127, Math.max(1, velocity)) - 1) / 63
  const [from, to, f] =
    t <= 1 ? [COLOURS.quietNote, COLOURS.middleNote, t] : [COLOURS.middleNote, COLOURS.loudNote, t - 1]
  const [r, g, b] = from.map((start, i) => Math.round(start + (to[i] - start) * f))
  return `rgb(${r}, ${g}, ${b})`
}

const BLACK_KEYS = new Set([1, 3, 6, 8, 10])
const isBlack = (pitch: number) => BLACK_KEYS.has(pitch % 12)

export interface RollScene {
  notes: NoteIndex
  timeSignatures: readonly TimeSignatureChange[]
  selected: ReadonlySet<NoteEvent>
  /** A selection box being dragged, in pixels of the note area. */
  box: Box | null
  /** Where playback is, in quarters; null when stopped. */
  playhead: number | null
  /** The bars to re-roll, shaded; null when none are chosen. */
  range: BarRange | null
  /** The model's raw tones (see rawTones), drawn over the notes; null when the lane is off. */
  raw: readonly RawTone[] | null
  /** The steering's range of keys, marked on the keyboard; null when none is set. */
  keyRange: KeyRange | null
}

type KeyRange = NonNullable<Steering['range']>

/** How many notes and raw tones a frame drew. */
export interface Drawn {
  notes: number
  raw: number
}

/**
 * Draws everything onto a canvas of KEYBOARD_WIDTH + view.width by RULER_HEIGHT + view.height CSS pixels.
 * Returns how much it drew, which stays near what fits in view however long the piece.
 */
export function drawRoll(ctx: DrawContext, view: Viewport, scene: RollScene): Drawn {
  const drawn = { notes: 0, raw: 0 }
  within(ctx, KEYBOARD_WIDTH, RULER_HEIGHT, view.width, view.height, () => {
    drawRows(ctx, view)
    if (scene.range) drawRange(ctx, view, scene.range, view.height, COLOURS.barRange)
    drawGrid(ctx, view, scene.timeSignatures)
    drawn.notes = drawNotes(ctx, view, scene.notes, scene.selected)
    if (scene.raw) drawn.raw = drawRawTones(ctx, view, scene.raw)
    if (scene.box) drawBox(ctx, scene.box)
    if (scene.playhead !== null) drawPlayhead(ctx, view, scene.playhead)
  })
  within(ctx, KEYBOARD_WIDTH, 0, view.width, RULER_HEIGHT, () => {
    drawRuler(ctx, view, scene.timeSignatures)
    if (scene.range) drawRange(ctx, view, scene.range, RULER_HEIGHT, COLOURS.barRangeRuler)
  })
  within(ctx, 0, RULER_HEIGHT, KEYBOARD_WIDTH, view.height, () => {
    drawKeyboard(ctx, view)
    if (scene.keyRange) drawKeyRange(ctx, view, scene.keyRange)
  })
  ctx.fillStyle = COLOURS.ruler
  ctx.fillRect(0, 0, KEYBOARD_WIDTH, RULER_HEIGHT)
  return drawn
}

/** Runs `draw` with the origin moved to (x, y) and clipped to width by height. */
function within(
  ctx: DrawContext,
  x: number,
  y: number,
  width: number,
  height: number,
  draw: () => void,
): void {
  ctx.save()
  ctx.translate(x, y)
  ctx.beginPath()
  ctx.rect(0, 0, width, height)
  ctx.clip()
  draw()
  ctx.restore()
}

function drawRows(ctx: DrawContext, view: Viewport): void {
  ctx.fillStyle = COLOURS.background
  ctx.fillRect(0, 0, view.width, view.height)
  const { low, high } = visibleRange(view)
  for (let pitch = low; pitch <= high; pitch++) {
    ctx.fillStyle = isBlack(pitch) ? COLOURS.blackRow : COLOURS.whiteRow
    // One pixel short, so that rows are told apart by the background between them.
    ctx.fillRect(0, pitchToY(view, pitch), view.width, view.pixelsPerPitch - 1)
  }
}

function drawGrid(ctx: DrawContext, view: Viewport, signatures: readonly TimeSignatureChange[]): void {
  const { from, to } = visibleRange(view)
  const { bars, beats } = gridLines(signatures, from, to, view.pixelsPerQuarter)
  ctx.fillStyle = COLOURS.beatLine
  for (const beat of beats) ctx.fillRect(Math.round(quarterToX(view, beat)), 0, 1, view.height)
  ctx.fillStyle = COLOURS.barLine
  for (const bar of bars) ctx.fillRect(Math.round(quarterToX(view, bar.time)), 0, 1, view.height)
}

export function drawNotes(
  ctx: DrawContext,
  view: Viewport,
  notes: NoteIndex,
  selected: ReadonlySet<NoteEvent>,
): number {
  const { from, to, low, high } = visibleRange(view)
  // Notes a little off the left edge can still show their minimum width.
  const visible = visibleNotes(notes, from - 1, to, low, high)
  for (const note of visible) {
    const { left, top, right, bottom } = noteRect(view, note)
    ctx.fillStyle = selected.has(note) ? COLOURS.selectedNote : velocityColour(note.velocity)
    ctx.fillRect(left, top + 1, Math.max(1, right - left - 1), Math.max(1, bottom - top - 2))
  }
  return visible.length
}

/** The raw tones in view over the notes; returns how many were drawn. */
export function drawRawTones(ctx: DrawContext, view: Viewport, tones: readonly RawTone[]): number {
  const markers = visibleRawMarkers(view, tones)
  ctx.lineWidth = 1
  for (const { x, y, size, link, choices } of markers) {
    const [left, top] = [x - size / 2, y - size / 2]
    for (const choice of choices) {
      const shade = choice.ruledOut ? COLOURS.rawRuledOutChoice : COLOURS.rawChoice
      ctx.fillStyle = shade(choice.probability)
      ctx.fillRect(x - LARGEST_MARKER / 2, choice.y - 1, LARGEST_MARKER, 2)
      if (!choice.ruledOut) continue
      // Struck through, on whole pixels so that its colour stays exact however unlikely the key.
      ctx.fillStyle = COLOURS.rawRuledOut
      ctx.fillRect(Math.round(x), Math.round(choice.y) - 3, 1, 6)
    }
    if (link === null) {
      ctx.strokeStyle = COLOURS.rawAbsent
      ctx.strokeRect(left, top, size, size)
      continue
    }
    ctx.fillStyle = COLOURS.rawTone
    ctx.fillRect(Math.round(x), Math.min(y, link), 1, Math.abs(link - y))
    ctx.fillRect(left, top, size, size)
  }
  return markers.length
}

function drawRange(ctx: DrawContext, view: Viewport, range: BarRange, height: number, colour: string): void {
  const left = quarterToX(view, range.start)
  ctx.fillStyle = colour
  ctx.fillRect(left, 0, quarterToX(view, range.end) - left, height)
}

function drawBox(ctx: DrawContext, { left, top, right, bottom }: Box): void {
  ctx.fillStyle = COLOURS.selectionBox
  ctx.fillRect(left, top, right - left, bottom - top)
  ctx.strokeStyle = COLOURS.selectionEdge
  ctx.lineWidth = 1
  ctx.strokeRect(left + 0.5, top + 0.5, right - left, bottom - top)
}

function drawPlayhead(ctx: DrawContext, view: Viewport, quarter: number): void {
  ctx.fillStyle = COLOURS.playhead
  ctx.fillRect(Math.round(quarterToX(view, quarter)) - 1, 0, 2, view.height)
}

function drawRuler(ctx: DrawContext, view: Viewport, signatures: readonly TimeSignatureChange[]): void {
  ctx.fillStyle = COLOURS.ruler
  ctx.fillRect(0, 0, view.width, RULER_HEIGHT)
  const { from, to } = visibleRange(view)
  const { bars, beats } = gridLines(signatures, from, to, view.pixelsPerQuarter)
  ctx.fillStyle = COLOURS.barLine
  for (const beat of beats) ctx.fillRect(Math.round(quarterToX(view, beat)), RULER_HEIGHT - 5, 1, 5)
  ctx.font = '11px system-ui, sans-serif'
  ctx.textBaseline = 'middle'
  for (const bar of bars) {
    const x = Math.round(quarterToX(view, bar.time))
    ctx.fillStyle = COLOURS.barLine
    ctx.fillRect(x, bar.labelled ? 0 : RULER_HEIGHT / 2, 1, RULER_HEIGHT)
    if (!bar.labelled) continue
    ctx.fillStyle = COLOURS.rulerText
    ctx.fillText(String(bar.number), x + 4, RULER_HEIGHT / 2)
  }
}

function drawKeyboard(ctx: DrawContext, view: Viewport): void {
  ctx.fillStyle = COLOURS.keyEdge
  ctx.fillRect(0, 0, KEYBOARD_WIDTH, view.height)
  const { low, high } = visibleRange(view)
  ctx.font = `${Math.min(11, view.pixelsPerPitch)}px system-ui, sans-serif`
  ctx.textBaseline = 'middle'
  for (let pitch = low; pitch <= high; pitch++) {
    const y = pitchToY(view, pitch)
    // A black key's row shows the white keys beside it, unbroken, to its right.
    ctx.fillStyle = COLOURS.whiteKey
    ctx.fillRect(0, y, KEYBOARD_WIDTH - 1, view.pixelsPerPitch - (isBlack(pitch) ? 0 : 1))
    if (isBlack(pitch)) {
      ctx.fillStyle = COLOURS.blackKey
      ctx.fillRect(0, y, KEYBOARD_WIDTH * 0.62, view.pixelsPerPitch)
    }
    // C's are named (C4 is middle C, MIDI 60) where the rows are tall enough to read.
    if (pitch % 12 === 0 && view.pixelsPerPitch >= 8) {
      ctx.fillStyle = COLOURS.keyLabel
      ctx.fillText(`C${pitch / 12 - 1}`, KEYBOARD_WIDTH - 24, y + view.pixelsPerPitch / 2)
    }
  }
}

/** Dims the keys outside the range and runs a strip along the right edge of those within. */
function drawKeyRange(ctx: DrawContext, view: Viewport, { lowest, highest }: KeyRange): void {
  const [top, bottom] = [pitchToY(view, highest), pitchToY(view, lowest) + view.pixelsPerPitch]
  ctx.fillStyle = COLOURS.keyRangeOutside
  ctx.fillRect(0, 0, KEYBOARD_WIDTH, top)
  ctx.fillRect(0, bottom, KEYBOARD_WIDTH, view.height - bottom)
  ctx.fillStyle = COLOURS.keyRange
  ctx.fillRect(KEYBOARD_WIDTH - 4, top, 3, bottom - top)
}

/** A whole take in a small box: every note, scaled to fit, for the takes list. */
export function drawMiniRoll(ctx: DrawContext, piece: Piece, width: number, height: number): void {
  ctx.fillStyle = COLOURS.background
  ctx.fillRect(0, 0, width, height)
  if (piece.notes.length === 0) return
  const pitches = piece.notes.map((note) => note.pitch)
  // A little headroom above and below, and at least an octave, so that a few notes do not fill the box.
  const low = Math.min(...pitches) - 2
  const high = Math.max(Math.max(...pitches) + 2, low + 12)
  const rowHeight = height / (high - low + 1)
  const quarterWidth = width / Math.max(pieceEnd(piece), 1)
  for (const note of piece.notes) {
    ctx.fillStyle = velocityColour(note.velocity)
    ctx.fillRect(
      note.onset * quarterWidth,
      (high - note.pitch) * rowHeight,
      Math.max(1, note.length * quarterWidth),
      Math.max(1, rowHeight),
    )
  }
}
