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

/** The key of an encoded byte array; no argument or result of the contract has it. */
const BYTES = '$cadenzaBytes'

/**
 * A message as the bridge's socket carries it. JSON alone would turn a Uint8Array (saveWav's WAV bytes) into
 * an object of indices, where Electron's IPC clones it as bytes: typed arrays travel as base64 instead.
 */
export function encodeWire(message: InvokeMessage | ServerMessage): string {
  return JSON.stringify(message, (_key, value: unknown) =>
    ArrayBuffer.isView(value) ? { [BYTES]: toBase64(value) } : value,
  )
}

/** A message from the socket, its byte arrays back as Uint8Arrays. */
export function decodeWire<T extends InvokeMessage | ServerMessage>(text: string): T {
  return JSON.parse(text, (_key, value: unknown) =>
    typeof value === 'object' && value !== null && BYTES in value
      ? fromBase64(String((value as Record<string, unknown>)[BYTES]))
      : value,
  ) as T
}

// btoa and atob, which Node and browsers both have, take strings of one byte per character.
function toBase64(view: ArrayBufferView): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
  let text = ''
  // In slices: fromCharCode takes its bytes as arguments, and a WAV has millions.
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(text)
}

function fromBase64(text: string): Uint8Array {
  const chars = atob(text)
  const bytes = new Uint8Array(chars.length)
  for (let i = 0; i < chars.length; i++) bytes[i] = chars.charCodeAt(i)
  return bytes
}
