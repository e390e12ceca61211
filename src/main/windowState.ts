// Electron main. The studio window's size, position and maximized state, remembered across runs in a small
// JSON file in userData. Pure apart from the file, and given the displays' work areas, so it runs in Node.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { BrowserWindow, Rectangle } from 'electron'
import { z } from 'zod'

const DEFAULT_SIZE = { width: 1280, height: 800 }
/** Smaller than this, the studio's controls no longer fit. */
export const MIN_SIZE = { width: 800, height: 560 }

const dimension = z.number().int()
const WindowStateSchema = z.object({
  x: dimension.optional(),
  y: dimension.optional(),
  width: dimension.min(MIN_SIZE.width),
  height: dimension.min(MIN_SIZE.height),
  maximized: z.boolean(),
})
export type WindowState = z.infer<typeof WindowStateSchema>

/** Whether enough of `bounds` lies on a display that the title bar can be grabbed. */
function isReachable(bounds: Rectangle, workAreas: readonly Rectangle[]): boolean {
  const grip = 48
  return workAreas.some(
    (area) =>
      bounds.x + grip <= area.x + area.width &&
      bounds.x + bounds.width - grip >= area.x &&
      bounds.y >= area.y &&
      bounds.y + grip <= area.y + area.height,
  )
}

/**
 * The state saved in `file`, or the default size centred by the OS when there is none, it is unreadable, or
 * its position is on no current display (a monitor was unplugged): then only its size is kept.
 */
export function loadWindowState(file: string, workAreas: readonly Rectangle[]): WindowState {
  let saved: WindowState
  try {
    saved = WindowStateSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
  } catch {
    return { ...DEFAULT_SIZE, maximized: false }
  }
  const { x, y, width, height } = saved
  if (x !== undefined && y !== undefined && isReachable({ x, y, width, height }, workAreas)) return saved
  return { width, height, maximized: saved.maximized }
}

type WindowLike = Pick<BrowserWindow, 'getNormalBounds' | 'isMaximized' | 'once'>

/** Saves the window's state to `file` when it closes: its normal bounds, so a maximized window restores well. */
export function rememberWindowState(window: WindowLike, file: string, log: (line: string) => void): void {
  window.once('close', () => {
    const state: WindowState = { ...window.getNormalBounds(), maximized: window.isMaximized() }
    try {
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, JSON.stringify(state))
    } catch (error) {
      log(`could not save the window state: ${String(error)}`)
    }
  })
}
