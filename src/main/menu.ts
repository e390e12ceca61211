// Electron main. The application menu as a template built by a pure function (so it is tested in Node):
// the platform's usual roles and shortcuts, plus Help > Show logs. index.ts builds it with Menu.
import type { MenuItemConstructorOptions } from 'electron'

export interface MenuActions {
  /** Reveals the log file in the file manager. */
  showLogs: () => void
  openWebsite: () => void
}

export function menuTemplate(
  { platform, appName, development }: { platform: NodeJS.Platform; appName: string; development: boolean },
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin'
  const appMenu: MenuItemConstructorOptions = {
    label: appName,
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  }
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [mac ? { role: 'close' } : { role: 'quit' }],
  }
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'delete' },
      { role: 'selectAll' },
    ],
  }
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      // Reloading and developer tools are for working on the app, not for using it.
      ...(development
        ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  }
  const window: MenuItemConstructorOptions = {
    role: 'windowMenu',
  }
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      ...(mac ? [] : ([{ role: 'about' }, { type: 'separator' }] as const)),
      { label: 'Show logs', click: actions.showLogs },
      { label: `${appName} website`, click: actions.openWebsite },
    ],
  }
  return [...(mac ? [appMenu] : []), file, edit, view, window, help]
}
