// Node, tests only. The file readers on real corpus files: the same answers in the same order with worker
// threads or without, a broken file's one-line reason among them, and a reading that stops when aborted.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PIANO_MIDI_DE_DIR } from '../../../test/corpus'
import { readFiles, type FileRead } from './fileReader'

const MOZART = join(PIANO_MIDI_DE_DIR, 'Mozart')

/** Four Mozart files, a broken one between them and a folder named like a MIDI file. */
function mixedFiles(): string[] {
  const folder = mkdtempSync(join(tmpdir(), 'cadenza-reader-'))
  const good = readdirSync(MOZART).sort().slice(0, 4)
  for (const name of good) copyFileSync(join(MOZART, name), join(folder, name))
  writeFileSync(join(folder, 'broken.mid'), 'MThd')
  mkdirSync(join(folder, 'folder.mid'))
  return [...good.slice(0, 2), 'broken.mid', 'folder.mid', ...good.slice(2)].map((name) => join(folder, name))
}

async function readAll(files: string[], threads: number, onFile?: (done: number) => void) {
  const read: FileRead<'measure'>[] = []
  for await (const result of readFiles(files, 'measure', {
    options: () => ({ window: 100 }),
    threads,
    onFile,
  }))
    read.push(result)
  return read
}

describe('readFiles', () => {
  it('answers every file in order, the same with worker threads as without', async () => {
    const files = mixedFiles()
    const counted: number[] = []
    const inWorkers = await readAll(files, 2, (done) => counted.push(done))
    expect(inWorkers.map(({ file }) => file)).toEqual(files)
    expect(inWorkers[2]).toEqual({ file: files[2], problem: 'truncated: the MIDI header is incomplete' })
    expect(inWorkers[3]).toEqual({ file: files[3], problem: 'is a folder' })
    expect(inWorkers.filter((read) => 'value' in read)).toHaveLength(4)
    expect(counted).toEqual([1, 2, 3, 4, 5, 6])
    expect(await readAll(files, 0)).toEqual(inWorkers)
  })

  it('stops with an AbortError when its signal is aborted', async () => {
    const files = mixedFiles()
    const controller = new AbortController()
    const read: string[] = []
    const reading = (async () => {
      const options = { options: () => ({}), threads: 1, signal: controller.signal }
      for await (const result of readFiles(files, 'measure', options)) {
        read.push(result.file)
        controller.abort()
      }
    })()
    await expect(reading).rejects.toThrow(expect.objectContaining({ name: 'AbortError' }))
    expect(read.length).toBeLessThan(files.length)
  })
})
