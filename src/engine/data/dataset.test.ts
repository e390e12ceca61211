// Node, tests only. Held-out files on real corpus files: a split that only the seed decides, and held-out
// files that leave no trace in what training sees.
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CORPUS_DIR, corpusFile, PIANO_MIDI_DE_DIR } from '../../../test/corpus'
import { tinySettings } from '../../../test/tinySettings'
import { DatasetError, loadDataset, readDatasetReport } from './dataset'
import { chooseHeldOut } from './holdout'

const MOZART = join(PIANO_MIDI_DE_DIR, 'Mozart')
const mozartFiles = readdirSync(MOZART)
  .sort()
  .map((name) => join(MOZART, name))

const temporary = () => mkdtempSync(join(tmpdir(), 'cadenza-dataset-'))

describe('loadDataset', () => {
  it('reads the whole corpus, with its many tempo changes, into one report', async () => {
    const { report, pieces, slotPresence } = await loadDataset(CORPUS_DIR, tinySettings())
    expect(report.filesRead).toBe(320)
    expect(report.filesSkipped).toEqual([])
    expect(pieces).toHaveLength(320)
    // Every step has a first tone; about half have a second and a quarter a third (piano music).
    expect(slotPresence[0]).toBe(1)
    expect(slotPresence[1]).toBeGreaterThan(0.3)
    expect(slotPresence[1]).toBeLessThan(0.6)
    expect(slotPresence[2]).toBeGreaterThan(0.1)
    expect(slotPresence[2]).toBeLessThan(slotPresence[1])
    const [slowest, fastest] = report.tempoRange
    expect(slowest).toBeGreaterThan(5)
    expect(fastest).toBeGreaterThan(slowest)
    expect(fastest).toBeLessThan(1000)
  })
})

describe('readDatasetReport', () => {
  it("is loadDataset's report, held-out and broken files included", async () => {
    const data = temporary()
    for (const file of mozartFiles.slice(0, 6)) copyFileSync(file, join(data, basename(file)))
    writeFileSync(join(data, 'broken.mid'), 'not MIDI')
    for (const settings of [
      tinySettings({ holdout: 0.3 }),
      tinySettings({}, { output: 'sampled', tonesPerStep: 2 }),
    ]) {
      const report = await readDatasetReport(data, settings)
      expect(report).toEqual((await loadDataset(data, settings)).report)
      expect(report.filesSkipped.map(({ file }) => file)).toEqual([join(data, 'broken.mid')])
    }
  })

  it('refuses a folder that loadDataset refuses, with the same line', async () => {
    const data = temporary()
    copyFileSync(mozartFiles[0], join(data, 'short.mid'))
    const settings = tinySettings({ sequenceLength: 100_000 })
    const refusal = await loadDataset(data, settings).then(
      () => 'loaded',
      (error: Error) => error.message,
    )
    expect(refusal).toMatch(/no piece has 100000 steps/)
    await expect(readDatasetReport(data, settings)).rejects.toThrow(new DatasetError(refusal))
  })
})

describe('held-out files', () => {
  it('are chosen by the seed alone, whatever order the files come in', () => {
    const names = readdirSync(corpusFile('sonata-ish')).sort()
    const split = (seed: number, order = names) => [...chooseHeldOut(order, 0.2, seed)].sort()
    expect(split(1)).toHaveLength(10)
    expect(split(1, [...names].reverse())).toEqual(split(1))
    expect(split(2)).not.toEqual(split(1))
    expect(split(1).every((name) => names.includes(name))).toBe(true)
  })

  it('are at least one when asked for, and never every file', () => {
    expect(chooseHeldOut(['a.mid', 'b.mid'], 0.01, 1).size).toBe(1)
    expect(chooseHeldOut(['a.mid', 'b.mid'], 0.5, 1).size).toBe(1)
    expect(chooseHeldOut(['a.mid', 'b.mid', 'c.mid'], 0, 1).size).toBe(0)
  })

  it('are read and named but never trained on', async () => {
    const all = await loadDataset(MOZART, tinySettings())
    const split = await loadDataset(MOZART, tinySettings({ holdout: 0.2 }))
    const { heldOut } = split.report
    expect(heldOut).toHaveLength(3)
    expect(split.report.filesRead).toBe(15)
    expect(split.trainingFiles).toHaveLength(12)
    expect([...split.trainingFiles, ...heldOut].sort()).toEqual(mozartFiles)
    expect(all.report.heldOut).toEqual([])
    expect(split.fingerprint).not.toBe(all.fingerprint)
    expect(split.normalization).not.toEqual(all.normalization)

    // The training part is exactly a data folder without the held-out files.
    const trainingOnly = temporary()
    for (const file of split.trainingFiles) copyFileSync(file, join(trainingOnly, basename(file)))
    const alone = await loadDataset(trainingOnly, tinySettings())
    expect(split.normalization).toEqual(alone.normalization)
    expect(split.pieces).toEqual(alone.pieces)
    // Each training piece's windows of bars, which every epoch's rhythm is measured against.
    expect(split.rhythm!.pieces).toHaveLength(12)
    expect(split.rhythm).toEqual(alone.rhythm)
    expect(alone.report).toEqual({ ...split.report, filesRead: 12, heldOut: [] })
  })

  it('change the fingerprint when a held-out file changes', async () => {
    const data = temporary()
    for (const file of mozartFiles.slice(0, 4)) copyFileSync(file, join(data, basename(file)))
    const settings = tinySettings({ holdout: 0.25 })
    const before = await loadDataset(data, settings)
    const [heldOut] = before.report.heldOut
    copyFileSync(mozartFiles[5], heldOut)
    const after = await loadDataset(data, settings)
    expect(after.report.heldOut).toEqual([heldOut])
    expect(after.normalization).toEqual(before.normalization)
    expect(after.fingerprint).not.toBe(before.fingerprint)
  })

  it('are skipped like any other file when they are broken', async () => {
    const data = temporary()
    const names = ['a.mid', 'b.mid', 'broken.mid']
    copyFileSync(mozartFiles[0], join(data, 'a.mid'))
    copyFileSync(mozartFiles[1], join(data, 'b.mid'))
    writeFileSync(join(data, 'broken.mid'), 'MThd')
    const seeds = Array.from({ length: 20 }, (_, i) => i + 1)
    const seed = seeds.find((s) => chooseHeldOut(names, 0.3, s).has('broken.mid'))!
    const { report, trainingFiles } = await loadDataset(data, tinySettings({ holdout: 0.3, seed }))
    expect(report.filesSkipped).toEqual([
      { file: join(data, 'broken.mid'), error: 'truncated: the MIDI header is incomplete' },
    ])
    expect(report.heldOut).toEqual([])
    expect(trainingFiles).toEqual([join(data, 'a.mid'), join(data, 'b.mid')])
  })

  it('need two files or more', async () => {
    const data = temporary()
    copyFileSync(mozartFiles[0], join(data, 'only.mid'))
    await expect(loadDataset(data, tinySettings({ holdout: 0.1 }))).rejects.toThrow(
      new DatasetError(`${data}: holding files out needs two or more MIDI files`),
    )
  })
})
