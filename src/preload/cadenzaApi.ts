// Electron preload (sandboxed). Builds the API that index.ts exposes on `window.cadenza`: one function per
// operation of src/shared/ipcContract.ts, each an invoke on its channel, and a subscription to main's events.
// Raw ipcRenderer never reaches the page, nor do Electron's event objects (they carry the sender).
import type { IpcRenderer, IpcRendererEvent, WebUtils } from 'electron'
import { EVENT_CHANNEL, OPERATIONS, channelOf } from '../shared/ipcChannels'
import type { CadenzaApi, CadenzaEvent } from '../shared/ipcContract'

export function createCadenzaApi(
  ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>,
  webUtils: Pick<WebUtils, 'getPathForFile'>,
): CadenzaApi {
  const operations = Object.fromEntries(
    OPERATIONS.map((operation) => [
      operation,
      (...args: unknown[]) => ipcRenderer.invoke(channelOf(operation), ...args),
    ]),
  )
  // The one path that crosses from the page: the page has none to give, so it passes the dropped File and the
  // path is read here. Electron knows the paths only of Files from the user's own drops and file choosers.
  const dropMidiFolder = (dropped: File) =>
    ipcRenderer.invoke(channelOf('dropMidiFolder'), webUtils.getPathForFile(dropped))
  const onEvent = (listener: (event: CadenzaEvent) => void) => {
    const forward = (_event: IpcRendererEvent, payload: CadenzaEvent) => listener(payload)
    ipcRenderer.on(EVENT_CHANNEL, forward)
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, forward)
  }
  // Built from OPERATIONS, which ipcContract.ts checks against the contract; TypeScript cannot see that here.
  return { ...operations, dropMidiFolder, onEvent } as CadenzaApi
}
