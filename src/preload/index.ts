// Electron preload (sandboxed). Exposes the studio's narrow API on `window.cadenza`; for now only the
// app version, until the IPC handler table exists.
import { contextBridge } from 'electron'
import { APP_VERSION } from '../shared/appVersion'
import type { CadenzaApi } from './api'

const api: CadenzaApi = { version: APP_VERSION }

contextBridge.exposeInMainWorld('cadenza', api)
