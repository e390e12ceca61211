// Node (engine). A training set from a folder of MIDI files: files read recursively, unreadable ones
// skipped with their reason, a seeded share held out of training, a report for the user, normalization
// statistics, a fingerprint that ties a checkpoint to its data, and seeded sampling of training sequences.
import { createHash, type Hash } from 'node:crypto'
import { relative, sep } from 'node:path'
import type { DatasetReport, Normalization } from '../../shared/checkpointMeta'
import type { Settings } from '../../shared/modelSettings'
import { medianStatistics, sampleWindow } from '../../shared/music/corpusStatistics'
import { MIDI_EXTENSION_NAMES } from '../../shared/music/midiFileNames'
import { DEFAULT_BPM } from '../../shared/music/piece'
import { DEFAULT_REALISM_WINDOW, type RealismReference } from '../../shared/music/realism'
import { slotPresence } from '../training/calibration'
import { encodeValues, normalizationOf } from '../model/encoding'
import { storedWidth } from '../model/stepCodec'
import { collapseRanges, type CollapseRanges } from '../training/collapse'
import { trainingReference } from '../training/epochRealism'
import { rhythmReference, type RhythmReference } from '../training/epochRhythm'
import { readFiles } from './fileReader'
import type { EncodeOptions, Encoded, Summary, TaskOptions, TaskResult } from './fileTasks'
import { chooseHeldOut } from './holdout'
import { findMidiFiles, type FileProblem } from './midiFiles'
import type { Random } from '../random'

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
  /** Values per step: 4 * tonesPerStep, and a meter model's metric position (see storedWidth). */
  width: number
  /** Each piece's steps as the model's codec stores them (stepCodec.ts), [steps x width] row by row. */
  pieces: Float32Array[]
  /** For each tone slot, the fraction of training steps in which it sounds (see calibration.ts). */
  slotPresence: number[]
  /** The training pieces that each epoch's realism distance is measured against (see epochRealism.ts). */
  realism: RealismReference | null
  /** Their windows of bars, which each epoch's rhythm and dynamics are measured against (epochRhythm.ts). */
  rhythm: RhythmReference | null
  /** Their own range of what a collapsed G fails (collapse.ts), which adversarial epochs are held to. */
  collapse: CollapseRanges
}

export interface LoadOptions {
  onFile?: (done: number, total: number) => void
  /** Aborting it ends the reading with an AbortError. */
  signal?: AbortSignal
  /** Threads that read the files (fileReader.ts). */
  threads?: number
}

/** The files read for training, those held out, and those skipped with their reason. */
interface ReadLibrary<T> {
  read: (T & { file: string })[]
  heldOut: string[]
  skipped: FileProblem[]
}

/** Fraction of distinct onsets where two or more notes start, over every piece. */
function polyphonyOf(files: readonly Summary[]): number {
  const onsets = files.reduce((total, file) => total + file.onsets, 0)
  const chords = files.reduce((total, file) => total + file.chords, 0)
  return onsets === 0 ? 0 : chords / onsets
}

/** Slowest and fastest tempo; a loop, since a large corpus has more tempo changes than Math.min takes arguments. */
function tempoRangeOf(files: readonly Summary[]): [number, number] {
  let range: [number, number] | undefined
  for (const { tempos } of files) {
    for (const bpm of tempos) range = range ? [Math.min(range[0], bpm), Math.max(range[1], bpm)] : [bpm, bpm]
  }
  return range ?? [DEFAULT_BPM, DEFAULT_BPM]
}

/**
 * Reads the files under `folder` with `task` (fileReader.ts), file by file, so that memory holds what the
 * task keeps of each file, not the folder. With `hashes`, each readable file's name and bytes go into the
 * training or the held-out one.
 */
async function readLibrary<K extends 'summarize' | 'encode'>(
  folder: string,
  settings: Settings,
  task: K,
  { onFile, signal, threads }: LoadOptions,
  hashes?: { training: Hash; heldOut: Hash },
): Promise<ReadLibrary<NonNullable<TaskResult<K>>>> {
  const { files, problems } = await findMidiFiles([folder])
  if (problems.length > 0) throw new DatasetError(`${folder}: ${problems[0].error}`)
  if (files.length === 0) throw new DatasetError(`${folder}: no ${MIDI_EXTENSION_NAMES} files in it`)
  const { holdout, seed } = settings.training
  if (holdout > 0 && files.length < 2)
    throw new DatasetError(`${folder}: holding files out needs two or more MIDI files`)
  // Chosen among all the files found, before reading, so a held-out file that is broken is skipped as usual.
  const splitName = (file: string) => relative(folder, file).split(sep).join('/')
  const heldOutNames = chooseHeldOut(files.map(splitName), holdout, seed)

  const { tonesPerStep, output, meter } = settings.model
  // The encode task's options; summarize reads the first of them.
  const options = (file: string): EncodeOptions => ({
    tonesPerStep,
    sampled: output === 'sampled',
    meter,
    sampleWindow: sampleWindow(tonesPerStep),
    realismWindow: DEFAULT_REALISM_WINDOW,
    heldOut: heldOutNames.has(splitName(file)),
  })
  const library: ReadLibrary<NonNullable<TaskResult<K>>> = { read: [], heldOut: [], skipped: [] }
  for await (const result of readFiles(files, task, {
    options: options as (file: string) => TaskOptions<K>,
    onFile,
    keepBytes: hashes !== undefined,
    signal,
    threads,
  })) {
    const { file } = result
    if ('problem' in result) {
      library.skipped.push({ file, error: result.problem })
      continue
    }
    const { value, bytes } = result
    if (hashes)
      (value === null ? hashes.heldOut : hashes.training)
        .update(relative(folder, file))
        .update('\0')
        .update(bytes!)
    if (value === null) library.heldOut.push(file)
    else library.read.push({ file, ...(value as NonNullable<TaskResult<K>>) })
  }
  return library
}

/** What the user is shown of a training set; throws DatasetError when it cannot be trained on. */
function reportOf(
  folder: string,
  { read, heldOut, skipped }: ReadLibrary<Summary>,
  settings: Settings,
): DatasetReport {
  if (read.length === 0) {
    throw new DatasetError(
      `${folder}: no readable MIDI file${heldOut.length > 0 ? ' to train on' : ''} (${skipped.length} skipped: ${skipped[0]?.error})`,
    )
  }
  const { sequenceLength } = settings.training
  if (read.every(({ stepCount }) => stepCount < sequenceLength)) {
    const longest = Math.max(...read.map(({ stepCount }) => stepCount))
    throw new DatasetError(
      `${folder}: no piece has ${sequenceLength} steps (the longest has ${longest}); use a shorter sequence length`,
    )
  }
  return {
    filesRead: read.length + heldOut.length,
    filesSkipped: skipped,
    heldOut,
    notes: read.reduce((total, file) => total + file.notes, 0),
    polyphony: polyphonyOf(read),
    tempoRange: tempoRangeOf(read),
    steps: read.reduce((total, { stepCount }) => total + stepCount, 0),
    sequences: read.reduce((total, { stepCount }) => total + Math.floor(stepCount / sequenceLength), 0),
    corpusStatistics: medianStatistics(read.flatMap(({ sampleWindows }) => sampleWindows)),
  }
}

/**
 * The studio's dataset report of the training set under `folder`, as loadDataset would give it: each file
 * is read for the report alone, so neither its steps nor its bytes are kept.
 */
export async function readDatasetReport(
  folder: string,
  settings: Settings,
  options: LoadOptions = {},
): Promise<DatasetReport> {
  return reportOf(folder, await readLibrary(folder, settings, 'summarize', options), settings)
}

/**
 * Reads the training set under `folder`, file by file: what is kept of each file is its steps as the
 * model stores them and a few counts, so memory grows with the steps, not with the folder.
 */
export async function loadDataset(
  folder: string,
  settings: Settings,
  options: LoadOptions = {},
): Promise<Dataset> {
  // Held-out files have a part of their own, appended only when there are any: without them the
  // fingerprint is what it was before held-out files existed, so older checkpoints still resume.
  const hashes = { training: createHash('sha256'), heldOut: createHash('sha256') }
  const library = await readLibrary(folder, settings, 'encode', options, hashes)
  const report = reportOf(folder, library, settings)
  const { read, heldOut } = library
  const normalization = normalizationOf(read.map(({ moments }) => moments))
  // A sampling model's steps come as classes already; the paper's are normalized now that all are read.
  const stored = ({ steps }: Encoded) =>
    steps instanceof Float32Array ? steps : encodeValues(steps, normalization)
  if (heldOut.length > 0) hashes.training.update('\0held out\0').update(hashes.heldOut.digest())
  const rhythm = rhythmReference(read.map(({ barWindows }) => barWindows))
  return {
    report,
    trainingFiles: read.map(({ file }) => file),
    fingerprint: hashes.training.digest('hex'),
    normalization,
    width: storedWidth(settings.model),
    pieces: read.filter(({ stepCount }) => stepCount >= settings.training.sequenceLength).map(stored),
    slotPresence: slotPresence(read.map(({ slots }) => slots)),
    realism: trainingReference(read.flatMap(({ realismWindows }) => realismWindows)),
    rhythm,
    collapse: collapseRanges(
      read.flatMap(({ loopWindows }) => loopWindows),
      rhythm?.values.on_grid ?? [],
    ),
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
