// Node. Finds MIDI files in the paths a user gives (folders, files, and lists of files) and reads them
// into pieces. A file that cannot be read is reported with its reason and never stops the others (a broken
// file in a folder of good ones is skipped, not fatal).
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, sep } from 'node:path'
import { isMidiFileName } from '../../shared/music/midiFileNames'
import { MidiReadError } from '../../shared/music/midiStructure'
import { midiToPiece } from '../../shared/music/midiToPiece'
import type { Piece } from '../../shared/music/piece'

export interface FileProblem {
  file: string
  error: string
}

export interface FoundFiles {
  /** In the order given; each folder's files sorted by path, so runs are reproducible; a list's in its order. */
  files: string[]
  problems: FileProblem[]
}

const LIST_EXTENSION = /\.txt$/i

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile() && isMidiFileName(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  )

/**
 * A list of files (`.txt`): one path a line, relative to the list's folder like an .m3u playlist, so a
 * list moves with its files; blank lines and lines starting with # are ignored. A missing file is a
 * problem that names the list's line, and the files after it are still found.
 */
async function addListed(list: string, found: FoundFiles): Promise<void> {
  let text: string
  try {
    text = await readFile(list, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    found.problems.push({ file: list, error: `cannot be read (${code ?? String(error)})` })
    return
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/) // Notepad may add a BOM and CRLFs
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '' || line.startsWith('#')) continue
    const file = isAbsolute(line) ? line : join(dirname(list), line)
    if (await exists(file)) found.files.push(file)
    else found.problems.push({ file, error: `no such file (line ${index + 1} of ${list})` })
  }
}

/**
 * Expands folders (recursively, `.mid`, `.midi` and `.rmi` in any case) and lists of files (`.txt`, see
 * addListed); a file named explicitly is kept as is.
 */
export async function findMidiFiles(paths: readonly string[]): Promise<FoundFiles> {
  const found: FoundFiles = { files: [], problems: [] }
  for (const path of paths) {
    const info = await stat(path).catch(() => null)
    if (info === null) found.problems.push({ file: path, error: 'no such file or folder' })
    else if (info.isDirectory()) found.files.push(...(await filesUnder(path)))
    else if (LIST_EXTENSION.test(path)) await addListed(path, found)
    else found.files.push(path)
  }
  return found
}

/** Writes a list that findMidiFiles reads back, under a comment line: paths relative to the list, with '/'. */
export async function writeFileList(list: string, files: readonly string[], comment: string): Promise<void> {
  const lines = files.map((file) => {
    const path = relative(dirname(list), file).split(sep).join('/')
    return path.startsWith('#') ? `./${path}` : path // not a comment
  })
  await writeFile(list, [`# ${comment}`, ...lines, ''].join('\n'))
}

/** Reads one MIDI file. Throws MidiReadError with a one-line reason (without the file name). */
export async function readPieceFile(file: string): Promise<Piece> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (error) {
    throw new MidiReadError(readFailure(error))
  }
  return midiToPiece(bytes)
}

/** Why fs could not read a file, in one line. */
export function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'EISDIR' ? 'is a folder' : `cannot be read (${code ?? String(error)})`
}
