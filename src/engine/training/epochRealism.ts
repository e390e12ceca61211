// Node (engine). How close an epoch's generator is to the training music: its calibration output, decoded
// as generation decodes it, measured against the training pieces by the realism distance of the paper's
// statistics (model.md sec. 5) and the overlap of the rhythm and dynamics measures (sec. 5b), combined as
// bestEpoch.ts says. GAN training does not improve steadily (an epoch can collapse to a few repeated notes
// and the next recover), so every epoch is measured and the run keeps the generator of the closest one.
import { combinedDistance } from '../../shared/bestEpoch'
import { FEATURES } from '../../shared/checkpointMeta'
import { DEFAULT_DECODE_OPTIONS } from '../../shared/music/decoding'
import {
  DEFAULT_REALISM_WINDOW,
  realismAgainst,
  referenceOfWindows,
  type RealismReference,
} from '../../shared/music/realism'
import { barWindowStatistics, DEFAULT_WINDOW_BARS, type WindowStatistics } from '../../shared/music/rhythm'
import { tonesOf, type Statistics, type Tone } from '../../shared/music/statistics'
import type { Step } from '../../shared/music/steps'
import { calibrationOutput } from './calibration'
import { classifierAccuracy, rhythmOverlap, type RhythmReference } from './epochRhythm'
import type { Dataset } from '../data/dataset'
import { stepsToPiece } from '../model/encoding'
import type { Generator } from '../model/networks'
import type { StepCodec } from '../model/stepCodec'
import {
  CANDIDATE_REPETITIONS,
  CANDIDATE_TEMPERATURES,
  CANDIDATE_VELOCITY_SCALES,
} from '../model/temperature'

/**
 * The training pieces as a reference, from the statistics of their windows of DEFAULT_REALISM_WINDOW tones
 * (each piece cut on its own); null when they are too short or too uniform to measure against.
 */
export function trainingReference(windows: readonly Statistics[]): RealismReference | null {
  try {
    return referenceOfWindows(windows, DEFAULT_REALISM_WINDOW)
  } catch {
    return null
  }
}

/**
 * The realism distance of pieces given by their tones; null without a reference or when no piece has a
 * full window of tones.
 */
export function epochRealism(pieces: readonly Tone[][], reference: RealismReference | null): number | null {
  if (reference === null || !pieces.some((tones) => tones.length >= reference.window)) return null
  return realismAgainst(pieces, reference).distance
}

/** How G's calibration output is drawn. */
export interface Candidate {
  /** Null for the paper's generator, which is measured at 1. */
  temperature: number | null
  /** A sampling generator's temperature scale per value (FEATURES order); null for the paper's. */
  scales: number[] | null
  /** How far a sampling generator's draws lean towards their own figures (figureMemory.ts); 0 for the paper's. */
  repetition: number
}

export interface CandidateOutput extends Candidate {
  /** G's calibration output, in real units. */
  variations: Step[][]
  intensityThresholds: number[]
  realismDistance: number | null
  /** Null without a rhythm reference (training pieces with no whole window of bars). */
  rhythmOverlap: number | null
  /** Each variation's windows of bars (rhythm.ts). */
  windows: WindowStatistics[][]
}

export interface EpochOutput extends CandidateOutput {
  /** At this candidate only, for it is slower than the rest and noisier (twoSampleTest.ts). */
  classifierAccuracy: number | null
}

/** The scales that draw velocities at `velocity` times the temperature and every other value at it. */
export function velocityScales(velocity: number): number[] {
  return FEATURES.map((feature) => (feature === 'intensity' ? velocity : 1))
}

/**
 * Measures `variations` (G's output in real units, one list of steps each) decoded with
 * `intensityThresholds` against the dataset's references.
 */
export function measureOutput(
  candidate: Candidate,
  variations: Step[][],
  intensityThresholds: number[],
  { realism, rhythm }: { realism: RealismReference | null; rhythm: RhythmReference | null },
): CandidateOutput {
  const options = { ...DEFAULT_DECODE_OPTIONS, intensityThresholds }
  // Decoded pieces have no time signature, so their bars are of 4/4, as generation without a meter writes.
  const pieces = variations.map((steps) => stepsToPiece(steps, options))
  const windows = pieces.map((piece) => barWindowStatistics(piece, DEFAULT_WINDOW_BARS))
  return {
    ...candidate,
    variations,
    intensityThresholds,
    realismDistance: epochRealism(pieces.map(tonesOf), realism),
    rhythmOverlap: rhythm && rhythmOverlap(windows.flat(), rhythm),
    windows,
  }
}

/** G's calibration output drawn as `candidate` says, measured. */
export async function measureCandidate(
  generator: Generator,
  codec: StepCodec,
  dataset: Dataset,
  seed: number,
  candidate: Candidate,
): Promise<CandidateOutput> {
  const { temperature, scales, repetition } = candidate
  const variations = await calibrationOutput(
    generator,
    codec,
    seed,
    temperature ?? 1,
    scales ?? undefined,
    repetition,
  )
  const intensityThresholds = codec.thresholds(variations.flat(), dataset.slotPresence)
  return measureOutput(candidate, variations, intensityThresholds, dataset)
}

/** The closest of `outputs` by the combined distance (the first of equals); unmeasured ones come last. */
export function closest<T extends CandidateOutput>(outputs: readonly T[]): T {
  const distance = (output: T) => combinedDistance(output) ?? Infinity
  return outputs.reduce((best, next) => (distance(next) < distance(best) ? next : best))
}

/**
 * The closest of CANDIDATE_TEMPERATURES for `measure`: the middle three, then outward while the closest is
 * at the edge of those measured. Over the candidates the distance falls to one lowest and rises again
 * (docs/model-experiments.md), so the rest need not be measured.
 */
export async function closestTemperature<T extends CandidateOutput>(
  measure: (temperature: number) => Promise<T>,
): Promise<T> {
  const last = CANDIDATE_TEMPERATURES.length - 1
  const measured = new Map<number, T>()
  const at = async (i: number) => void measured.set(i, await measure(CANDIDATE_TEMPERATURES[i]))
  let low = Math.floor(last / 2) - 1
  let high = low + 2
  for (let i = low; i <= high; i++) await at(i)
  for (;;) {
    const best = closest([...measured.values()])
    if (best === measured.get(low) && low > 0) await at(--low)
    else if (best === measured.get(high) && high < last) await at(++high)
    else return best
  }
}

/**
 * G's output after an epoch, measured. The paper's generator is measured at temperature 1. A sampling
 * generator at the closest candidate temperature, then there with velocities drawn hotter (drawn at one
 * low temperature they vary half as much as real playing), then with the closest of those leaning towards
 * its own figures (G alone plays them again a quarter as often as real pieces), keeping the closest
 * candidate.
 */
export async function measureEpoch(
  generator: Generator,
  codec: StepCodec,
  dataset: Dataset,
  seed: number,
): Promise<EpochOutput> {
  const measure = (candidate: Candidate) => measureCandidate(generator, codec, dataset, seed, candidate)
  let chosen: CandidateOutput
  if (!generator.sampling) chosen = await measure({ temperature: null, scales: null, repetition: 0 })
  else {
    const byTemperature = await closestTemperature((temperature) =>
      measure({ temperature, scales: velocityScales(1), repetition: 0 }),
    )
    const { temperature } = byTemperature
    const byVelocity = [byTemperature]
    for (const velocity of CANDIDATE_VELOCITY_SCALES) {
      byVelocity.push(await measure({ temperature, scales: velocityScales(velocity), repetition: 0 }))
    }
    const byRepetition = [closest(byVelocity)]
    const { scales } = byRepetition[0]
    // The figure memory follows one tone a step (drawRules.ts).
    for (const repetition of generator.tonesPerStep === 1 ? CANDIDATE_REPETITIONS : []) {
      byRepetition.push(await measure({ temperature, scales, repetition }))
    }
    chosen = closest(byRepetition)
  }
  const { rhythm } = dataset
  const accuracy =
    rhythm && chosen.windows.flat().length > 0 ? await classifierAccuracy(chosen.windows, rhythm) : null
  return { ...chosen, classifierAccuracy: accuracy }
}
