// Anywhere, tests only. The messages of the test bridge's WebSocket, which stands in for Electron's IPC
// between the page (page/cadenzaBridge.ts) and the main-side handler table (bridge/bridgeServer.ts).
import type { CadenzaEvent } from '../../../src/shared/ipcContract'

/** The path of the bridge's WebSocket on the server that also serves the renderer. */
export const BRIDGE_PATH = '/cadenza-bridge'

/** ipcRenderer.invoke(channel, ...args), numbered so that replies can be matched. */
export interface InvokeMessage {
  id: number
  channel: string
  args: unknown[]
}

export type ServerMessage =
  | { type: 'result'; id: number; result: unknown }
  /** A handler's rejection, as the one-line message Electron passes on to the renderer. */
  | { type: 'error'; id: number; message: string }
  /** webContents.send(EVENT_CHANNEL, event) */
  | { type: 'event'; channel: string; event: CadenzaEvent }
