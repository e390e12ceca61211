// Node (engine). A training set from a folder of MIDI files: files read recursively, unreadable ones
// skipped with their reason, a seeded share held out of training, a report for the user, normalization
// statistics, a fingerprint that ties a checkpoint to its data, and seeded sampling of training sequences.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { relative, sep } from 'node:path'
import type { DatasetReport, Normalization } from '../../shared/checkpointMeta'
import type { Settings } from '../../shared/modelSettings'
import { corpusStatistics, sampleWindow } from '../../shared/music/corpusStatistics'
import { MidiReadError } from '../../shared/music/midiStructure'
import { midiToPiece } from '../../shared/music/midiToPiece'
import type { RealismReference } from '../../shared/music/realism'
import { DEFAULT_BPM } from '../../shared/music/piece'
import { tonesOf, type Tone } from '../../shared/music/statistics'
import { pieceToSteps, type Step } from '../../shared/music/steps'
import { slotPresence } from '../training/calibration'
import { FEATURE_COUNT, normalizationOf } from '../model/encoding'
import { trainingReference } from '../training/epochRealism'
import { chooseHeldOut } from './holdout'
import { findMidiFiles, type FileProblem } from './midiFiles'
import type { Random } from '../random'
import { stepCodec } from '../model/stepCodec'

/** A problem with the training data as a whole; its message is one line for the user. */
export class DatasetError extends Error {
  override name = 'DatasetError'
}

export interface Dataset {
  report: DatasetReport
  /** The readable files trained on, named like those of the report. */
  trainingFiles: string[]
  fingerprint: string
  normalization: Normalization
  /** Values per step: 4 * tonesPerStep. */
  width: number
  /** Each piece's steps as the model's codec stores them (stepCodec.ts), [steps x width] row by row. */
  pieces: Float32Array[]
  /** For each tone slot, the fraction of training steps in which it sounds (see calibration.ts). */
  slotPresence: number[]
  /** The training pieces that each epoch's realism distance is measured against (see epochRealism.ts). */
  realism: RealismReference | null
}

interface ReadFile {
  file: string
  steps: Step[]
  onsets: Map<number, number>
  tempos: number[]
  tones: Tone[]
}

/** Fraction of distinct onsets where two or more notes start, over every piece. */
function polyphonyOf(files: readonly ReadFile[]): number {
  let onsets = 0
  let chords = 0
  for (const { onsets: counts } of files) {
    onsets += counts.size
    for (const count of counts.values()) if (count >= 2) chords++
  }
  return onsets === 0 ? 0 : chords / onsets
}

/** Slowest and fastest tempo; a loop, since a large corpus has more tempo changes than Math.min takes arguments. */
function tempoRangeOf(files: readonly ReadFile[]): [number, number] {
  let range: [number, number] | undefined
  for (const { tempos } of files) {
    for (const bpm of tempos) range = range ? [Math.min(range[0], bpm), Math.max(range[1], bpm)] : [bpm, bpm]
  }
  return range ?? [DEFAULT_BPM, DEFAULT_BPM]
}

export async function loadDataset(
  folder: string,
  settings: Settings,
  onFile: (done: number, total: number) => void = () => {},
): Promise<Dataset> {
  const { files, problems } = await findMidiFiles([folder])
  if (problems.length > 0) throw new DatasetError(`${folder}: ${problems[0].error}`)
  if (files.length === 0) throw new DatasetError(`${folder}: no .mid or .midi files in it`)
  const { holdout, seed } = settings.training
  if (holdout > 0 && files.length < 2)
    throw new DatasetError(`${folder}: holding files out needs two or more MIDI files`)
  // Chosen among all the files found, before reading, so a held-out file that is broken is skipped as usual.
  const splitName = (file: string) => relative(folder, file).split(sep).join('/')
  const heldOutNames = chooseHeldOut(files.map(splitName), holdout, seed)

  // Held-out files have a part of their own, appended only when there are any: without them the
  // fingerprint is what it was before held-out files existed, so older checkpoints still resume.
  const hash = createHash('sha256')
  const heldOutHash = createHash('sha256')
  const read: ReadFile[] = []
  const heldOut: string[] = []
  const skipped: FileProblem[] = []
  let notes = 0
  for (const [index, file] of files.entries()) {
    try {
      const bytes = await readFile(file)
      const piece = midiToPiece(bytes)
      if (piece.notes.length === 0) throw new MidiReadError('no notes')
      const isHeldOut = heldOutNames.has(splitName(file))
      ;(isHeldOut ? heldOutHash : hash).update(relative(folder, file)).update('\0').update(bytes)
      if (isHeldOut) heldOut.push(file)
      else {
        const onsets = new Map<number, number>()
        for (const note of piece.notes) onsets.set(note.onset, (onsets.get(note.onset) ?? 0) + 1)
        const tempos = piece.tempos.map((tempo) => tempo.bpm)
        const steps = pieceToSteps(piece, settings.model.tonesPerStep)
        read.push({ file, steps, onsets, tempos, tones: tonesOf(piece) })
        notes += piece.notes.length
      }
    } catch (error) {
      if (!(error instanceof MidiReadError)) throw error
      skipped.push({ file, error: error.message })
    }
    onFile(index + 1, files.length)
  }
  if (read.length === 0) {
    throw new DatasetError(
      `${folder}: no readable MIDI file${heldOut.length > 0 ? ' to train on' : ''} (${skipped.length} skipped: ${skipped[0]?.error})`,
    )
  }

  const sequenceLength = settings.training.sequenceLength
  const long = read.filter(({ steps }) => steps.length >= sequenceLength)
  if (long.length === 0) {
    const longest = Math.max(...read.map(({ steps }) => steps.length))
    throw new DatasetError(
      `${folder}: no piece has ${sequenceLength} steps (the longest has ${longest}); use a shorter sequence length`,
    )
  }
  const normalization = normalizationOf(read.map(({ steps }) => steps))
  const codec = stepCodec(settings.model, normalization)
  const stepCount = read.reduce((total, { steps }) => total + steps.length, 0)
  const report: DatasetReport = {
    filesRead: read.length + heldOut.length,
    filesSkipped: skipped,
    heldOut,
    notes,
    polyphony: polyphonyOf(read),
    tempoRange: tempoRangeOf(read),
    steps: stepCount,
    sequences: read.reduce((total, { steps }) => total + Math.floor(steps.length / sequenceLength), 0),
    corpusStatistics: corpusStatistics(
      read.map(({ tones }) => tones),
      sampleWindow(settings.model.tonesPerStep),
    ),
  }
  if (heldOut.length > 0) hash.update('\0held out\0').update(heldOutHash.digest())
  return {
    report,
    trainingFiles: read.map(({ file }) => file),
    fingerprint: hash.digest('hex'),
    normalization,
    width: settings.model.tonesPerStep * FEATURE_COUNT,
    pieces: long.map(({ steps }) => codec.store(steps)),
    slotPresence: slotPresence(read.map(({ steps }) => steps)),
    realism: trainingReference(read.map(({ tones }) => tones)),
  }
}

/**
 * A batch of `batchSize` sequences of `length` steps, [batch x length x width] row by row. Each sequence
 * is a window at a random start in a random piece, pieces weighted by how many windows they hold, so every
 * window of the corpus is equally likely. Sequences longer than some pieces come from the longer ones only.
 */
export function sampleBatch(
  dataset: Dataset,
  random: Random,
  batchSize: number,
  length: number,
): Float32Array {
  const { pieces, width } = dataset
  const windows = pieces.map((piece) => Math.max(0, piece.length / width - length + 1))
  const total = windows.reduce((sum, count) => sum + count, 0)
  if (total === 0) throw new DatasetError(`no piece has ${length} steps`)
  const batch = new Float32Array(batchSize * length * width)
  for (let b = 0; b < batchSize; b++) {
    let pick = Math.floor(random.next() * total)
    let piece = 0
    while (pick >= windows[piece]) pick -= windows[piece++]
    batch.set(pieces[piece].subarray(pick * width, (pick + length) * width), b * length * width)
  }
  return batch
}
