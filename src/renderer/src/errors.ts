// Browser. Turns whatever a failed call threw into one readable line for the message bar.

// Electron wraps errors thrown in main as "Error invoking remote method 'generate': Error: <message>".
const REMOTE_PREFIX = /^Error invoking remote method '[^']*': (?:\w*Error: )?/

export function readableError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.replace(REMOTE_PREFIX, '').trim() || 'Something went wrong.'
}
