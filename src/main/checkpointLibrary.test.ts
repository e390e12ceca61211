// The checkpoint library on real folders, with the model that ships with the app as the checkpoint: listing,
// training runs, rename, duplicate, delete, and export/import through `.cadenza` files, good and bad.
import { createHash } from 'node:crypto'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { zipSync } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CheckpointLibrary } from './checkpointLibrary'

/** A generator checkpoint to stand for the shipped model and to copy into runs: the paper model's fixture. */
const PAPER_MODEL = resolve(import.meta.dirname, '../../test/fixtures/paper-model')
const BIN = 'generator.weights.bin'
const MANIFEST = 'generator.weights.json'
const META = 'checkpoint.json'

let temp: string
let root: string
let defaultModelDir: string
const library = () => new CheckpointLibrary({ root, defaultModelDir })

beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'cadenza-library-'))
  root = join(temp, 'checkpoints')
  defaultModelDir = join(temp, 'default-model')
  await cp(PAPER_MODEL, defaultModelDir, { recursive: true })
})
afterEach(async () => {
  await rm(temp, { recursive: true, force: true })
})

/** Every file under `dir`, by relative path, with a hash of its bytes (quicker to compare than bytes). */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name)
      files[path.slice(dir.length + 1)] = createHash('sha256')
        .update(await readFile(path))
        .digest('hex')
    }
  }
  return files
}

async function shippedFiles(): Promise<Record<string, Uint8Array>> {
  return {
    [META]: await readFile(join(PAPER_MODEL, META)),
    [MANIFEST]: await readFile(join(PAPER_MODEL, MANIFEST)),
    [BIN]: await readFile(join(PAPER_MODEL, BIN)),
  }
}

const rootContents = async () => readdir(root).catch(() => [])

describe('listing', () => {
  it('lists the default model first, read-only, with its summary, before the library exists', async () => {
    const [entry, ...rest] = await library().list()
    expect(rest).toEqual([])
    expect(entry).toMatchObject({
      id: 'default',
      name: 'Default model',
      readOnly: true,
      status: 'ready',
      kind: 'generator',
      epochs: 10,
      dataset: { filesRead: 320, filesSkipped: 0, heldOut: 32, notes: 742030 },
      lastEpoch: { epoch: 10, phase: 'adversarial' },
      settings: { model: { tonesPerStep: 3, hiddenUnits: 128, layers: 2 } },
    })
    expect(await library().dirOf('default')).toBe(defaultModelDir)
  })

  it('lists a damaged folder as damaged with its reason, beside good ones', async () => {
    const lib = library()
    await lib.duplicate('default')
    await mkdir(join(root, 'broken'), { recursive: true })
    await writeFile(join(root, 'broken', META), '{ not json')
    const run = await lib.createRun('Truncated run')
    await cp(PAPER_MODEL, join(run.dir, 'checkpoint'), { recursive: true })
    await writeFile(join(run.dir, 'checkpoint', BIN), Buffer.alloc(1000))

    const entries = await lib.list()
    expect(entries.map((entry) => [entry.name, entry.status])).toEqual([
      ['Default model', 'ready'],
      ['broken', 'damaged'],
      ['Default model copy', 'ready'],
      ['Truncated run', 'damaged'],
    ])
    expect(entries[1]).toMatchObject({ reason: 'damaged (checkpoint.json is not valid JSON)' })
    expect(entries[3]).toMatchObject({
      reason: 'damaged (generator.weights.bin is 1000 bytes, the manifest needs 845872)',
    })
  })
})

describe('training runs', () => {
  it('makes an empty run folder that lists as ready once training has saved into it', async () => {
    const lib = library()
    const run = await lib.createRun('  My   first run ')
    expect(run).toEqual({ id: 'my-first-run', dir: join(root, 'my-first-run') })
    expect(await lib.dirOf(run.id)).toBe(run.dir)
    expect(await lib.entry(run.id)).toMatchObject({ name: 'My first run', status: 'empty' })

    await cp(PAPER_MODEL, join(run.dir, 'checkpoint'), { recursive: true })
    expect(await lib.entry(run.id)).toMatchObject({ name: 'My first run', status: 'ready', epochs: 10 })
    expect(await lib.createRun('My first run')).toEqual({
      id: 'my-first-run-2',
      dir: join(root, 'my-first-run-2'),
    })
    expect((await lib.entry('my-first-run-2')).name).toBe('My first run (2)')
  })

  it('refuses ids that are not entries of the library', async () => {
    const lib = library()
    await lib.createRun('Run')
    for (const id of ['../default-model', '..', '.', 'run/../run', 'missing', '']) {
      await expect(lib.dirOf(id)).rejects.toThrow(`No checkpoint "${id}" in the library`)
    }
  })
})

describe('rename, duplicate, remove', () => {
  it('keeps a new name across library instances, and the id with it', async () => {
    const { id } = await library().duplicate('default')
    const renamed = await library().rename(id, 'Nocturnes')
    expect(renamed).toMatchObject({ id, name: 'Nocturnes', status: 'ready' })
    expect((await library().list()).map((entry) => [entry.id, entry.name])).toEqual([
      ['default', 'Default model'],
      [id, 'Nocturnes'],
    ])
  })

  it('refuses an empty name and one that another checkpoint has', async () => {
    const lib = library()
    const first = await lib.duplicate('default')
    const second = await lib.duplicate('default')
    await expect(lib.rename(first.id, ' \n ')).rejects.toThrow(
      'Checkpoint "Default model copy": a name cannot be empty',
    )
    await expect(lib.rename(first.id, 'default model COPY (2)')).rejects.toThrow(
      'Checkpoint "Default model copy": another checkpoint is already named "default model COPY (2)"',
    )
    expect((await lib.entry(second.id)).name).toBe('Default model copy (2)')
  })

  it('duplicates into distinct ids and names, byte for byte', async () => {
    const lib = library()
    const first = await lib.duplicate('default')
    const second = await lib.duplicate('default')
    const third = await lib.duplicate(first.id)
    expect([first, second, third].map((entry) => [entry.id, entry.name])).toEqual([
      ['default-model-copy', 'Default model copy'],
      ['default-model-copy-2', 'Default model copy (2)'],
      ['default-model-copy-copy', 'Default model copy copy'],
    ])
    expect(await snapshot(join(root, second.id, 'checkpoint'))).toEqual(await snapshot(PAPER_MODEL))
  })

  it('never renames, deletes or changes the default model', async () => {
    const lib = library()
    const before = await snapshot(defaultModelDir)
    await expect(lib.rename('default', 'Mine')).rejects.toThrow(
      'Checkpoint "Default model": ships with Cadenza and cannot be renamed',
    )
    await expect(lib.remove('default')).rejects.toThrow(
      'Checkpoint "Default model": ships with Cadenza and cannot be deleted',
    )
    expect(await snapshot(defaultModelDir)).toEqual(before)
    expect((await lib.list())[0]).toMatchObject({ id: 'default', name: 'Default model' })
  })

  it('removes an entry and its folder', async () => {
    const lib = library()
    const copy = await lib.duplicate('default')
    await lib.remove(copy.id)
    expect(await rootContents()).toEqual([])
    await expect(lib.remove(copy.id)).rejects.toThrow(`No checkpoint "${copy.id}" in the library`)
  })

  it("lists a run's earlier closest epoch, and keeps it as an entry of its own", async () => {
    const lib = library()
    const run = await lib.createRun('Nocturnes')
    await cp(PAPER_MODEL, join(run.dir, 'checkpoint'), { recursive: true })
    // The shipped model's ten epochs, as if measured: the eighth came closest to the training pieces.
    const meta = JSON.parse(await readFile(join(PAPER_MODEL, META), 'utf8')) as {
      history: { realismDistance: number }[]
    }
    meta.history.forEach((record, i) => (record.realismDistance = i === 7 ? 0.5 : 1))
    await writeFile(join(run.dir, 'checkpoint', META), JSON.stringify(meta))
    expect(await lib.entry(run.id)).toMatchObject({ keptBestEpoch: null })
    await expect(lib.keepBestEpoch(run.id)).rejects.toThrow(
      'Checkpoint "Nocturnes": keeps no earlier epoch that came closer to its training pieces',
    )

    await cp(PAPER_MODEL, join(run.dir, 'best'), { recursive: true })
    const best = { ...meta, history: meta.history.slice(0, 8) }
    await writeFile(join(run.dir, 'best', META), JSON.stringify(best))
    expect(await lib.entry(run.id)).toMatchObject({ keptBestEpoch: 8 })
    const kept = await lib.keepBestEpoch(run.id)
    expect(kept).toMatchObject({ name: 'Nocturnes epoch 8', status: 'ready', epochs: 8, keptBestEpoch: null })
    expect(await snapshot(join(root, kept.id, 'checkpoint'))).toEqual(await snapshot(join(run.dir, 'best')))
    // A damaged best/ is refused with its reason, and nothing is added.
    await writeFile(join(run.dir, 'best', BIN), Buffer.alloc(10))
    await expect(lib.keepBestEpoch(run.id)).rejects.toThrow(
      /^Checkpoint "Nocturnes": its closest epoch cannot be kept: .*generator\.weights\.bin/,
    )
    expect(await lib.list()).toHaveLength(3)

    // Once the last epoch is the closest, there is no earlier one to keep.
    meta.history[9].realismDistance = 0.4
    await writeFile(join(run.dir, 'checkpoint', META), JSON.stringify(meta))
    expect(await lib.entry(run.id)).toMatchObject({ keptBestEpoch: null })
  })

  it('refuses to duplicate or export a damaged checkpoint, naming it', async () => {
    const lib = library()
    const { id } = await lib.duplicate('default')
    await rm(join(root, id, 'checkpoint', BIN))
    const reason = 'damaged (generator.weights.bin is missing)'
    await expect(lib.duplicate(id)).rejects.toThrow(
      `Checkpoint "Default model copy": cannot be duplicated: ${reason}`,
    )
    await expect(lib.exportTo(id, join(temp, 'out'))).rejects.toThrow(
      `Checkpoint "Default model copy": cannot be exported: ${reason}`,
    )
    expect(await readdir(temp)).not.toContain('out.cadenza')
  })
})

describe('export and import', () => {
  it('round-trips a checkpoint through a .cadenza file byte for byte, never overwriting', async () => {
    const lib = library()
    const file = await lib.exportTo('default', join(temp, 'Chopin mood'))
    expect(file).toBe(join(temp, 'Chopin mood.cadenza'))

    const imported = await lib.importFrom(file)
    expect(imported).toMatchObject({
      id: 'chopin-mood',
      name: 'Chopin mood',
      status: 'ready',
      readOnly: false,
    })
    expect(await snapshot(join(root, imported.id, 'checkpoint'))).toEqual(await snapshot(PAPER_MODEL))

    const again = await lib.importFrom(file)
    expect(again).toMatchObject({ id: 'chopin-mood-2', name: 'Chopin mood (2)' })
    expect(await snapshot(join(root, imported.id, 'checkpoint'))).toEqual(await snapshot(PAPER_MODEL))
    expect((await readdir(root)).sort()).toEqual(['chopin-mood', 'chopin-mood-2'])
  })

  describe('rejects a bad file with one line naming it, leaving nothing behind', () => {
    async function expectRejected(file: string, reason: string): Promise<void> {
      const lib = library()
      const before = await rootContents()
      const error = await lib.importFrom(file).then(
        () => undefined,
        (failure: unknown) => failure,
      )
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toBe(`${file}: ${reason}`)
      expect(await rootContents()).toEqual(before)
      expect((await lib.list()).map((entry) => entry.id)).toEqual(['default'])
    }

    async function archive(name: string, files: Record<string, Uint8Array>): Promise<string> {
      const file = join(temp, `${name}.cadenza`)
      await writeFile(file, zipSync(files))
      return file
    }

    it('a file that is not a zip', async () => {
      const file = join(temp, 'notes.cadenza')
      await writeFile(file, 'these are not the weights you are looking for')
      await expectRejected(file, 'not a Cadenza checkpoint (not a zip file, or a damaged one)')
    })

    it('a file that does not exist', async () => {
      await expectRejected(join(temp, 'missing.cadenza'), 'no such file')
    })

    it('a zip with a path leading out of the folder', async () => {
      const file = await archive('evil', { ...(await shippedFiles()), '../evil': new Uint8Array([1, 2, 3]) })
      await expectRejected(file, 'not a Cadenza checkpoint (the path "../evil" leads out of its folder)')
      expect(await readdir(temp)).not.toContain('evil')
    })

    it('a zip with a file no checkpoint has', async () => {
      const file = await archive('extra', { ...(await shippedFiles()), 'readme.txt': new Uint8Array([1]) })
      await expectRejected(file, 'not a Cadenza checkpoint (unexpected entry "readme.txt")')
    })

    it('a zip missing a weights file', async () => {
      const files = await shippedFiles()
      delete files[BIN]
      await expectRejected(await archive('no-bin', files), 'damaged (generator.weights.bin is missing)')
    })

    it('a zip with a truncated weights file', async () => {
      const files = await shippedFiles()
      const file = await archive('truncated', { ...files, [BIN]: files[BIN].subarray(0, 4096) })
      await expectRejected(file, 'damaged (generator.weights.bin is 4096 bytes, the manifest needs 845872)')
    })

    it('a zip whose checkpoint.json fails the schema', async () => {
      const files = await shippedFiles()
      const meta = { ...JSON.parse(Buffer.from(files[META]).toString('utf8')), kind: 'everything' }
      const file = await archive('bad-meta', { ...files, [META]: Buffer.from(JSON.stringify(meta)) })
      await expectRejected(
        file,
        'not a Cadenza checkpoint (kind: Invalid option: expected one of "training"|"generator")',
      )
    })
  })
})
