// Node, tests only. Where the real MIDI corpora live: ../shared/data/midi beside the checkout, never
// copied into the repo (see README, "Test data"). CADENZA_CORPUS overrides the location.
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')

export const CORPUS_DIR = process.env.CADENZA_CORPUS ?? resolve(repoRoot, '../shared/data/midi')
export const SONATA_DIR = join(CORPUS_DIR, 'sonata-ish')
export const PIANO_MIDI_DE_DIR = join(CORPUS_DIR, 'piano-midi-de')

/** A path inside the corpus, e.g. corpusFile('piano-midi-de/Bach/bach_846.mid'). */
export function corpusFile(relativePath: string): string {
  return join(CORPUS_DIR, relativePath)
}

export function assertCorpusPresent(): void {
  if (!existsSync(SONATA_DIR) || !existsSync(PIANO_MIDI_DE_DIR)) {
    throw new Error(
      `The MIDI test corpus is missing: expected ${CORPUS_DIR} with sonata-ish/ and piano-midi-de/. ` +
        'Tests read real MIDI files from ../shared/data/midi beside the checkout (or set CADENZA_CORPUS).',
    )
  }
}
