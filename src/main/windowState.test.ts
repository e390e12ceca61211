// The remembered window state, with real files and a recorded fake window.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Rectangle } from 'electron'
import { describe, expect, it } from 'vitest'
import { loadWindowState, rememberWindowState, type WindowState } from './windowState'

const SCREEN = { x: 0, y: 0, width: 1920, height: 1080 }
const stateFile = () => join(mkdtempSync(join(tmpdir(), 'cadenza-window-')), 'nested', 'window-state.json')

/** A window that closes on demand, with the given bounds. */
function fakeWindow(bounds: Rectangle, maximized: boolean) {
  let onClose = () => {}
  const window = {
    getNormalBounds: () => bounds,
    isMaximized: () => maximized,
    once: (_event: 'close', listener: () => void) => (onClose = listener),
  } as unknown as Parameters<typeof rememberWindowState>[0]
  return { window, close: () => onClose() }
}

describe('the window state', () => {
  it('is saved on close and restored on the next start', () => {
    const file = stateFile()
    const logged: string[] = []
    const { window, close } = fakeWindow({ x: 100, y: 50, width: 1400, height: 900 }, true)
    rememberWindowState(window, file, (line) => logged.push(line))
    close()
    const expected: WindowState = { x: 100, y: 50, width: 1400, height: 900, maximized: true }
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(expected)
    expect(loadWindowState(file, [SCREEN])).toEqual(expected)
    expect(logged).toEqual([])
  })

  it('is the default size when nothing, or nothing valid, was saved', () => {
    const file = stateFile()
    const fallback = { width: 1280, height: 800, maximized: false }
    expect(loadWindowState(file, [SCREEN])).toEqual(fallback)
    const invalid = join(mkdtempSync(join(tmpdir(), 'cadenza-window-')), 'state.json')
    writeFileSync(invalid, '{"width": 10, "height": "tall"')
    expect(loadWindowState(invalid, [SCREEN])).toEqual(fallback)
    writeFileSync(invalid, JSON.stringify({ width: 200, height: 100, maximized: false }))
    expect(loadWindowState(invalid, [SCREEN])).toEqual(fallback)
  })

  it('keeps only the size when the position is on no display any more', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cadenza-window-')), 'state.json')
    const onSecondScreen = { x: 2100, y: 40, width: 1000, height: 700, maximized: false }
    writeFileSync(file, JSON.stringify(onSecondScreen))
    expect(loadWindowState(file, [SCREEN, { x: 1920, y: 0, width: 1920, height: 1080 }])).toEqual(
      onSecondScreen,
    )
    expect(loadWindowState(file, [SCREEN])).toEqual({ width: 1000, height: 700, maximized: false })
  })

  it('reports a state it could not save instead of failing the close', () => {
    const logged: string[] = []
    const { window, close } = fakeWindow({ x: 0, y: 0, width: 900, height: 600 }, false)
    // A file below an existing file cannot be created.
    const blocker = join(mkdtempSync(join(tmpdir(), 'cadenza-window-')), 'file')
    writeFileSync(blocker, '')
    rememberWindowState(window, join(blocker, 'state.json'), (line) => logged.push(line))
    close()
    expect(logged).toEqual([expect.stringMatching(/^could not save the window state: /)])
  })
})
