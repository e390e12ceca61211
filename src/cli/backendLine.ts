// Node. The line every engine command prints first: which backend it runs on and why it was chosen.
import type { BackendInfo } from '../engine/process/backend'

export function backendLine({ name, description, reason }: BackendInfo): string {
  return `backend: ${name} (${description}): ${reason}\n`
}
