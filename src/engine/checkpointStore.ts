// Node (engine process, CLI, tests). Reads and writes checkpoint folders: the weights of G and D and the
// optimizer state in TensorFlow.js's own weights format, plus `checkpoint.json` (src/shared/checkpointMeta).
// Saving is atomic, so a crash or a full disk mid-save never costs the previous checkpoint, and loading
// validates everything before it makes a tensor, so a damaged or foreign folder is refused with one clear
// line instead of failing somewhere deep in the model. The folder's layout and those checks are in
// src/shared/checkpointFiles.ts.
import * as tf from '@tensorflow/tfjs'
import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rmdir, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import {
  binFile,
  CHECKPOINT_FILES,
  firstIssue,
  GROUPS,
  InvalidCheckpoint,
  manifestFile,
  META_FILE,
  parseCheckpointMeta,
  validateCheckpoint,
  type CheckpointSource,
  type Group,
} from '../shared/checkpointFiles'
import { CheckpointMetaSchema, type CheckpointMeta } from '../shared/checkpointMeta'

/** A checkpoint that cannot be read or written; the message is one line naming the folder and the reason. */
export class CheckpointError extends Error {
  override name = 'CheckpointError'
  readonly folder: string
  readonly reason: string

  constructor(folder: string, reason: string) {
    super(`${folder}: ${oneLine(reason)}`)
    this.folder = folder
    this.reason = oneLine(reason)
  }
}

export interface CheckpointContent {
  meta: CheckpointMeta
  generator: tf.NamedTensorMap
  /** Present exactly when meta.kind is 'training'. */
  discriminator?: tf.NamedTensorMap
  /** Optional in a 'training' checkpoint (training resumes with fresh optimizer state without it). */
  optimizer?: tf.NamedTensorMap
}

/** One weight group as it lies on disk: the manifest's entries and the bytes they describe. */
interface RawGroup {
  specs: tf.io.WeightsManifestEntry[]
  data: ArrayBuffer
}

interface RawCheckpoint {
  /** The folder actually read: `dir`, or the previous checkpoint after a crashed save. */
  folder: string
  meta: CheckpointMeta
  groups: Partial<Record<Group, RawGroup>>
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

// ---------------------------------------------------------------------------------------------- reading

/**
 * The folder to read for `dir`. A save that crashed between its two renames (see saveCheckpoint) leaves
 * `dir` missing and the previous checkpoint, intact, as the only `<dir>.previous-*` sibling: read that.
 */
async function folderToRead(dir: string): Promise<string> {
  try {
    const info = await stat(dir)
    if (!info.isDirectory()) throw new CheckpointError(dir, 'not a folder')
    return dir
  } catch (error) {
    if (error instanceof CheckpointError) throw error
    if (errorCode(error) !== 'ENOENT') throw new CheckpointError(dir, `cannot be read (${errorCode(error)})`)
  }
  const previous = await siblings(dir, 'previous')
  if (previous.length === 1) return previous[0]
  if (previous.length > 1) {
    throw new CheckpointError(
      dir,
      `no such folder (interrupted saves left ${previous.length} ${basename(dir)}.previous-* folders beside it)`,
    )
  }
  throw new CheckpointError(dir, 'no such folder')
}

/** `<dir>.saving-*` or `<dir>.previous-*` folders beside `dir`, as full paths. */
async function siblings(dir: string, kind: 'saving' | 'previous'): Promise<string[]> {
  const prefix = `${basename(dir)}.${kind}-`
  let names: string[]
  try {
    names = await readdir(dirname(dir))
  } catch {
    return []
  }
  const found: string[] = []
  for (const name of names.filter((candidate) => candidate.startsWith(prefix)).sort()) {
    const full = join(dirname(dir), name)
    if ((await stat(full).catch(() => undefined))?.isDirectory()) found.push(full)
  }
  return found
}

async function readOptional(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file)
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined
    throw error
  }
}

/** The folder's files for the shared checks: the JSON files read, the weights only measured. */
function folderSource(folder: string): CheckpointSource {
  return {
    read: (name) => readOptional(join(folder, name)),
    size: async (name) => {
      const info = await stat(join(folder, name)).catch((error: unknown) => {
        if (errorCode(error) === 'ENOENT') return undefined
        throw error
      })
      return info?.isFile() ? info.size : undefined
    },
  }
}

/** Runs `check`, naming the folder in what it finds wrong. */
async function inFolder<T>(folder: string, check: () => Promise<T>): Promise<T> {
  try {
    return await check()
  } catch (error) {
    if (error instanceof InvalidCheckpoint) throw new CheckpointError(folder, error.message)
    throw error
  }
}

/** Reads and validates a whole checkpoint without making a tensor. */
async function readRaw(dir: string): Promise<RawCheckpoint> {
  const folder = await folderToRead(resolve(dir))
  const { meta, groups: specs } = await inFolder(folder, () => validateCheckpoint(folderSource(folder)))
  const groups: RawCheckpoint['groups'] = {}
  for (const group of GROUPS) {
    const groupSpecs = specs[group]
    if (groupSpecs === undefined) continue
    const data = await readFile(join(folder, binFile(group)))
    // A Buffer may be a view into a larger pooled ArrayBuffer; decodeWeights wants exactly these bytes.
    const exact = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer
    groups[group] = { specs: groupSpecs as tf.io.WeightsManifestEntry[], data: exact }
  }
  return { folder, meta, groups }
}

function decode(folder: string, group: Group, raw: RawGroup): tf.NamedTensorMap {
  try {
    return tf.io.decodeWeights(raw.data, raw.specs)
  } catch (error) {
    throw new CheckpointError(
      folder,
      `damaged (${binFile(group)}: ${error instanceof Error ? error.message : error})`,
    )
  }
}

/** The validated metadata alone, for listing checkpoints and `cadenza info`. */
export async function readCheckpointMeta(dir: string): Promise<CheckpointMeta> {
  const folder = await folderToRead(resolve(dir))
  return inFolder(folder, async () => parseCheckpointMeta(await readOptional(join(folder, META_FILE))))
}

/** Reads and validates a checkpoint. The tensors are new and belong to the caller (disposeCheckpointContent). */
export async function loadCheckpoint(dir: string): Promise<CheckpointContent> {
  const { folder, meta, groups } = await readRaw(dir)
  const content: CheckpointContent = { meta, generator: {} }
  try {
    for (const group of GROUPS) {
      const raw = groups[group]
      if (raw !== undefined) content[group] = decode(folder, group, raw)
    }
  } catch (error) {
    disposeCheckpointContent(content)
    throw error
  }
  return content
}

/** Disposes every tensor of a loaded checkpoint. */
export function disposeCheckpointContent(content: CheckpointContent): void {
  for (const group of GROUPS) {
    const tensors = content[group]
    if (tensors !== undefined) tf.dispose(Object.values(tensors))
  }
}

// ---------------------------------------------------------------------------------------------- writing

/*
 * Atomic save. Everything is written into a fresh sibling `<dir>.saving-<random>` and fsynced; only then is
 * it swapped in with two renames: `dir` -> `<dir>.previous-<random>`, then `<dir>.saving-…` -> `dir`; the
 * previous folder is removed last. Renames within one folder are atomic, so at every instant either `dir`
 * is a complete checkpoint, or (a crash between the two renames) `dir` is missing and the complete previous
 * checkpoint is the single `.previous-*` sibling, which loading falls back to. A crash before the renames
 * leaves a `.saving-*` folder that loading ignores and the next save removes. One writer per checkpoint:
 * two saves to the same folder at once are a caller's bug.
 */

type GroupSource = () => Promise<RawGroup>

function randomSuffix(): string {
  return randomBytes(4).toString('hex')
}

/** Writes a file and forces it to the disk, so the rename that publishes it never publishes a hole. */
async function writeDurably(file: string, bytes: Uint8Array | string): Promise<void> {
  const handle = await open(file, 'wx')
  try {
    await handle.writeFile(bytes)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Makes a folder's entries (new files, renames) durable. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // Windows cannot open or fsync a folder; NTFS journals the renames itself.
  }
}

/**
 * Removes a checkpoint folder by deleting only the files a checkpoint consists of. Anything else makes the
 * final rmdir fail and the folder stay: a wrong path must never cost a user's own files.
 */
async function removeCheckpointFolder(folder: string): Promise<void> {
  let names: string[]
  try {
    names = await readdir(folder)
  } catch {
    return
  }
  for (const name of names) {
    if (CHECKPOINT_FILES.has(name)) await unlink(join(folder, name)).catch(() => undefined)
  }
  await rmdir(folder).catch(() => undefined)
}

/** rename, retried briefly where Windows reports a folder busy because a scanner or indexer has it open. */
async function renameFolder(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await rename(from, to)
      return
    } catch (error) {
      const code = errorCode(error)
      if (attempt >= 10 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw error
      await new Promise((done) => setTimeout(done, 20 * attempt))
    }
  }
}

/** Whether `dir` may be replaced: a folder that holds nothing but checkpoint files. */
async function checkReplaceable(dir: string): Promise<boolean> {
  let names: string[]
  try {
    const info = await stat(dir)
    if (!info.isDirectory()) throw new CheckpointError(dir, 'not a folder; refusing to replace it')
    names = await readdir(dir)
  } catch (error) {
    if (error instanceof CheckpointError) throw error
    if (errorCode(error) === 'ENOENT') return false
    throw error
  }
  const foreign = names.filter((name) => !CHECKPOINT_FILES.has(name))
  if (foreign.length > 0) {
    throw new CheckpointError(
      dir,
      `holds files that are not part of a checkpoint (${foreign.slice(0, 3).join(', ')}); refusing to replace it`,
    )
  }
  return true
}

async function writeCheckpoint(
  dir: string,
  meta: CheckpointMeta,
  sources: Partial<Record<Group, GroupSource>>,
  mode: 'replace' | 'create',
): Promise<void> {
  const parent = dirname(dir)
  await mkdir(parent, { recursive: true })
  if (mode === 'create' && (await stat(dir).catch(() => undefined)) !== undefined) {
    throw new CheckpointError(dir, 'already exists')
  }
  const exists = await checkReplaceable(dir)
  for (const stale of await siblings(dir, 'saving')) await removeCheckpointFolder(stale)

  const temp = `${dir}.saving-${randomSuffix()}`
  await mkdir(temp)
  try {
    for (const group of GROUPS) {
      const source = sources[group]
      if (source === undefined) continue
      const { specs, data } = await source()
      const manifest = { weightsManifest: [{ paths: [binFile(group)], weights: specs }] }
      await writeDurably(join(temp, manifestFile(group)), `${JSON.stringify(manifest, null, 2)}\n`)
      await writeDurably(join(temp, binFile(group)), new Uint8Array(data))
    }
    await writeDurably(join(temp, META_FILE), `${JSON.stringify(meta, null, 2)}\n`)
    await syncFolder(temp)
  } catch (error) {
    await removeCheckpointFolder(temp)
    throw error
  }

  let previous: string | undefined
  try {
    if (exists) {
      previous = `${dir}.previous-${randomSuffix()}`
      await renameFolder(dir, previous)
    }
    await renameFolder(temp, dir)
  } catch (error) {
    // Put the old checkpoint back where it was; if even that fails, loading still finds it as the
    // single `.previous-*` sibling.
    if (previous !== undefined) await renameFolder(previous, dir).catch(() => undefined)
    await removeCheckpointFolder(temp)
    if (mode === 'create' && (errorCode(error) === 'EEXIST' || errorCode(error) === 'ENOTEMPTY')) {
      throw new CheckpointError(dir, 'already exists')
    }
    throw error
  }
  await syncFolder(parent)
  // This save's previous checkpoint, and any left by saves that crashed between their renames.
  for (const old of await siblings(dir, 'previous')) await removeCheckpointFolder(old)
}

function encoder(tensors: tf.NamedTensorMap, group: Group): GroupSource {
  // Encoded one group at a time, while writing, so that only one group's bytes are in memory at once.
  return async () => tf.io.encodeWeights(tensors, group === 'optimizer' ? 'optimizer' : 'model')
}

/**
 * Saves a checkpoint atomically into `dir`, replacing a checkpoint already there. Invalid metadata or weight
 * groups that do not fit the kind are a bug in the caller and throw. The caller's tensors stay its own.
 */
export async function saveCheckpoint(dir: string, content: CheckpointContent): Promise<void> {
  const parsed = CheckpointMetaSchema.safeParse(content.meta)
  if (!parsed.success) throw new Error(`saveCheckpoint: invalid metadata (${firstIssue(parsed.error)})`)
  const meta = parsed.data
  if (meta.kind === 'generator' && (content.discriminator !== undefined || content.optimizer !== undefined)) {
    throw new Error('saveCheckpoint: a generator checkpoint holds no discriminator and no optimizer state')
  }
  if (meta.kind === 'training' && content.discriminator === undefined) {
    throw new Error('saveCheckpoint: a training checkpoint needs the discriminator')
  }
  const sources: Partial<Record<Group, GroupSource>> = {}
  for (const group of GROUPS) {
    const tensors = content[group]
    if (tensors !== undefined) sources[group] = encoder(tensors, group)
  }
  await writeCheckpoint(resolve(dir), meta, sources, 'replace')
}

/**
 * Writes the generator of the checkpoint in `fromDir` as a generator-only checkpoint in `toDir`, for
 * shipping and sharing: no discriminator, no optimizer state. The weights are copied byte for byte; a
 * `repetition` becomes its own (0: none). Refuses to overwrite anything at `toDir`.
 */
export async function exportGenerator(
  fromDir: string,
  toDir: string,
  { repetition }: { repetition?: number } = {},
): Promise<void> {
  const to = resolve(toDir)
  if ((await stat(to).catch(() => undefined)) !== undefined) throw new CheckpointError(to, 'already exists')
  const { folder, meta, groups } = await readRaw(fromDir)
  const generator = groups.generator
  if (generator === undefined) throw new CheckpointError(folder, 'damaged (no generator weights)')
  const exported: CheckpointMeta = { ...meta, kind: 'generator', updatedAt: new Date().toISOString() }
  if (repetition !== undefined) {
    const { output, tonesPerStep } = meta.settings.model
    if (output !== 'sampled' || tonesPerStep > 1 || !meta.decoding) {
      throw new CheckpointError(folder, 'only a sampling model of one tone per step takes a repetition')
    }
    exported.decoding = { ...meta.decoding, repetition }
    if (repetition === 0) delete exported.decoding.repetition
  }
  await writeCheckpoint(to, exported, { generator: async () => generator }, 'create')
}
