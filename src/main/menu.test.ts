// The menu template, as plain data.
import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { menuTemplate } from './menu'

const actions = () => ({ showLogs: vi.fn(), openWebsite: vi.fn() })

/** Each top-level menu's label or role, with its items' roles or labels. */
function outline(template: MenuItemConstructorOptions[]) {
  return template.map((menu) => [
    menu.label ?? menu.role,
    Array.isArray(menu.submenu) ? menu.submenu.map((item) => item.role ?? item.label ?? item.type) : [],
  ])
}

describe('the application menu', () => {
  it('has the usual roles on Windows and Linux, with Quit under File and About under Help', () => {
    const template = menuTemplate({ platform: 'linux', appName: 'Cadenza', development: false }, actions())
    expect(outline(template)).toEqual([
      ['File', ['quit']],
      ['Edit', ['undo', 'redo', 'separator', 'cut', 'copy', 'paste', 'delete', 'selectAll']],
      ['View', ['resetZoom', 'zoomIn', 'zoomOut', 'separator', 'togglefullscreen']],
      ['windowMenu', []],
      ['help', ['about', 'separator', 'Show logs', 'Cadenza website']],
    ])
  })

  it('has the app menu on macOS, with Close under File', () => {
    const template = menuTemplate({ platform: 'darwin', appName: 'Cadenza', development: false }, actions())
    expect(outline(template)).toEqual([
      [
        'Cadenza',
        ['about', 'separator', 'services', 'separator', 'hide', 'hideOthers', 'unhide', 'separator', 'quit'],
      ],
      ['File', ['close']],
      ['Edit', ['undo', 'redo', 'separator', 'cut', 'copy', 'paste', 'delete', 'selectAll']],
      ['View', ['resetZoom', 'zoomIn', 'zoomOut', 'separator', 'togglefullscreen']],
      ['windowMenu', []],
      ['help', ['Show logs', 'Cadenza website']],
    ])
  })

  it('offers reload and developer tools only in development', () => {
    const [, , view] = menuTemplate({ platform: 'win32', appName: 'Cadenza', development: true }, actions())
    expect(outline([view])[0][1]).toEqual([
      'reload',
      'toggleDevTools',
      'separator',
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'separator',
      'togglefullscreen',
    ])
  })

  it('runs the Help actions', () => {
    const recorded = actions()
    const help = menuTemplate({ platform: 'linux', appName: 'Cadenza', development: false }, recorded).at(-1)!
    const items = help.submenu as MenuItemConstructorOptions[]
    for (const item of items) item.click?.({} as never, undefined, {} as never)
    expect(recorded.showLogs).toHaveBeenCalledOnce()
    expect(recorded.openWebsite).toHaveBeenCalledOnce()
  })
})
