// Electron main. The file dialogs of ipcHandlers.ts over Electron's dialog module: attached to the window
// that asked, answering undefined when the user cancels.
import type { BrowserWindow, Dialog, WebContents } from 'electron'
import type { Dialogs } from './ipcHandlers'

type DialogLike = Pick<Dialog, 'showSaveDialog' | 'showOpenDialog'>

export function electronDialogs(
  dialog: DialogLike,
  windowOf: (sender: WebContents) => BrowserWindow | null,
): Dialogs {
  const parent = (sender: WebContents) => {
    const window = windowOf(sender)
    // The sender was checked to be the studio window; one that closed meanwhile has nothing to show on.
    if (window === null) throw new Error('the window that asked has closed')
    return window
  }
  return {
    save: async (sender, options) => {
      const { canceled, filePath } = await dialog.showSaveDialog(parent(sender), options)
      return canceled || filePath === '' ? undefined : filePath
    },
    open: async (sender, options) => {
      const { canceled, filePaths } = await dialog.showOpenDialog(parent(sender), options)
      return canceled ? undefined : filePaths[0]
    },
  }
}
