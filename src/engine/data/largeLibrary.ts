// Node (engine; the benchmark). A large MIDI library made from a small corpus, to measure what musicians'
// libraries of thousands of files cost: each file copied several times, transposed, in nested folders, with
// a few broken files mixed in, as real libraries have.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { unwrapRiffMidi } from '../../shared/music/midiStructure'
import { Midi } from '../../shared/music/tonejsMidi'
import { findMidiFiles } from './midiFiles'

export interface LargeLibrary {
  folder: string
  /** Every MIDI file written, the broken ones included. */
  files: number
  broken: number
  bytes: number
}

/** Semitones each copy is moved by; the first copy is the file as it is. */
const TRANSPOSITIONS = [0, 2, -3, 5, -5, 7, -2, 4, -4, 1, 3, -1]
const LOWEST = 0
const HIGHEST = 127

/** The file moved by `semitones`, its notes that would leave MIDI's range left out. */
function transposed(bytes: Uint8Array, semitones: number): Uint8Array {
  const midi = new Midi(unwrapRiffMidi(bytes))
  for (const track of midi.tracks) {
    track.notes = track.notes.filter(
      (note) => note.midi + semitones >= LOWEST && note.midi + semitones <= HIGHEST,
    )
    for (const note of track.notes) note.midi += semitones
  }
  return midi.toArray()
}

function midiOrNull(bytes: Uint8Array): Midi | null {
  try {
    return new Midi(unwrapRiffMidi(bytes))
  } catch {
    return null
  }
}

/** Files a library must cope with: each fails in its own way, and none stops the others. */
function brokenFiles(good: Uint8Array): [string, Uint8Array][] {
  return [
    ['empty.mid', new Uint8Array()],
    ['cut off.mid', good.subarray(0, Math.floor(good.length / 2))],
    ['notes.MID', new TextEncoder().encode('not music, despite the name\n')],
    ['header only.midi', good.subarray(0, 14)],
  ]
}

/**
 * Writes `copies` copies of every MIDI file under `source` into `folder` (copy k under `folder/k/`, in the
 * source's own subfolders), copy k transposed by TRANSPOSITIONS[k mod 12], and a set of broken files into
 * each copy's folder. Files that cannot be read are copied as they are.
 */
export async function buildLargeLibrary(
  source: string,
  folder: string,
  copies: number,
  onFile: (done: number, total: number) => void = () => {},
): Promise<LargeLibrary> {
  const { files } = await findMidiFiles([source])
  const library: LargeLibrary = { folder, files: 0, broken: 0, bytes: 0 }
  const write = async (file: string, bytes: Uint8Array) => {
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, bytes)
    library.files++
    library.bytes += bytes.length
  }
  for (const [index, file] of files.entries()) {
    const bytes = await readFile(file)
    const readable = midiOrNull(bytes) !== null
    for (let k = 0; k < copies; k++) {
      const semitones = TRANSPOSITIONS[k % TRANSPOSITIONS.length]
      const copy = !readable || semitones === 0 ? bytes : transposed(bytes, semitones)
      await write(join(folder, `copy ${k + 1}`, relative(source, file)), copy)
    }
    onFile(index + 1, files.length)
  }
  const good = await readFile(files[0])
  for (let k = 0; k < copies; k++) {
    for (const [name, bytes] of brokenFiles(good)) {
      await write(join(folder, `copy ${k + 1}`, 'broken', name), bytes)
      library.broken++
    }
  }
  return library
}
