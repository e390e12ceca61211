// Node. Finds MIDI files in the paths a user gives and reads them into pieces. A file that cannot be read
// is reported with its reason and never stops the others (a broken file in a folder of good ones is
// skipped, not fatal).
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { MidiReadError } from '../shared/music/midiStructure'
import { midiToPiece } from '../shared/music/midiToPiece'
import type { Piece } from '../shared/music/piece'

export interface FileProblem {
  file: string
  error: string
}

export interface FoundFiles {
  /** In the order given; each folder's files sorted by path, so runs are reproducible. */
  files: string[]
  problems: FileProblem[]
}

const MIDI_EXTENSION = /\.midi?$/i

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile() && MIDI_EXTENSION.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
}

/** Expands folders (recursively, `.mid` and `.midi` in any case); a file named explicitly is kept as is. */
export async function findMidiFiles(paths: readonly string[]): Promise<FoundFiles> {
  const found: FoundFiles = { files: [], problems: [] }
  for (const path of paths) {
    const info = await stat(path).catch(() => null)
    if (info === null) found.problems.push({ file: path, error: 'no such file or folder' })
    else if (info.isDirectory()) found.files.push(...(await filesUnder(path)))
    else found.files.push(path)
  }
  return found
}

/** Reads one MIDI file. Throws MidiReadError with a one-line reason (without the file name). */
export async function readPieceFile(file: string): Promise<Piece> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new MidiReadError(code === 'EISDIR' ? 'is a folder' : `cannot be read (${code ?? String(error)})`)
  }
  return midiToPiece(bytes)
}

/** The one-line reason of a failed read; anything that is not a MidiReadError is a bug and propagates. */
export function readProblem(file: string, error: unknown): FileProblem {
  if (error instanceof MidiReadError) return { file, error: error.message }
  throw error
}
