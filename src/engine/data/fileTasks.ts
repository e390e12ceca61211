// Node (engine; also inside the file readers' worker threads). What is kept of one MIDI file when a large
// library is read: each task turns a file's bytes into the little that its reader needs (statistics, the
// training steps as the model stores them, counts), so the file's notes are garbage as soon as it is done
// and memory grows with what is kept, not with the folder. Tasks are named, so that a worker can run them.
import { loopMeasures, type LoopMeasures } from '../../shared/music/loops'
import { MidiReadError } from '../../shared/music/midiStructure'
import { midiToPiece } from '../../shared/music/midiToPiece'
import {
  barWindowStatistics,
  DEFAULT_WINDOW_BARS,
  packWindows,
  type WindowStatistics,
} from '../../shared/music/rhythm'
import {
  computeStatistics,
  tonesOf,
  windowedStatistics,
  type Statistics,
} from '../../shared/music/statistics'
import { pieceToSteps, type Step } from '../../shared/music/steps'
import { momentsOf, stepValues, type Moments } from '../model/encoding'
import { stepPositions, withPositions } from '../model/metricPosition'
import { stepsToClasses } from '../model/toneClasses'

/** For each tone slot, in how many of `steps` steps it sounds. */
export interface SlotCounts {
  steps: number
  sounding: number[]
}

export function slotCounts(steps: readonly Step[]): SlotCounts {
  const sounding = Array.from({ length: steps[0]?.length ?? 0 }, () => 0)
  for (const step of steps) step.forEach((tone, j) => (sounding[j] += tone.intensity > 0 ? 1 : 0))
  return { steps: steps.length, sounding }
}

export interface MeasureOptions {
  /** Also the statistics of each run of this many tones. */
  window?: number
  /** Also the pitches in order, for the longest copied run. */
  pitches?: boolean
  /** Also the statistics of each run of this many whole bars (rhythm.ts). */
  bars?: number
}

/** A file as `cadenza eval` measures it. */
export interface Measurement {
  statistics: Statistics
  windows: Statistics[]
  pitches: Uint8Array | null
  barWindows: WindowStatistics[]
}

/** Throws MidiReadError when the file has no tones to measure. */
export function measure(bytes: Uint8Array, { window, pitches, bars }: MeasureOptions): Measurement {
  const piece = midiToPiece(bytes)
  const tones = tonesOf(piece)
  const statistics = computeStatistics(tones)
  if (statistics === null) throw new MidiReadError('no notes to measure')
  return {
    statistics,
    windows: window === undefined ? [] : windowedStatistics(tones, window),
    pitches: pitches ? Uint8Array.from(tones, (tone) => tone.pitch) : null,
    barWindows: bars === undefined ? [] : barWindowStatistics(piece, bars),
  }
}

export interface SummaryOptions {
  tonesPerStep: number
  /** The tones of an epoch's sample piece (corpusStatistics.ts). */
  sampleWindow: number
  /** A held-out file is only checked: it must be readable and have notes. */
  heldOut: boolean
}

/** What the dataset report says of a training file; null for a held-out file. */
export interface Summary {
  notes: number
  /** Distinct onsets, and those at which two or more notes start. */
  onsets: number
  chords: number
  tempos: number[]
  stepCount: number
  sampleWindows: Statistics[]
}

export interface EncodeOptions extends SummaryOptions {
  /** Whether the model samples classes: then steps are stored as classes, else as values to normalize. */
  sampled: boolean
  /** Whether a sampling model's steps are stored with their metric positions (metricPosition.ts). */
  meter: boolean
  /** The window of the realism distance (realism.ts). */
  realismWindow: number
}

/** A training file as the dataset keeps it; null for a held-out file. */
export interface Encoded extends Summary {
  /**
   * [steps x storedWidth]: class numbers for a sampling model, with a meter model's metric positions after
   * each step's, else stepValues (normalized once all are read).
   */
  steps: Float32Array | Float64Array
  moments: Moments
  slots: SlotCounts
  realismWindows: Statistics[]
  /** What a collapse would change of the same windows (loops.ts), for the range training keeps G in. */
  loopWindows: LoopMeasures[]
  /** The statistics of its windows of DEFAULT_WINDOW_BARS bars (rhythm.ts), packed: numbers only. */
  barWindows: Float32Array
}

/** A training file's piece, its steps and tones; null for a held-out one. Throws MidiReadError as below. */
function parse(bytes: Uint8Array, { tonesPerStep, heldOut }: SummaryOptions) {
  const piece = midiToPiece(bytes)
  if (piece.notes.length === 0) throw new MidiReadError('no notes')
  return heldOut ? null : { piece, steps: pieceToSteps(piece, tonesPerStep), tones: tonesOf(piece) }
}

function summaryOf(
  { piece, steps, tones }: NonNullable<ReturnType<typeof parse>>,
  sampleWindow: number,
): Summary {
  const counts = new Map<number, number>()
  for (const note of piece.notes) counts.set(note.onset, (counts.get(note.onset) ?? 0) + 1)
  return {
    notes: piece.notes.length,
    onsets: counts.size,
    chords: [...counts.values()].filter((count) => count >= 2).length,
    tempos: piece.tempos.map((tempo) => tempo.bpm),
    stepCount: steps.length,
    sampleWindows: windowedStatistics(tones, sampleWindow),
  }
}

/** The report's part of encode, for a report that trains nothing. Throws MidiReadError as encode does. */
export function summarize(bytes: Uint8Array, options: SummaryOptions): Summary | null {
  const parsed = parse(bytes, options)
  return parsed && summaryOf(parsed, options.sampleWindow)
}

/** Throws MidiReadError when the file cannot be read or has no notes. */
export function encode(bytes: Uint8Array, options: EncodeOptions): Encoded | null {
  const parsed = parse(bytes, options)
  if (parsed === null) return null
  const { piece, steps, tones } = parsed
  return {
    ...summaryOf(parsed, options.sampleWindow),
    steps: !options.sampled
      ? stepValues(steps)
      : options.meter
        ? withPositions(stepsToClasses(steps), stepPositions(steps, piece.timeSignatures))
        : stepsToClasses(steps),
    moments: momentsOf(steps),
    slots: slotCounts(steps),
    realismWindows: windowedStatistics(tones, options.realismWindow),
    loopWindows: loopMeasures(tones, options.realismWindow),
    barWindows: packWindows(barWindowStatistics(piece, DEFAULT_WINDOW_BARS)),
  }
}

export const FILE_TASKS = { measure, summarize, encode }
export type FileTaskName = keyof typeof FILE_TASKS
export type TaskOptions<K extends FileTaskName> = Parameters<(typeof FILE_TASKS)[K]>[1]
export type TaskResult<K extends FileTaskName> = ReturnType<(typeof FILE_TASKS)[K]>

/** A task's answer as it crosses a thread: a file that cannot be read is an answer, not a failure. */
export type TaskAnswer<K extends FileTaskName> = { value: TaskResult<K> } | { problem: string }

export function runTask<K extends FileTaskName>(
  task: K,
  bytes: Uint8Array,
  options: TaskOptions<K>,
): TaskAnswer<K> {
  try {
    // The table is indexed by K; TypeScript cannot follow a generic key into a union of functions.
    const run = FILE_TASKS[task] as (bytes: Uint8Array, options: TaskOptions<K>) => TaskResult<K>
    return { value: run(bytes, options) }
  } catch (error) {
    if (error instanceof MidiReadError) return { problem: error.message }
    throw error
  }
}
