// Browser. The piano roll's canvas: sized to its box at the screen's pixel density, and redrawn in
// requestAnimationFrame only when something changed, or every frame while playing, when the playhead is read
// from the player (the audio clock) rather than through reactive state.
import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue'
import { drawRoll, KEYBOARD_WIDTH, RULER_HEIGHT, type RollScene } from '../pianoRoll/draw'
import type { Box } from '../pianoRoll/hitTest'
import { clampView, type Viewport } from '../pianoRoll/viewport'
import type { Player } from '../playback/player'

export interface RollCanvas {
  view(): Viewport
  setView(view: Viewport): void
  /** The selection box being dragged, drawn until set back to null. */
  setBox(box: Box | null): void
}

/** Pages ahead when the playhead leaves the view, keeping this fraction of the view before it. */
const FOLLOW_MARGIN = 0.05

export function useRollCanvas(
  canvas: Ref<HTMLCanvasElement | null>,
  scene: () => Omit<RollScene, 'box' | 'playhead'>,
  player: Player,
): RollCanvas {
  let view: Viewport = clampView({
    startQuarter: 0,
    pixelsPerQuarter: 40,
    topPitch: 84,
    pixelsPerPitch: 10,
    width: 0,
    height: 0,
  })
  let box: Box | null = null
  let frame = 0

  function invalidate(): void {
    if (frame === 0) frame = requestAnimationFrame(draw)
  }

  function draw(): void {
    frame = 0
    const ctx = canvas.value?.getContext('2d')
    if (!ctx || view.width <= 0 || view.height <= 0) return
    const playing = player.isPlaying
    const position = player.positionQuarters()
    // A paused player still shows where it will go on from.
    const playhead = playing || position > 0 ? position : null
    if (playing) follow(position)
    const ratio = window.devicePixelRatio || 1
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0)
    const drawn = drawRoll(ctx, view, { ...scene(), box, playhead })
    // Written straight to the element, not through reactive state (which would ask for another frame):
    // what the last frame drew, and where, for tests to check that drawing stays within the view.
    const { startQuarter, pixelsPerQuarter, topPitch, pixelsPerPitch } = view
    Object.assign(ctx.canvas.dataset, {
      drawnNotes: String(drawn.notes),
      drawnRaw: String(drawn.raw),
      view: JSON.stringify({ startQuarter, pixelsPerQuarter, topPitch, pixelsPerPitch }),
    })
    if (playing) invalidate()
  }

  function follow(position: number): void {
    const span = view.width / view.pixelsPerQuarter
    if (position < view.startQuarter || position > view.startQuarter + span) {
      view = clampView({ ...view, startQuarter: position - span * FOLLOW_MARGIN })
    }
  }

  function resize(): void {
    const element = canvas.value
    if (!element) return
    const { width, height } = element.getBoundingClientRect()
    const ratio = window.devicePixelRatio || 1
    element.width = Math.round(width * ratio)
    element.height = Math.round(height * ratio)
    view = clampView({ ...view, width: width - KEYBOARD_WIDTH, height: height - RULER_HEIGHT })
    // A resized canvas is blank until drawn, so draw now rather than a frame later.
    cancelAnimationFrame(frame)
    draw()
  }

  const observer = new ResizeObserver(resize)
  let unsubscribe = () => {}
  onMounted(() => {
    if (canvas.value) observer.observe(canvas.value)
    unsubscribe = player.onChange(invalidate)
  })
  onBeforeUnmount(() => {
    observer.disconnect()
    unsubscribe()
    cancelAnimationFrame(frame)
  })
  watch(scene, invalidate)

  return {
    view: () => view,
    setView(next) {
      view = clampView(next)
      invalidate()
    },
    setBox(next) {
      box = next
      invalidate()
    },
  }
}
