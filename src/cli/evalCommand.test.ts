// Runs the real `cadenza` command in a child process, as a user would.
import { spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { CADENZA, cadenza } from '../../test/cadenzaCli'
import { describe, expect, it } from 'vitest'
import { corpusFile, PIANO_MIDI_DE_DIR, SONATA_DIR } from '../../test/corpus'
import { pieceToMidi } from '../shared/music/pieceToMidi'
import { WINDOW_STATISTIC_NAMES } from '../shared/music/rhythm'
import { STATISTIC_NAMES } from '../shared/music/statistics'

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

/** A folder with one good file, one good file in a subfolder, and every kind of bad file. */
function mixedFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'cadenza-eval-'))
  const good = readFileSync(corpusFile('piano-midi-de/Bach/bach_846.mid'))
  mkdirSync(join(folder, 'nested'))
  copyFileSync(corpusFile('sonata-ish/mozk545a.mid'), join(folder, 'nested', 'UPPER.MIDI'))
  writeFileSync(join(folder, 'good.mid'), good)
  writeFileSync(join(folder, 'empty.mid'), '')
  writeFileSync(join(folder, 'truncated.mid'), good.subarray(0, good.length / 2))
  writeFileSync(join(folder, 'text.mid'), 'this is not music\n')
  writeFileSync(join(folder, 'silent.mid'), pieceToMidi({ notes: [], tempos: [], timeSignatures: [] }))
  writeFileSync(join(folder, 'notes.txt'), 'ignored: not a MIDI file name')
  return folder
}

describe('cadenza eval', () => {
  it('prints one JSON object per file with the seven statistics', async () => {
    const file = corpusFile('piano-midi-de/Bach/bach_846.mid')
    const run = await cadenza('eval', '--json', file)
    expect(run.code).toBe(0)
    const [line, ...rest] = jsonLines(run.stdout)
    expect(rest).toEqual([])
    expect(line.file).toBe(file)
    const stats = line.stats as Record<string, number>
    expect(Object.keys(stats)).toEqual([...STATISTIC_NAMES])
    expect(stats.num_tones).toBe(1284)
    expect(stats.scale_consistency).toBeGreaterThan(0.8)
  })

  it('prints one line per window with --window, dropping the short tail', async () => {
    const run = await cadenza(
      'eval',
      '--json',
      '--window',
      '500',
      corpusFile('piano-midi-de/Bach/bach_846.mid'),
    )
    expect(run.code).toBe(0)
    const lines = jsonLines(run.stdout)
    expect(lines.map((line) => line.window)).toEqual([0, 1]) // 1284 tones: two full windows of 500
    expect(lines.every((line) => line.num_tones === 500)).toBe(true)
  })

  it('reports each unreadable file with a reason, measures the rest, and exits 1', async () => {
    const folder = mixedFolder()
    const run = await cadenza('eval', '--json', folder)
    expect(run.code).toBe(1)
    expect(run.stderr).toBe('')
    const byFile = new Map(jsonLines(run.stdout).map((line) => [line.file, line]))
    expect(byFile.size).toBe(6)
    expect(byFile.get(join(folder, 'good.mid'))?.stats).toBeDefined()
    expect(byFile.get(join(folder, 'nested', 'UPPER.MIDI'))?.stats).toBeDefined()
    expect(byFile.get(join(folder, 'empty.mid'))?.error).toBe('the file is empty')
    expect(byFile.get(join(folder, 'truncated.mid'))?.error).toMatch(/^truncated: /)
    expect(byFile.get(join(folder, 'text.mid'))?.error).toMatch(/^not a MIDI file/)
    expect(byFile.get(join(folder, 'silent.mid'))?.error).toBe('no notes to measure')
  })

  it('gives a person one line per problem, a table and a summary', async () => {
    const folder = mixedFolder()
    const run = await cadenza('eval', folder, join(folder, 'missing.mid'))
    expect(run.code).toBe(1)
    const problems = run.stderr.trim().split('\n')
    expect(problems).toHaveLength(5)
    expect(problems).toContain(`${join(folder, 'missing.mid')}: no such file or folder`)
    expect(run.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/) // no stack trace
    expect(run.stdout).toMatch(/^num_tones\s+scale_consistency/)
    expect(run.stdout).toContain('Summary of 2 files:')
  })

  it('exits 0 when every file is read', async () => {
    const run = await cadenza('eval', join(PIANO_MIDI_DE_DIR, 'Bach'))
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Summary of 3 files:')
  })

  it('measures a set against real and training pieces', async () => {
    const copied = corpusFile('sonata-ish/mozk545a.mid')
    const run = await cadenza(
      'eval',
      '--json',
      '--real',
      join(PIANO_MIDI_DE_DIR, 'Mozart'),
      '--train',
      SONATA_DIR,
      copied,
    )
    expect(run.code).toBe(0)
    const [memorization, summary, rhythm, ...rest] = jsonLines(run.stdout)
    expect(rest).toEqual([])
    // A training piece measured against its own training set copies all of itself.
    expect(memorization).toMatchObject({ file: copied, copied_from: copied })
    expect(memorization.longest_copied_run).toBeGreaterThan(2000)
    expect(summary.window).toBe(200)
    expect(summary.realism_distance).toBeGreaterThan(0)
    expect(Object.keys(summary.statistics as object)).toHaveLength(6)
    expect(rhythm).toMatchObject({ bars: 4, classifier: null }) // one generated piece: no fold to hold out
    expect(Object.keys(rhythm.statistics as object)).toEqual([...WINDOW_STATISTIC_NAMES])
    expect(rhythm.real_against_real).toMatchObject({ folds: 5 }) // 15 Mozart pieces, split 8 and 7
  })

  it('measures rhythm over windows of --bars bars, with the classifier and its real floor', async () => {
    const generated = ['mozk545a', 'mozk545b', 'mozk545c', 'mozk331a'].map((name) =>
      corpusFile(`sonata-ish/${name}.mid`),
    )
    const run = await cadenza('eval', '--json', '--bars', '2', '--real', SONATA_DIR, ...generated)
    expect(run.code).toBe(0)
    const rhythm = jsonLines(run.stdout).at(-1)!
    expect(rhythm.bars).toBe(2)
    type Figures = { overlap: number; real_median: number; generated_mean: number; real_mean: number }
    const statistics = rhythm.statistics as Record<string, Figures>
    expect(statistics.on_grid.real_median).toBeGreaterThan(0.9)
    // Every generated piece is a real one: the means of the four pieces' windows lie among the real ones.
    expect(statistics.notes_per_bar.generated_mean).toBeGreaterThan(0.5 * statistics.notes_per_bar.real_mean)
    expect(statistics.notes_per_bar.generated_mean).toBeLessThan(2 * statistics.notes_per_bar.real_mean)
    // The generated pieces are among the real ones, so every distribution overlaps much.
    expect(Object.values(statistics).every(({ overlap }) => overlap > 0.5)).toBe(true)
    const classifier = rhythm.classifier as { accuracy: number; windows_per_set: number; folds: number }
    expect(classifier.folds).toBe(4)
    expect(classifier.windows_per_set).toBe(rhythm.generated_windows)
    expect(classifier.accuracy).toBeLessThan(0.8)
    expect(rhythm.real_against_real).toMatchObject({ folds: 5 })
  })

  it('takes lists of files, and reports a missing one with its line while measuring the rest', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cadenza-list-'))
    const list = join(folder, 'real.txt')
    const [bach846, bach847] = ['bach_846', 'bach_847'].map((name) =>
      relative(folder, corpusFile(`piano-midi-de/Bach/${name}.mid`)),
    )
    writeFileSync(list, `# real pieces\n${bach846}\n\ngone.mid\n${bach847}\n`)
    const generated = corpusFile('sonata-ish/mozk545a.mid')
    const run = await cadenza('eval', '--real', list, generated)
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(`${join(folder, 'gone.mid')}: no such file (line 4 of ${list})\n`)
    expect(run.stdout).toMatch(/\(\d+ generated, \d+ real\):/)
    expect(run.stdout).toContain('realism distance:')
    expect(run.stdout).toMatch(/^on_grid +\d/m)
    expect(run.stdout).toContain('real against real:      not measured')

    const measured = await cadenza('eval', '--json', list)
    expect(measured.code).toBe(1)
    const byFile = new Map(jsonLines(measured.stdout).map((line) => [line.file, line]))
    expect(byFile.get(join(folder, 'gone.mid'))?.error).toBe(`no such file (line 4 of ${list})`)
    expect([join(folder, bach846), join(folder, bach847)].every((file) => byFile.get(file)?.stats)).toBe(true)
    expect(byFile.size).toBe(3)
  })

  it('rejects bad arguments with one line and exit code 2', async () => {
    const run = await cadenza('eval', '--window', 'zero', SONATA_DIR)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('expected a whole number of 1 or more')
    const lonelyTrain = await cadenza('eval', '--train', SONATA_DIR, SONATA_DIR)
    expect(lonelyTrain).toMatchObject({ code: 2, stderr: 'cadenza: --train needs --real as well\n' })
    const oneBar = await cadenza('eval', '--bars', '1', '--real', SONATA_DIR, SONATA_DIR)
    expect(oneBar).toMatchObject({ code: 2, stderr: expect.stringContaining('--bars must be 2 or more') })
    const lonelyBars = await cadenza('eval', '--bars', '4', SONATA_DIR)
    expect(lonelyBars).toMatchObject({ code: 2, stderr: 'cadenza: --bars needs --real as well\n' })
  })

  it('stops quietly when its reader closes the pipe early', async () => {
    const child = spawn(process.execPath, [CADENZA, 'eval', '--json', PIANO_MIDI_DE_DIR])
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdout.once('data', () => child.stdout.destroy()) // like `| head -1`
    const code = await new Promise((done) => child.on('close', done))
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
  })

  it('has help', async () => {
    const run = await cadenza('eval', '--help')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('--window <tones>')
    expect(run.stdout).toContain('--bars <bars>')
  })
})
