// Node, tests only. Checkpoint folders with real tensors on the WebAssembly backend: exact round trips, the
// generator-only export, every kind of damage and its one-line message, atomic replacement and recovery
// from a save that crashed or failed, and no leaked tensors.
import * as tf from '@tensorflow/tfjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { APP_VERSION } from '../shared/appVersion'
import { CHECKPOINT_FORMAT_VERSION, type CheckpointMeta } from '../shared/checkpointMeta'
import { PRESETS } from '../shared/modelSettings'
import { STATISTIC_NAMES } from '../shared/music/statistics'
import { selectBackend } from './process/backend'
import {
  CheckpointError,
  disposeCheckpointContent,
  exportGenerator,
  loadCheckpoint,
  readCheckpointMeta,
  saveCheckpoint,
  type CheckpointContent,
} from './checkpointStore'

function makeMeta(kind: CheckpointMeta['kind'] = 'training'): CheckpointMeta {
  const now = new Date().toISOString()
  return {
    format: 'cadenza-checkpoint',
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    appVersion: APP_VERSION,
    kind,
    settings: PRESETS.quick,
    normalization: { mean: [0.6, 62.5, 78, 0.4], std: [0.5, 11.2, 19, 0.45] },
    dataset: {
      fingerprint: 'sha256:0f1e2d',
      report: {
        filesRead: 3,
        filesSkipped: [{ file: 'broken.mid', error: 'not a MIDI file' }],
        heldOut: ['held-out.mid'],
        notes: 1234,
        polyphony: 0.21,
        tempoRange: [90, 140],
        steps: 900,
        sequences: 28,
      },
    },
    history: [
      {
        epoch: 1,
        phase: 'pretrain',
        generatorLoss: 0.82,
        discriminatorLoss: null,
        discriminatorAccuracy: null,
        generatorFrozenSteps: 0,
        discriminatorFrozenSteps: 0,
        sampleStatistics: null,
        realismDistance: 1.7,
        temperature: 0.8,
        temperatureScales: [1, 1, 1.25, 1],
        repetition: 0.3,
        rhythmOverlap: 0.625,
        classifierAccuracy: 0.875,
        seconds: 12.5,
      },
      {
        epoch: 2,
        phase: 'adversarial',
        generatorLoss: 0.69,
        discriminatorLoss: 1.31,
        discriminatorAccuracy: 0.55,
        generatorFrozenSteps: 2,
        discriminatorFrozenSteps: 5,
        sampleStatistics: Object.fromEntries(STATISTIC_NAMES.map((name, index) => [name, index + 0.5])),
        realismDistance: null,
        temperature: null,
        temperatureScales: null,
        repetition: null,
        rhythmOverlap: null,
        classifierAccuracy: null,
        seconds: 30.25,
      },
    ],
    decoding: {
      intensityThresholds: [1],
      temperature: 0.8,
      temperatureScales: [1, 1, 1.25, 1],
      repetition: 0.3,
    },
    backend: 'wasm',
    createdAt: now,
    updatedAt: now,
  }
}

/** Float32 values that exercise the format: negatives, a denormal, the largest float, fractions. */
function floats(count: number, offset: number): Float32Array {
  const values = Float32Array.from({ length: count }, (_, i) => Math.sin((i + offset) * 12.9898) * 3.7)
  values[0] = 3.4028234663852886e38
  values[1] = 1.401298464324817e-45
  return values
}

/** Fresh tensors that the test owns, shaped like small LSTM and dense weights. */
function makeContent(kind: CheckpointMeta['kind'] = 'training', offset = 0): CheckpointContent {
  const generator = {
    'generator/lstm_1/kernel': tf.tensor2d(floats(24, offset), [4, 6]),
    'generator/dense/bias': tf.tensor1d(floats(12, offset + 100)),
  }
  if (kind === 'generator') return { meta: makeMeta('generator'), generator }
  return {
    meta: makeMeta('training'),
    generator,
    discriminator: {
      'discriminator/lstm_fw/kernel': tf.tensor3d(floats(30, offset + 200), [2, 3, 5]),
      'discriminator/dense/bias': tf.scalar(-0.125),
    },
    optimizer: {
      // A bool first leaves the float after it unaligned in the .bin: decoding must still be exact.
      'generator/lstm_1/kernel/frozen': tf.tensor1d([true, false, true], 'bool'),
      'generator/lstm_1/kernel/m': tf.tensor2d(floats(24, offset + 300), [4, 6]),
      iterations: tf.scalar(420 + offset, 'int32'),
    },
  }
}

async function expectSameTensors(
  actual: tf.NamedTensorMap | undefined,
  expected: tf.NamedTensorMap | undefined,
) {
  expect(actual).toBeDefined()
  expect(Object.keys(actual ?? {})).toEqual(Object.keys(expected ?? {}))
  for (const [name, tensor] of Object.entries(expected ?? {})) {
    const loaded = (actual ?? {})[name]
    expect(loaded.dtype, name).toBe(tensor.dtype)
    expect(loaded.shape, name).toEqual(tensor.shape)
    expect(await loaded.data(), name).toEqual(await tensor.data())
  }
}

/** The message of the CheckpointError that `action` rejects with (and fails the test on anything else). */
async function checkpointFailure(action: Promise<unknown>): Promise<string> {
  const error = await action.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(CheckpointError)
  const message = (error as CheckpointError).message
  expect(message).not.toContain('\n')
  return message
}

function siblingsOf(dir: string): string[] {
  return fs.readdirSync(path.dirname(dir)).filter((name) => name !== path.basename(dir))
}

let root: string
let dir: string
let saved: CheckpointContent

beforeAll(async () => {
  await selectBackend('wasm')
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cadenza-checkpoints-'))
})

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

beforeEach(async (context) => {
  // Each test gets its own parent folder, so sibling folders of one test never meet another's.
  const parent = fs.mkdtempSync(path.join(root, 'case-'))
  dir = path.join(parent, 'ckpt')
  saved = makeContent()
  await saveCheckpoint(dir, saved)
  context.onTestFinished(() => disposeCheckpointContent(saved))
})

describe('saveCheckpoint and loadCheckpoint', () => {
  it('round-trips every tensor exactly and the metadata', async () => {
    const loaded = await loadCheckpoint(dir)
    expect(loaded.meta).toEqual(saved.meta)
    await expectSameTensors(loaded.generator, saved.generator)
    await expectSameTensors(loaded.discriminator, saved.discriminator)
    await expectSameTensors(loaded.optimizer, saved.optimizer)
    disposeCheckpointContent(loaded)
    expect(await readCheckpointMeta(dir)).toEqual(saved.meta)
  })

  it('reads a checkpoint from before held-out files, as one that held out none', async () => {
    const file = path.join(dir, 'checkpoint.json')
    const old = JSON.parse(fs.readFileSync(file, 'utf8'))
    delete old.settings.training.holdout
    delete old.dataset.report.heldOut
    fs.writeFileSync(file, JSON.stringify(old))
    const meta = await readCheckpointMeta(dir)
    expect(meta.settings.training.holdout).toBe(0)
    expect(meta.dataset.report.heldOut).toEqual([])
  })

  it("reads epochs from before each epoch's measure heard rhythm, as not measured so", async () => {
    const file = path.join(dir, 'checkpoint.json')
    const old = JSON.parse(fs.readFileSync(file, 'utf8'))
    for (const record of old.history) {
      for (const field of ['temperatureScales', 'repetition', 'rhythmOverlap', 'classifierAccuracy'])
        delete record[field]
    }
    fs.writeFileSync(file, JSON.stringify(old))
    const { history } = await readCheckpointMeta(dir)
    expect(history[0]).toEqual({
      ...saved.meta.history[0],
      temperatureScales: null,
      repetition: null,
      rhythmOverlap: null,
      classifierAccuracy: null,
    })
  })

  it('writes the documented layout in TensorFlow.js format', () => {
    expect(fs.readdirSync(dir).sort()).toEqual([
      'checkpoint.json',
      'discriminator.weights.bin',
      'discriminator.weights.json',
      'generator.weights.bin',
      'generator.weights.json',
      'optimizer.weights.bin',
      'optimizer.weights.json',
    ])
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'generator.weights.json'), 'utf8'))
    expect(manifest.weightsManifest).toHaveLength(1)
    expect(manifest.weightsManifest[0].paths).toEqual(['generator.weights.bin'])
    expect(manifest.weightsManifest[0].weights.map((weight: { name: string }) => weight.name)).toEqual([
      'generator/lstm_1/kernel',
      'generator/dense/bias',
    ])
    expect(fs.statSync(path.join(dir, 'generator.weights.bin')).size).toBe((24 + 12) * 4)
    const metaText = fs.readFileSync(path.join(dir, 'checkpoint.json'), 'utf8')
    expect(metaText).toContain('\n  "format": "cadenza-checkpoint",')
    expect(siblingsOf(dir)).toEqual([])
  })

  it('neither leaks nor disposes tensors', async () => {
    const before = tf.memory().numTensors
    await saveCheckpoint(dir, saved)
    expect(tf.memory().numTensors).toBe(before)
    expect(Object.values(saved.generator).every((tensor) => !tensor.isDisposed)).toBe(true)

    const loaded = await loadCheckpoint(dir)
    expect(tf.memory().numTensors).toBe(before + 7)
    disposeCheckpointContent(loaded)
    expect(tf.memory().numTensors).toBe(before)
  })

  it('loads a training checkpoint saved without optimizer state', async () => {
    await saveCheckpoint(dir, { ...saved, optimizer: undefined })
    const loaded = await loadCheckpoint(dir)
    expect(loaded.optimizer).toBeUndefined()
    await expectSameTensors(loaded.discriminator, saved.discriminator)
    disposeCheckpointContent(loaded)
  })

  it('replaces an existing checkpoint and leaves nothing beside it', async () => {
    const next = makeContent('training', 7)
    next.meta.history = next.meta.history.slice(0, 1)
    await saveCheckpoint(dir, next)
    const loaded = await loadCheckpoint(dir)
    expect(loaded.meta.history).toHaveLength(1)
    await expectSameTensors(loaded.generator, next.generator)
    await expectSameTensors(loaded.optimizer, next.optimizer)
    disposeCheckpointContent(loaded)
    disposeCheckpointContent(next)
    expect(siblingsOf(dir)).toEqual([])
  })

  it('saves into an empty folder, creating missing parent folders', async () => {
    const empty = path.join(path.dirname(dir), 'empty')
    fs.mkdirSync(empty)
    await saveCheckpoint(empty, saved)
    expect((await readCheckpointMeta(empty)).kind).toBe('training')

    const nested = path.join(path.dirname(dir), 'a', 'b', 'ckpt')
    await saveCheckpoint(nested, saved)
    expect((await readCheckpointMeta(nested)).kind).toBe('training')
  })

  it('refuses to replace a folder that holds anything but checkpoint files', async () => {
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'my notes')
    expect(await checkpointFailure(saveCheckpoint(dir, saved))).toBe(
      `${dir}: holds files that are not part of a checkpoint (notes.txt); refusing to replace it`,
    )
    expect(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('my notes')
  })

  it('treats invalid metadata and groups that do not fit the kind as bugs', async () => {
    const fresh = path.join(path.dirname(dir), 'fresh')
    const badMeta = {
      ...saved,
      meta: {
        ...saved.meta,
        settings: { ...saved.meta.settings, model: { ...PRESETS.quick.model, layers: 0 } },
      },
    }
    await expect(saveCheckpoint(fresh, badMeta)).rejects.toThrow(
      /invalid metadata \(settings\.model\.layers: /,
    )
    await expect(saveCheckpoint(fresh, { ...saved, meta: makeMeta('generator') })).rejects.toThrow(
      'a generator checkpoint holds no discriminator',
    )
    await expect(
      saveCheckpoint(fresh, { meta: makeMeta('training'), generator: saved.generator }),
    ).rejects.toThrow('a training checkpoint needs the discriminator')
    expect(fs.existsSync(fresh)).toBe(false)
  })
})

describe('atomic saving', () => {
  it('loads the previous checkpoint after a crash between the two renames', async () => {
    const previous = `${dir}.previous-x`
    fs.renameSync(dir, previous)
    const loaded = await loadCheckpoint(dir)
    await expectSameTensors(loaded.generator, saved.generator)
    expect(loaded.meta).toEqual(saved.meta)
    disposeCheckpointContent(loaded)
    expect((await readCheckpointMeta(dir)).kind).toBe('training')

    // The next save puts a checkpoint back at `dir` and clears the leftover.
    const next = makeContent('training', 3)
    await saveCheckpoint(dir, next)
    expect(siblingsOf(dir)).toEqual([])
    const reloaded = await loadCheckpoint(dir)
    await expectSameTensors(reloaded.generator, next.generator)
    disposeCheckpointContent(reloaded)
    disposeCheckpointContent(next)
  })

  it('does not guess between several previous checkpoints', async () => {
    fs.cpSync(dir, `${dir}.previous-a`, { recursive: true })
    fs.renameSync(dir, `${dir}.previous-b`)
    expect(await checkpointFailure(loadCheckpoint(dir))).toBe(
      `${dir}: no such folder (interrupted saves left 2 ckpt.previous-* folders beside it)`,
    )
  })

  it('ignores a leftover temporary folder and removes it on the next save', async () => {
    const leftover = `${dir}.saving-0badf00d`
    fs.mkdirSync(leftover)
    fs.writeFileSync(path.join(leftover, 'generator.weights.bin'), new Uint8Array(10))
    const loaded = await loadCheckpoint(dir)
    await expectSameTensors(loaded.generator, saved.generator)
    disposeCheckpointContent(loaded)
    expect(fs.existsSync(leftover)).toBe(true)

    await saveCheckpoint(dir, saved)
    expect(fs.existsSync(leftover)).toBe(false)
  })

  it('keeps the previous checkpoint, unchanged, when a save fails halfway', async () => {
    const filesBefore = Object.fromEntries(
      fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name))]),
    )
    const before = tf.memory().numTensors
    const failing = makeContent('training', 5)
    // The optimizer group is written last: G and D are already in the temporary folder when this fails.
    failing.optimizer?.iterations.dispose()
    await expect(saveCheckpoint(dir, failing)).rejects.toThrow(/disposed/)
    disposeCheckpointContent(failing)
    expect(tf.memory().numTensors).toBe(before)

    expect(siblingsOf(dir)).toEqual([])
    const filesAfter = Object.fromEntries(
      fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name))]),
    )
    expect(filesAfter).toEqual(filesBefore)
    const loaded = await loadCheckpoint(dir)
    await expectSameTensors(loaded.optimizer, saved.optimizer)
    disposeCheckpointContent(loaded)
  })
})

describe('exportGenerator', () => {
  it('writes a generator-only checkpoint that loads', async () => {
    const exported = path.join(path.dirname(dir), 'shared', 'my-model')
    await exportGenerator(dir, exported)
    expect(fs.readdirSync(exported).sort()).toEqual([
      'checkpoint.json',
      'generator.weights.bin',
      'generator.weights.json',
    ])
    const loaded = await loadCheckpoint(exported)
    expect(loaded.discriminator).toBeUndefined()
    expect(loaded.optimizer).toBeUndefined()
    await expectSameTensors(loaded.generator, saved.generator)
    expect(loaded.meta.kind).toBe('generator')
    expect(Number.isNaN(Date.parse(loaded.meta.updatedAt))).toBe(false)
    expect({ ...loaded.meta, kind: 'training', updatedAt: saved.meta.updatedAt }).toEqual(saved.meta)
    disposeCheckpointContent(loaded)

    // An export exports again, and stray files of its kind's absent groups are not read.
    const again = path.join(path.dirname(dir), 'again')
    await exportGenerator(exported, again)
    fs.writeFileSync(path.join(again, 'discriminator.weights.json'), '{')
    const reloaded = await loadCheckpoint(again)
    expect(reloaded.discriminator).toBeUndefined()
    disposeCheckpointContent(reloaded)
  })

  it('gives the export its own repetition where asked, and takes it away at 0', async () => {
    const leaning = path.join(path.dirname(dir), 'leaning')
    await exportGenerator(dir, leaning, { repetition: 0.4 })
    const meta = await readCheckpointMeta(leaning)
    expect(meta.decoding).toEqual({ ...saved.meta.decoding, repetition: 0.4 })
    const plain = path.join(path.dirname(dir), 'plain')
    await exportGenerator(leaning, plain, { repetition: 0 })
    expect((await readCheckpointMeta(plain)).decoding).not.toHaveProperty('repetition')
  })

  it('refuses to overwrite an existing folder', async () => {
    const taken = path.join(path.dirname(dir), 'taken')
    fs.mkdirSync(taken)
    fs.writeFileSync(path.join(taken, 'song.mid'), 'MThd')
    expect(await checkpointFailure(exportGenerator(dir, taken))).toBe(`${taken}: already exists`)
    expect(fs.readdirSync(taken)).toEqual(['song.mid'])
    expect(await checkpointFailure(exportGenerator(dir, dir))).toBe(`${dir}: already exists`)
  })

  it('refuses a damaged source', async () => {
    fs.truncateSync(path.join(dir, 'generator.weights.bin'), 20)
    const target = path.join(path.dirname(dir), 'target')
    expect(await checkpointFailure(exportGenerator(dir, target))).toBe(
      `${dir}: damaged (generator.weights.bin is 20 bytes, the manifest needs 144)`,
    )
    expect(fs.existsSync(target)).toBe(false)
  })
})

describe('a damaged or foreign checkpoint is refused with one line', () => {
  const editMeta = (edit: (meta: Record<string, unknown>) => void) => {
    const file = path.join(dir, 'checkpoint.json')
    const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
    edit(meta)
    fs.writeFileSync(file, JSON.stringify(meta))
  }

  /** Both entry points refuse, and a refused load makes no tensors. */
  async function refusal(options: { metaToo: boolean }): Promise<string> {
    const before = tf.memory().numTensors
    const message = await checkpointFailure(loadCheckpoint(dir))
    expect(tf.memory().numTensors).toBe(before)
    if (options.metaToo) expect(await checkpointFailure(readCheckpointMeta(dir))).toBe(message)
    return message
  }

  it('a missing folder', async () => {
    fs.rmSync(dir, { recursive: true })
    expect(await refusal({ metaToo: true })).toBe(`${dir}: no such folder`)
  })

  it('a file where the folder should be', async () => {
    fs.rmSync(dir, { recursive: true })
    fs.writeFileSync(dir, 'not a folder')
    expect(await refusal({ metaToo: true })).toBe(`${dir}: not a folder`)
  })

  it('a folder without checkpoint.json', async () => {
    fs.rmSync(path.join(dir, 'checkpoint.json'))
    expect(await refusal({ metaToo: true })).toBe(`${dir}: not a Cadenza checkpoint (no checkpoint.json)`)
  })

  it('checkpoint.json that is not JSON', async () => {
    fs.writeFileSync(path.join(dir, 'checkpoint.json'), '{"format": "cadenza-checkpoint", "formatVer')
    expect(await refusal({ metaToo: true })).toBe(`${dir}: damaged (checkpoint.json is not valid JSON)`)
  })

  it("another program's JSON", async () => {
    fs.writeFileSync(path.join(dir, 'checkpoint.json'), JSON.stringify({ model_name: 'crnngan', epoch: 3 }))
    expect(await refusal({ metaToo: true })).toBe(
      `${dir}: not a Cadenza checkpoint (checkpoint.json has no "format": "cadenza-checkpoint")`,
    )
  })

  it('a setting out of range names its path and the first problem only', async () => {
    editMeta((meta) => {
      const settings = meta.settings as { model: Record<string, unknown> }
      settings.model.hiddenUnits = 0
      meta.backend = 42
    })
    const message = await refusal({ metaToo: true })
    expect(message).toMatch(/: not a Cadenza checkpoint \(settings\.model\.hiddenUnits: .+\)$/)
    expect(message.startsWith(`${dir}: `)).toBe(true)
    expect(message).not.toContain('backend')
  })

  it('a newer format', async () => {
    editMeta((meta) => {
      meta.formatVersion = 2
      meta.somethingNew = { whatever: true }
    })
    expect(await refusal({ metaToo: true })).toBe(
      `${dir}: made by a newer Cadenza (format 2; this version reads format 1)`,
    )
  })

  it('a truncated weights file', async () => {
    fs.truncateSync(path.join(dir, 'discriminator.weights.bin'), 50)
    expect(await refusal({ metaToo: false })).toBe(
      `${dir}: damaged (discriminator.weights.bin is 50 bytes, the manifest needs 124)`,
    )
  })

  it('a weights file with bytes to spare', async () => {
    fs.appendFileSync(path.join(dir, 'optimizer.weights.bin'), new Uint8Array(3))
    expect(await refusal({ metaToo: false })).toBe(
      `${dir}: damaged (optimizer.weights.bin is 106 bytes, the manifest needs 103)`,
    )
  })

  it('a missing weights file or manifest', async () => {
    fs.rmSync(path.join(dir, 'discriminator.weights.bin'))
    expect(await refusal({ metaToo: false })).toBe(`${dir}: damaged (discriminator.weights.bin is missing)`)
    fs.rmSync(path.join(dir, 'optimizer.weights.json'))
    fs.rmSync(path.join(dir, 'discriminator.weights.json'))
    expect(await refusal({ metaToo: false })).toBe(`${dir}: damaged (discriminator.weights.json is missing)`)
    fs.rmSync(path.join(dir, 'generator.weights.json'))
    expect(await refusal({ metaToo: false })).toBe(`${dir}: damaged (generator.weights.json is missing)`)
  })

  it('a manifest that is not JSON or not a weights manifest', async () => {
    const file = path.join(dir, 'generator.weights.json')
    const manifest = fs.readFileSync(file, 'utf8')
    fs.writeFileSync(file, manifest.slice(0, 30))
    expect(await refusal({ metaToo: false })).toBe(
      `${dir}: damaged (generator.weights.json is not valid JSON)`,
    )

    fs.writeFileSync(file, manifest.replace('"float32"', '"string"'))
    expect(await refusal({ metaToo: false })).toMatch(
      /: damaged \(generator\.weights\.json: weightsManifest\.0\.weights\.0\.dtype: .+\)$/,
    )
  })

  it('a manifest that points outside the folder', async () => {
    const file = path.join(dir, 'generator.weights.json')
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('"generator.weights.bin"', '"../../secret.bin"'),
    )
    expect(await refusal({ metaToo: false })).toBe(
      `${dir}: damaged (generator.weights.json must name exactly generator.weights.bin)`,
    )
  })

  it('leaves a good checkpoint loadable after all that (control)', async () => {
    const loaded = await loadCheckpoint(dir)
    await expectSameTensors(loaded.generator, saved.generator)
    disposeCheckpointContent(loaded)
  })
})
