// Electron preload (sandboxed). Exposes the studio's narrow API on `window.cadenza` (cadenzaApi.ts); the
// renderer's env.d.ts types it. webUtils gives a dropped File's path, which the page itself cannot read.
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { createCadenzaApi } from './cadenzaApi'

contextBridge.exposeInMainWorld('cadenza', createCadenzaApi(ipcRenderer, webUtils))
