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

/**
 * The realism distance of `generated` to `real`, both cut into windows of `window` tones. Throws when a set
 * has no full window, or when the real set does not vary in a statistic (the distance would divide by 0).
 */
export function realismDistance(
  generated: readonly (readonly Tone[])[],
  real: readonly (readonly Tone[])[],
  window = DEFAULT_REALISM_WINDOW,
): RealismReport {
  const generatedStatistics = windowsOf(generated, window)
  const realStatistics = windowsOf(real, window)
  if (generatedStatistics.length === 0) {
    throw new Error(
      `The generated set has no piece with at least ${window} tones, so nothing can be compared.`,
    )
  }
  if (realStatistics.length === 0) {
    throw new Error(`The real set has no piece with at least ${window} tones, so nothing can be compared.`)
  }
  const perStatistic = {} as Record<RealismStatisticName, StatisticDistance>
  for (const name of REALISM_STATISTIC_NAMES) {
    const realValues = realStatistics.map((statistics) => statistics[name])
    const realIqr = interquartileRange(realValues)
    if (realIqr === 0) {
      throw new Error(
        `The real set does not vary in ${name} (interquartile range 0 over ${realValues.length} windows of ` +
          `${window} tones); use more real pieces.`,
      )
    }
    const generatedMedian = median(generatedStatistics.map((statistics) => statistics[name]))
    const realMedian = median(realValues)
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
    realWindows: realStatistics.length,
    perStatistic,
  }
}
