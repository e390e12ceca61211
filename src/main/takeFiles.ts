// Electron main (and Node tests). A take written as a .mid file: under a name made safe for every file
// system, with the bytes of src/shared/music/pieceToMidi.ts.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Take } from '../shared/ipcContract'
import { pieceToMidi } from '../shared/music/pieceToMidi'

/** Windows refuses these as file names, whatever the extension. */
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i

/** `<name><extension>`, with characters that no file system (or a path) accepts replaced by "-". */
export function safeFileName(name: string, extension: string): string {
  const safe = name
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\\/:*?"<>|\u0000-\u001f]/g, '-')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .slice(0, 100)
  if (safe === '') return `untitled${extension}`
  return `${RESERVED.test(safe) ? `${safe}-` : safe}${extension}`
}

export const takeFileName = (name: string) => safeFileName(name, '.mid')

/** Writes the take to `file`. */
export async function writeTakeFile(file: string, { name, piece }: Take): Promise<void> {
  await writeFile(file, pieceToMidi(piece, name))
}

/** Writes the take into `directory` (made if absent) under its name, replacing an older take of that name. */
export async function writeTakeInto(directory: string, take: Take): Promise<string> {
  await mkdir(directory, { recursive: true })
  const file = join(directory, takeFileName(take.name))
  await writeTakeFile(file, take)
  return file
}
