// Electron main (and Node tests). The checkpoint library in the user's data folder, behind main's IPC
// handlers: the renderer names checkpoints by id, and only main turns an id into a folder.
//
// Layout of `root`:
//   <id>/                    one entry; the id is the folder's name and never changes
//     library-entry.json     {"name": ...}: the display name, kept here so that a rename survives
//     checkpoint/            the checkpoint, as in a training run's folder (the engine's resolveCheckpointDir)
//     best/                  a run's generator of the epoch closest to its training pieces (the engine's bestDir)
//     ...                    whatever else training writes there (file lists, samples)
//   .adding-*, .removing-*   work in progress: an entry appears, or goes, with one rename
// A plain checkpoint folder (checkpoint.json at its top) placed in root is listed too. The model that ships
// with the app lives elsewhere, is listed first as id 'default', and is never written.
//
// A `.cadenza` file (export, import) is a zip of the checkpoint folder's files, flat.
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises'
import { basename, extname, join, resolve } from 'node:path'
import { unzipSync, zipSync, type UnzipFileInfo } from 'fflate'
import { z } from 'zod'
import { bestEpoch } from '../shared/bestEpoch'
import { DEFAULT_CHECKPOINT_ID, type CheckpointEntry } from '../shared/checkpointEntry'
import { checkpointTemperature, type EpochRecord } from '../shared/checkpointMeta'
import {
  CHECKPOINT_FILES,
  META_FILE,
  InvalidCheckpoint,
  validateCheckpoint,
  type ValidCheckpoint,
} from '../shared/checkpointFiles'
import { errorCode, folderSource, memorySource } from './checkpointSources'

export const ARCHIVE_EXTENSION = '.cadenza'
const ENTRY_FILE = 'library-entry.json'
const RUN_CHECKPOINT = 'checkpoint'
const RUN_BEST = 'best'
const DEFAULT_NAME = 'Default model'
const MAX_NAME_LENGTH = 100
/** Far above any checkpoint Cadenza makes; bounds what an archive may make main hold in memory. */
const MAX_ARCHIVE_BYTES = 1024 ** 3

/** A failure the user caused or can act on; the message is one line naming the checkpoint or file. */
export class LibraryError extends Error {
  override name = 'LibraryError'
}

export interface CheckpointLibraryOptions {
  /** The library's folder, e.g. `<userData>/checkpoints`; made on the first write. */
  root: string
  /** The checkpoint that ships with the app. */
  defaultModelDir: string
}

interface Located {
  id: string
  /** The entry's folder: a run folder, or a plain checkpoint folder. */
  dir: string
  readOnly: boolean
}

const EntryFileSchema = z.object({ name: z.string().min(1) })

const randomSuffix = () => randomBytes(6).toString('hex')
const quoted = (name: string) => `Checkpoint "${name}"`

/** Folder names in root that are entries: not our work in progress, nor the engine's save siblings. */
function isEntryName(name: string): boolean {
  return (
    name !== '' &&
    !name.startsWith('.') &&
    !/[/\\]/.test(name) &&
    !/\.(saving|previous)-/.test(name) &&
    name.toLowerCase() !== DEFAULT_CHECKPOINT_ID
  )
}

/** A display name on one line, or a LibraryError naming `owner`. */
function cleanName(name: string, owner: string): string {
  const clean = name.replace(/[\p{Cc}\s]+/gu, ' ').trim()
  if (clean === '') throw new LibraryError(`${owner}: a name cannot be empty`)
  if (clean.length > MAX_NAME_LENGTH) {
    throw new LibraryError(`${owner}: a name can have at most ${MAX_NAME_LENGTH} characters`)
  }
  return clean
}

/** The folder name for a new entry: readable on disk, ASCII, and safe on every file system. */
function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '')
  return slug === '' ? 'checkpoint' : slug
}

function describeFailure(error: unknown): string {
  if (error instanceof InvalidCheckpoint) return error.message
  if (errorCode(error) === 'ENOENT') return 'no such file'
  return `cannot be read (${errorCode(error) ?? (error instanceof Error ? error.message : String(error))})`
}

/** The entry's checkpoint folder: the folder itself, or a training run's `checkpoint/`. */
async function checkpointFolderOf(dir: string): Promise<string> {
  const exists = async (path: string) => (await stat(path).catch(() => undefined)) !== undefined
  return !(await exists(join(dir, META_FILE))) && (await exists(join(dir, RUN_CHECKPOINT)))
    ? join(dir, RUN_CHECKPOINT)
    : dir
}

/**
 * The run's epoch closest to its training pieces when the run keeps that epoch's generator (`best/`) and it
 * is not the last epoch: the one worth keeping apart. Null otherwise.
 */
async function keptBestEpoch(
  dir: string,
  folder: string,
  history: readonly EpochRecord[],
): Promise<number | null> {
  const best = bestEpoch(history)
  if (folder === dir || best === null || best === history.at(-1)) return null
  return (await stat(join(dir, RUN_BEST, META_FILE)).catch(() => undefined)) ? best.epoch : null
}

/** The checkpoint's own files among `files`, once they pass the checks (stray files stay behind). */
async function checked(files: ReadonlyMap<string, Uint8Array>): Promise<Map<string, Uint8Array>> {
  const valid = await validateCheckpoint(memorySource(files))
  return new Map(valid.files.map((name) => [name, files.get(name) as Uint8Array]))
}

/** The checkpoint's files, read whole and then checked, so a save that lands mid-read cannot mix two. */
async function readCheckpoint(folder: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>()
  for (const name of CHECKPOINT_FILES) {
    const bytes = await folderSource(folder).read(name)
    if (bytes !== undefined) files.set(name, bytes)
  }
  return checked(files)
}

/** Where an archive entry's path leads out of the folder it is unpacked into. */
function escapes(path: string): boolean {
  const normalized = path.replace(/\\/g, '/')
  return normalized.startsWith('/') || /^[a-zA-Z]:/.test(normalized) || normalized.split('/').includes('..')
}

/** The files of a `.cadenza` archive; throws a one-line reason without the file's name. */
function unpack(archive: Uint8Array): Map<string, Uint8Array> {
  const seen = new Set<string>()
  let total = 0
  const check = (info: UnzipFileInfo): boolean => {
    if (escapes(info.name)) {
      throw new InvalidCheckpoint(
        `not a Cadenza checkpoint (the path "${info.name}" leads out of its folder)`,
      )
    }
    if (!CHECKPOINT_FILES.has(info.name)) {
      throw new InvalidCheckpoint(`not a Cadenza checkpoint (unexpected entry "${info.name}")`)
    }
    if (seen.has(info.name))
      throw new InvalidCheckpoint(`not a Cadenza checkpoint (two entries "${info.name}")`)
    seen.add(info.name)
    total += info.originalSize
    if (total > MAX_ARCHIVE_BYTES) throw new InvalidCheckpoint('too large for a Cadenza checkpoint')
    return true
  }
  try {
    return new Map(Object.entries(unzipSync(archive, { filter: check })))
  } catch (error) {
    if (error instanceof InvalidCheckpoint) throw error
    throw new InvalidCheckpoint('not a Cadenza checkpoint (not a zip file, or a damaged one)')
  }
}

export class CheckpointLibrary {
  private readonly root: string
  private readonly defaultModelDir: string
  /** Changes run one at a time, so two of them never pick the same new id or name. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor({ root, defaultModelDir }: CheckpointLibraryOptions) {
    this.root = resolve(root)
    this.defaultModelDir = resolve(defaultModelDir)
  }

  /** The default model first, then the library's entries by name; damaged folders are listed as such. */
  async list(): Promise<CheckpointEntry[]> {
    const entries = await Promise.all((await this.entryIds()).map((id) => this.describe(this.located(id))))
    entries.sort(
      (a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id),
    )
    return [await this.describe(this.located(DEFAULT_CHECKPOINT_ID)), ...entries]
  }

  async entry(id: string): Promise<CheckpointEntry> {
    return this.describe(await this.locate(id))
  }

  /** The folder to name in engine requests (a run folder or a checkpoint folder; the engine takes both). */
  async dirOf(id: string): Promise<string> {
    return (await this.locate(id)).dir
  }

  /** A new, empty training run; training writes its checkpoint into `<dir>/checkpoint`. */
  createRun(name: string): Promise<{ id: string; dir: string }> {
    return this.exclusive(async () => {
      const id = await this.addEntry(await this.freshName(cleanName(name, 'A new training run')))
      return { id, dir: join(this.root, id) }
    })
  }

  rename(id: string, name: string): Promise<CheckpointEntry> {
    return this.exclusive(async () => {
      const located = await this.locate(id)
      const owner = quoted(await this.nameOf(located))
      if (located.readOnly) throw new LibraryError(`${owner}: ships with Cadenza and cannot be renamed`)
      const clean = cleanName(name, owner)
      const others = (await this.list()).filter((entry) => entry.id !== id)
      if (others.some((entry) => sameName(entry.name, clean))) {
        throw new LibraryError(`${owner}: another checkpoint is already named "${clean}"`)
      }
      await writeEntryFile(located.dir, clean)
      return this.describe(located)
    })
  }

  /** A copy named "<name> copy" (or "<name> copy (2)", ...) with an id of its own. */
  duplicate(id: string): Promise<CheckpointEntry> {
    return this.exclusive(async () => {
      const located = await this.locate(id)
      const name = await this.nameOf(located)
      const files = await this.readValid(located, name, 'duplicated')
      const copyName = await this.freshName(cleanName(`${name} copy`, quoted(name)))
      return this.describe(this.located(await this.addEntry(copyName, files)))
    })
  }

  remove(id: string): Promise<void> {
    return this.exclusive(async () => {
      const located = await this.locate(id)
      const owner = quoted(await this.nameOf(located))
      if (located.readOnly) throw new LibraryError(`${owner}: ships with Cadenza and cannot be deleted`)
      // Out of the list with one rename, so a deletion that fails halfway leaves no half-entry behind.
      const doomed = join(this.root, `.removing-${randomSuffix()}`)
      await rename(located.dir, doomed).catch((error: unknown) => {
        // Windows refuses while another program (or a running training) has a file in it open.
        throw new LibraryError(`${owner}: cannot be deleted (${errorCode(error) ?? String(error)})`)
      })
      await rm(doomed, { recursive: true, force: true })
    })
  }

  /** Writes the checkpoint to `file` (with ".cadenza" added where missing) and returns the path written. */
  async exportTo(id: string, file: string): Promise<string> {
    const located = await this.locate(id)
    const files = await this.readValid(located, await this.nameOf(located), 'exported')
    const target = extname(file).toLowerCase() === ARCHIVE_EXTENSION ? file : `${file}${ARCHIVE_EXTENSION}`
    const archive = zipSync(Object.fromEntries(files))
    // Written beside the target and renamed over it, so a failed export never leaves half a file.
    const temp = `${target}.saving-${randomSuffix()}`
    try {
      await writeFile(temp, archive)
      await rename(temp, target)
    } catch (error) {
      await unlink(temp).catch(() => undefined)
      throw new LibraryError(`${target}: cannot be written (${errorCode(error) ?? String(error)})`)
    }
    return target
  }

  /** Adds a run's generator of its closest epoch (see `keptBestEpoch`) as an entry of its own. */
  keepBestEpoch(id: string): Promise<CheckpointEntry> {
    return this.exclusive(async () => {
      const located = await this.locate(id)
      const entry = await this.describe(located)
      const { name } = entry
      const epoch = entry.status === 'ready' ? entry.keptBestEpoch : null
      if (epoch === null) {
        throw new LibraryError(
          `${quoted(name)}: keeps no earlier epoch that came closer to its training pieces`,
        )
      }
      let files: Map<string, Uint8Array>
      try {
        files = await readCheckpoint(join(located.dir, RUN_BEST))
      } catch (error) {
        throw new LibraryError(`${quoted(name)}: its closest epoch cannot be kept: ${describeFailure(error)}`)
      }
      const keptName = await this.freshName(cleanName(`${name} epoch ${epoch}`, quoted(name)))
      return this.describe(this.located(await this.addEntry(keptName, files)))
    })
  }

  /** Adds the checkpoint in a `.cadenza` file, named after the file; a bad file leaves nothing behind. */
  importFrom(file: string): Promise<CheckpointEntry> {
    return this.exclusive(async () => {
      let files: Map<string, Uint8Array>
      try {
        files = await checked(await readArchive(file))
      } catch (error) {
        throw new LibraryError(`${file}: ${describeFailure(error)}`)
      }
      const fromFile = basename(file, extname(file))
        .replace(/[\p{Cc}\s]+/gu, ' ')
        .trim()
      const name = await this.freshName((fromFile || 'Imported checkpoint').slice(0, MAX_NAME_LENGTH).trim())
      return this.describe(this.located(await this.addEntry(name, files)))
    })
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task)
    this.queue = run.catch(() => undefined)
    return run
  }

  private async entryIds(): Promise<string[]> {
    const names = await readdir(this.root, { withFileTypes: true }).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return []
      throw error
    })
    return names
      .filter((dirent) => dirent.isDirectory() && isEntryName(dirent.name))
      .map((dirent) => dirent.name)
  }

  private located(id: string): Located {
    return id === DEFAULT_CHECKPOINT_ID
      ? { id, dir: this.defaultModelDir, readOnly: true }
      : { id, dir: join(this.root, id), readOnly: false }
  }

  /** The entry of an id from the renderer; anything but an entry's folder name is refused. */
  private async locate(id: string): Promise<Located> {
    if (id === DEFAULT_CHECKPOINT_ID) return this.located(id)
    const info = isEntryName(id) ? await stat(join(this.root, id)).catch(() => undefined) : undefined
    if (!info?.isDirectory()) throw new LibraryError(`No checkpoint "${id}" in the library`)
    return this.located(id)
  }

  private async nameOf({ id, dir, readOnly }: Located): Promise<string> {
    if (readOnly) return DEFAULT_NAME
    try {
      return EntryFileSchema.parse(JSON.parse(await readFile(join(dir, ENTRY_FILE), 'utf8'))).name
    } catch {
      // A folder placed here by hand, or a lost name file: the folder's name is the best name left.
      return id
    }
  }

  private async describe(located: Located): Promise<CheckpointEntry> {
    const base = { id: located.id, name: await this.nameOf(located), readOnly: located.readOnly }
    const folder = await checkpointFolderOf(located.dir)
    let valid: ValidCheckpoint
    try {
      valid = await validateCheckpoint(folderSource(folder))
    } catch (error) {
      const notSavedYet =
        folder === located.dir &&
        (await stat(join(folder, META_FILE)).catch(() => undefined)) === undefined &&
        (await stat(join(folder, ENTRY_FILE)).catch(() => undefined)) !== undefined
      if (notSavedYet) return { ...base, status: 'empty', reason: 'no checkpoint saved yet' }
      return { ...base, status: 'damaged', reason: describeFailure(error) }
    }
    const { meta } = valid
    const { report } = meta.dataset
    return {
      ...base,
      status: 'ready',
      kind: meta.kind,
      createdAt: meta.createdAt,
      updatedAt: meta.updatedAt,
      epochs: meta.history.length,
      settings: meta.settings,
      dataset: {
        filesRead: report.filesRead,
        filesSkipped: report.filesSkipped.length,
        heldOut: report.heldOut.length,
        notes: report.notes,
      },
      lastEpoch: meta.history.at(-1) ?? null,
      keptBestEpoch: await keptBestEpoch(located.dir, folder, meta.history),
      temperature: checkpointTemperature(meta),
    }
  }

  private async readValid(located: Located, name: string, doing: string): Promise<Map<string, Uint8Array>> {
    try {
      return await readCheckpoint(await checkpointFolderOf(located.dir))
    } catch (error) {
      throw new LibraryError(`${quoted(name)}: cannot be ${doing}: ${describeFailure(error)}`)
    }
  }

  /** `name`, or `name (2)`, `name (3)`, ... where another entry has it. */
  private async freshName(name: string): Promise<string> {
    const taken = (await this.list()).map((entry) => entry.name)
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? name : `${name} (${n})`
      if (!taken.some((other) => sameName(other, candidate))) return candidate
    }
  }

  /**
   * Makes an entry in a hidden folder and renames it into place, so it appears whole or not at all. With
   * `files`, it holds that checkpoint; without, it is an empty training run. Returns the new id.
   */
  private async addEntry(name: string, files?: ReadonlyMap<string, Uint8Array>): Promise<string> {
    await mkdir(this.root, { recursive: true })
    const temp = join(this.root, `.adding-${randomSuffix()}`)
    try {
      await mkdir(temp)
      if (files !== undefined) {
        await mkdir(join(temp, RUN_CHECKPOINT))
        for (const [file, bytes] of files) await writeFile(join(temp, RUN_CHECKPOINT, file), bytes)
      }
      await writeEntryFile(temp, name)
      const taken = new Set((await readdir(this.root)).map((entry) => entry.toLowerCase()))
      let id = slugOf(name)
      for (let n = 2; taken.has(id) || id === DEFAULT_CHECKPOINT_ID; n++) id = `${slugOf(name)}-${n}`
      await rename(temp, join(this.root, id))
      return id
    } catch (error) {
      await rm(temp, { recursive: true, force: true })
      throw error
    }
  }
}

function sameName(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0
}

/** Replaces the name file in one rename, so a crash leaves the old name or the new one. */
async function writeEntryFile(dir: string, name: string): Promise<void> {
  const temp = join(dir, `${ENTRY_FILE}.saving-${randomSuffix()}`)
  await writeFile(temp, `${JSON.stringify({ name }, null, 2)}\n`)
  await rename(temp, join(dir, ENTRY_FILE))
}

async function readArchive(file: string): Promise<Map<string, Uint8Array>> {
  const info = await stat(file)
  if (!info.isFile()) throw new InvalidCheckpoint('not a file')
  if (info.size > MAX_ARCHIVE_BYTES) throw new InvalidCheckpoint('too large for a Cadenza checkpoint')
  return unpack(await readFile(file))
}
