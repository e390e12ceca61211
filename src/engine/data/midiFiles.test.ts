// Node, tests only. Lists of MIDI files: read like playlists, relative to the list, and written so that
// they read back the same after the list's folder and the files move together.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { corpusFile } from '../../../test/corpus'
import { riffMidi } from '../../../test/riffMidi'
import { findMidiFiles, readPieceFile, writeFileList } from './midiFiles'

const temporary = () => mkdtempSync(join(tmpdir(), 'cadenza-lists-'))

describe('lists of MIDI files', () => {
  it('name files relative to the list, skipping blank lines and comments', async () => {
    const folder = temporary()
    const bach = corpusFile('piano-midi-de/Bach/bach_846.mid')
    const list = join(folder, 'Pieces.TXT')
    writeFileSync(list, `\uFEFF# real pieces\r\n\r\n${bach}\r\nsub/missing.mid\r\n  \r\n./#hash.mid\r\n`)
    writeFileSync(join(folder, '#hash.mid'), '')
    // The folder beside it adds its MIDI file once more, but does not read the list inside it.
    const found = await findMidiFiles([list, folder])
    expect(found.files).toEqual([bach, join(folder, '#hash.mid'), join(folder, '#hash.mid')])
    expect(found.problems).toEqual([
      { file: join(folder, 'sub/missing.mid'), error: `no such file (line 4 of ${list})` },
    ])
  })

  it('read back what was written, after moving with their files', async () => {
    const root = temporary()
    const [run, data] = [join(root, 'runs', 'one'), join(root, 'data')]
    mkdirSync(run, { recursive: true })
    mkdirSync(join(data, 'Bach'), { recursive: true })
    const files = [join(data, 'Bach', 'bach_846.mid'), join(data, 'bach 847.mid'), join(run, '#1.mid')]
    for (const file of files) writeFileSync(file, '')
    await writeFileList(join(run, 'list.txt'), files, 'a comment')
    expect(readFileSync(join(run, 'list.txt'), 'utf8')).toBe(
      '# a comment\n../../data/Bach/bach_846.mid\n../../data/bach 847.mid\n./#1.mid\n',
    )

    const moved = join(temporary(), 'elsewhere')
    cpSync(root, moved, { recursive: true })
    const found = await findMidiFiles([join(moved, 'runs', 'one', 'list.txt')])
    expect(found).toEqual({
      files: files.map((file) => file.replace(root, moved)),
      problems: [],
    })
  })
})

describe('folders of MIDI files', () => {
  it('hold .mid, .midi and .rmi files in any case; a RIFF MIDI file reads as its MIDI', async () => {
    const folder = temporary()
    const bach = readFileSync(corpusFile('piano-midi-de/Bach/bach_846.mid'))
    mkdirSync(join(folder, 'sub'))
    const names = ['a.mid', 'b.MIDI', 'sub/c.RMI', 'd.txt', 'e.wav']
    for (const name of names) writeFileSync(join(folder, name), name.endsWith('RMI') ? riffMidi(bach) : bach)
    const found = await findMidiFiles([folder])
    expect(found.files).toEqual(['a.mid', 'b.MIDI', 'sub/c.RMI'].map((name) => join(folder, name)))
    expect(await readPieceFile(join(folder, 'sub/c.RMI'))).toEqual(await readPieceFile(join(folder, 'a.mid')))
  })
})
