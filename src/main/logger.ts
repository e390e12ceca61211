// Electron main. A tiny logger: one line per entry, with a timestamp, appended to a file in userData/logs
// (which Help > Show logs reveals) and echoed to stderr for development.
import { appendFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'

export interface Logger {
  /** The file the lines go to. */
  readonly file: string
  log(line: string): void
}

export function createLogger(directory: string, now: () => Date = () => new Date()): Logger {
  mkdirSync(directory, { recursive: true })
  const file = join(directory, 'main.log')
  return {
    file,
    log(line) {
      // A multi-line message (a stack) stays one entry: continuation lines are indented.
      const entry = `${now().toISOString()} ${line.replaceAll('\n', '\n    ')}\n`
      process.stderr.write(entry)
      try {
        appendFileSync(file, entry)
      } catch {
        // A full or read-only disk must not take the app down; stderr still has the line.
      }
    },
  }
}
