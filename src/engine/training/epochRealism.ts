// Node (engine). How close an epoch's generator is to the training music: the realism distance (model.md
// sec. 5) of its calibration output, decoded as generation decodes it, to the training pieces. GAN training
// does not improve steadily (an epoch can collapse to a few repeated notes and the next recover), so every
// epoch is measured and the run keeps the generator of the closest one.
import { DEFAULT_DECODE_OPTIONS } from '../../shared/music/decoding'
import {
  DEFAULT_REALISM_WINDOW,
  realismAgainst,
  referenceOfWindows,
  type RealismReference,
} from '../../shared/music/realism'
import { tonesOf, type Statistics } from '../../shared/music/statistics'
import type { Step } from '../../shared/music/steps'
import { calibrationOutput } from './calibration'
import type { Dataset } from '../data/dataset'
import { stepsToPiece } from '../model/encoding'
import type { Generator } from '../model/networks'
import type { StepCodec } from '../model/stepCodec'
import { CANDIDATE_TEMPERATURES } from '../model/temperature'

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
 * The realism distance of `variations` (G's output in real units, one list of steps each) decoded with
 * `intensityThresholds`; null without a reference or when no variation has a full window of tones.
 */
export function epochRealism(
  variations: readonly Step[][],
  intensityThresholds: readonly number[],
  reference: RealismReference | null,
): number | null {
  if (reference === null) return null
  const options = { ...DEFAULT_DECODE_OPTIONS, intensityThresholds }
  const pieces = variations.map((steps) => tonesOf(stepsToPiece(steps, options)))
  if (!pieces.some((tones) => tones.length >= reference.window)) return null
  return realismAgainst(pieces, reference).distance
}

export interface EpochOutput {
  /** G's calibration output at `temperature`, in real units. */
  variations: Step[][]
  intensityThresholds: number[]
  /** The temperature it was generated at: null for the paper's generator, which is measured at 1. */
  temperature: number | null
  realismDistance: number | null
}

/**
 * G's output after an epoch, measured. The paper's generator is measured at temperature 1; a sampling
 * generator at each candidate temperature, keeping the closest to the training pieces.
 */
export async function measureEpoch(
  generator: Generator,
  codec: StepCodec,
  dataset: Dataset,
  seed: number,
): Promise<EpochOutput> {
  const measure = async (temperature: number | null): Promise<EpochOutput> => {
    const variations = await calibrationOutput(generator, codec, seed, temperature ?? 1)
    const intensityThresholds = codec.thresholds(variations.flat(), dataset.slotPresence)
    const realismDistance = epochRealism(variations, intensityThresholds, dataset.realism)
    return { variations, intensityThresholds, temperature, realismDistance }
  }
  if (!generator.sampling) return measure(null)
  const distance = ({ realismDistance }: EpochOutput) => realismDistance ?? Infinity
  const measured: EpochOutput[] = []
  for (const temperature of CANDIDATE_TEMPERATURES) measured.push(await measure(temperature))
  return measured.reduce((best, next) => (distance(next) < distance(best) ? next : best))
}
