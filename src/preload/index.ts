// Electron preload (sandboxed). Exposes the studio's narrow API on `window.cadenza` (cadenzaApi.ts); the
// renderer's env.d.ts types it.
import { contextBridge, ipcRenderer } from 'electron'
import { createCadenzaApi } from './cadenzaApi'

contextBridge.exposeInMainWorld('cadenza', createCadenzaApi(ipcRenderer))
