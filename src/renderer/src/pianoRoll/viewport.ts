// Browser. The piano roll's coordinate transform: quarter notes and pitches to pixels of the note area and
// back, with zoom about a point and scrolling. Pure, so drawing and every gesture share one definition.

export interface Viewport {
  /** The quarter note at the left edge. */
  startQuarter: number
  pixelsPerQuarter: number
  /** The pitch whose row's top edge is the area's top edge (fractional while scrolling). */
  topPitch: number
  /** Height of one pitch row. */
  pixelsPerPitch: number
  /** Size of the note area in CSS pixels. */
  width: number
  height: number
}

export const LOWEST_PITCH = 0
export const HIGHEST_PITCH = 127
const MIN_PIXELS_PER_QUARTER = 2
const MAX_PIXELS_PER_QUARTER = 800
const MIN_PIXELS_PER_PITCH = 3
const MAX_PIXELS_PER_PITCH = 48

export const quarterToX = (view: Viewport, quarter: number) =>
  (quarter - view.startQuarter) * view.pixelsPerQuarter
export const xToQuarter = (view: Viewport, x: number) => view.startQuarter + x / view.pixelsPerQuarter
/** The top edge of the pitch's row. */
export const pitchToY = (view: Viewport, pitch: number) => (view.topPitch - pitch) * view.pixelsPerPitch
/** The pitch whose row contains `y`. */
export const yToPitch = (view: Viewport, y: number) => Math.ceil(view.topPitch - y / view.pixelsPerPitch)

/** The quarters and pitches at least partly in view. */
export function visibleRange(view: Viewport): { from: number; to: number; low: number; high: number } {
  return {
    from: view.startQuarter,
    to: xToQuarter(view, view.width),
    low: Math.max(LOWEST_PITCH, Math.floor(view.topPitch - view.height / view.pixelsPerPitch)),
    high: Math.min(HIGHEST_PITCH, Math.ceil(view.topPitch)),
  }
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value))

/** Keeps the view on the keyboard (pitches 0-127) and at or after the start of the piece. */
export function clampView(view: Viewport): Viewport {
  const pixelsPerPitch = clamp(view.pixelsPerPitch, MIN_PIXELS_PER_PITCH, MAX_PIXELS_PER_PITCH)
  const rowsVisible = view.height / pixelsPerPitch
  const highestTop = HIGHEST_PITCH + 1
  const lowestTop = Math.min(highestTop, LOWEST_PITCH + rowsVisible)
  return {
    ...view,
    startQuarter: Math.max(0, view.startQuarter),
    pixelsPerQuarter: clamp(view.pixelsPerQuarter, MIN_PIXELS_PER_QUARTER, MAX_PIXELS_PER_QUARTER),
    pixelsPerPitch,
    topPitch: clamp(view.topPitch, lowestTop, highestTop),
  }
}

/** Zooms time by `factor` keeping the quarter under `x` where it is. */
export function zoomTime(view: Viewport, factor: number, x: number): Viewport {
  const anchor = xToQuarter(view, x)
  const pixelsPerQuarter = clamp(
    view.pixelsPerQuarter * factor,
    MIN_PIXELS_PER_QUARTER,
    MAX_PIXELS_PER_QUARTER,
  )
  return clampView({ ...view, pixelsPerQuarter, startQuarter: anchor - x / pixelsPerQuarter })
}

/** Zooms pitch by `factor` keeping the pitch position under `y` where it is. */
export function zoomPitch(view: Viewport, factor: number, y: number): Viewport {
  const anchor = view.topPitch - y / view.pixelsPerPitch
  const pixelsPerPitch = clamp(view.pixelsPerPitch * factor, MIN_PIXELS_PER_PITCH, MAX_PIXELS_PER_PITCH)
  return clampView({ ...view, pixelsPerPitch, topPitch: anchor + y / pixelsPerPitch })
}

/** Scrolls by a drag or wheel of (dx, dy) pixels: content follows the pointer. */
export function scrollBy(view: Viewport, dx: number, dy: number): Viewport {
  return clampView({
    ...view,
    startQuarter: view.startQuarter - dx / view.pixelsPerQuarter,
    topPitch: view.topPitch + dy / view.pixelsPerPitch,
  })
}
