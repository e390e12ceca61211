// Runs anywhere. The realism distance of model.md sec. 5: how far a set of generated pieces lies from a real
// corpus, statistic by statistic, in units of the real corpus's own spread. Lower is better.

import { interquartileRange, median } from './summary'
import {
  STATISTIC_NAMES,
  windowedStatistics,
  type StatisticName,
  type Statistics,
  type Tone,
} from './statistics'

/** Every statistic but num_tones, which the windowing makes the same for all windows. */
export type RealismStatisticName = Exclude<StatisticName, 'num_tones'>

export const REALISM_STATISTIC_NAMES = STATISTIC_NAMES.filter(
  (name): name is RealismStatisticName => name !== 'num_tones',
)

export const DEFAULT_REALISM_WINDOW = 200

export interface StatisticDistance {
  generatedMedian: number
  realMedian: number
  realIqr: number
  /** |generatedMedian - realMedian| / realIqr */
  distance: number
}

export interface RealismReport {
  /** Mean of the six per-statistic distances. */
  distance: number
  window: number
  generatedWindows: number
  realWindows: number
  perStatistic: Record<RealismStatisticName, StatisticDistance>
}

/** Windows of every piece, each piece cut separately so that no window spans two pieces. */
function windowsOf(pieces: readonly (readonly Tone[])[], window: number): Statistics[] {
  return pieces.flatMap((tones) => windowedStatistics(tones, window))
}

/** The real set's side of the distance: each statistic's median and spread over its windows. */
export interface RealismReference {
  window: number
  windows: number
  statistics: Record<RealismStatisticName, { median: number; iqr: number }>
}

/**
 * `real` cut into windows of `window` tones, as a reference to measure generated sets against. Throws when
 * it has no full window, or does not vary in a statistic (every distance would divide by 0).
 */
export function realismReference(
  real: readonly (readonly Tone[])[],
  window = DEFAULT_REALISM_WINDOW,
): RealismReference {
  return referenceOfWindows(windowsOf(real, window), window)
}

/** realismReference from the statistics of the real set's windows, measured piece by piece. */
export function referenceOfWindows(realStatistics: readonly Statistics[], window: number): RealismReference {
  if (realStatistics.length === 0) {
    throw new Error(`The real set has no piece with at least ${window} tones, so nothing can be compared.`)
  }
  const statistics = {} as RealismReference['statistics']
  for (const name of REALISM_STATISTIC_NAMES) {
    const values = realStatistics.map((windowStatistics) => windowStatistics[name])
    const iqr = interquartileRange(values)
    if (iqr === 0) {
      throw new Error(
        `The real set does not vary in ${name} (interquartile range 0 over ${values.length} windows of ` +
          `${window} tones); use more real pieces.`,
      )
    }
    statistics[name] = { median: median(values), iqr }
  }
  return { window, windows: realStatistics.length, statistics }
}

/** The realism distance of `generated` to a real set. Throws when `generated` has no full window. */
export function realismAgainst(
  generated: readonly (readonly Tone[])[],
  reference: RealismReference,
): RealismReport {
  return realismOfWindows(windowsOf(generated, reference.window), reference)
}

/** realismAgainst from the statistics of the generated set's windows, measured piece by piece. */
export function realismOfWindows(
  generatedStatistics: readonly Statistics[],
  reference: RealismReference,
): RealismReport {
  const { window } = reference
  if (generatedStatistics.length === 0) {
    throw new Error(
      `The generated set has no piece with at least ${window} tones, so nothing can be compared.`,
    )
  }
  const perStatistic = {} as Record<RealismStatisticName, StatisticDistance>
  for (const name of REALISM_STATISTIC_NAMES) {
    const { median: realMedian, iqr: realIqr } = reference.statistics[name]
    const generatedMedian = median(generatedStatistics.map((statistics) => statistics[name]))
    perStatistic[name] = {
      generatedMedian,
      realMedian,
      realIqr,
      distance: Math.abs(generatedMedian - realMedian) / realIqr,
    }
  }
  const distances = REALISM_STATISTIC_NAMES.map((name) => perStatistic[name].distance)
  return {
    distance: distances.reduce((sum, d) => sum + d, 0) / distances.length,
    window,
    generatedWindows: generatedStatistics.length,
    realWindows: reference.windows,
    perStatistic,
  }
}

/**
 * The realism distance of `generated` to `real`, both cut into windows of `window` tones. Throws when a set
 * has no full window, or when the real set does not vary in a statistic (the distance would divide by 0).
 */
export function realismDistance(
  generated: readonly (readonly Tone[])[],
  real: readonly (readonly Tone[])[],
  window = DEFAULT_REALISM_WINDOW,
): RealismReport {
  return realismAgainst(generated, realismReference(real, window))
}
