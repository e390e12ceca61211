// Node (engine). A generated set against real pieces by the measures of model.md sec. 5b, window by window
// of bars: per statistic the medians and the overlapping area of the two distributions, and the classifier
// two-sample test with its floor, one half of the real pieces against the other. `cadenza eval` prints it;
// training can measure an epoch's output with it.
import { overlappingArea } from '../shared/music/densityOverlap'
import {
  WINDOW_STATISTIC_NAMES,
  windowVector,
  type WindowStatisticName,
  type WindowStatistics,
} from '../shared/music/rhythm'
import { mean, median } from '../shared/music/summary'
import { classifierTwoSampleTest, type TwoSampleTestOptions, type TwoSampleTestResult } from './twoSampleTest'

/** A set of pieces, each as the statistics of its windows of bars (rhythm.ts). */
export type PieceWindows = readonly (readonly WindowStatistics[])[]

export interface StatisticOverlap {
  generatedMedian: number
  realMedian: number
  /** Means too: a fraction such as on_grid is often 1 in most windows, where the median cannot move. */
  generatedMean: number
  realMean: number
  /** The overlapping area of the two sets' kernel densities: 1 when distributed alike. */
  overlap: number
}

export interface WindowComparison {
  generatedWindows: number
  realWindows: number
  perStatistic: Record<WindowStatisticName, StatisticOverlap>
  /** Generated windows against real ones; null when a set has fewer than two pieces with windows. */
  classifier: TwoSampleTestResult | null
  /** Every other real piece against the rest, the figure of sets that are alike; null as above. */
  realAgainstReal: TwoSampleTestResult | null
}

/** Each window as the classifier reads it. */
const featuresOf = (pieces: PieceWindows) => pieces.map((windows) => windows.map(windowVector))

/** The real pieces with windows, split by piece into two halves: every other one, in the given order. */
function halves(real: PieceWindows): [PieceWindows, PieceWindows] {
  const measured = real.filter((windows) => windows.length > 0)
  return [measured.filter((_, i) => i % 2 === 0), measured.filter((_, i) => i % 2 === 1)]
}

/** Compares `generated` with `real`. Throws when either set has no window. */
export async function compareWindows(
  generated: PieceWindows,
  real: PieceWindows,
  options: TwoSampleTestOptions = {},
): Promise<WindowComparison> {
  const [generatedWindows, realWindows] = [generated.flat(), real.flat()]
  for (const [windows, set] of [
    [generatedWindows, 'generated'],
    [realWindows, 'real'],
  ] as const) {
    if (windows.length === 0) throw new Error(`The ${set} set has no window of whole bars to measure.`)
  }
  const perStatistic = {} as Record<WindowStatisticName, StatisticOverlap>
  for (const name of WINDOW_STATISTIC_NAMES) {
    const [ofGenerated, ofReal] = [generatedWindows, realWindows].map((windows) =>
      windows.map((w) => w[name]),
    )
    perStatistic[name] = {
      generatedMedian: median(ofGenerated),
      realMedian: median(ofReal),
      generatedMean: mean(ofGenerated),
      realMean: mean(ofReal),
      overlap: overlappingArea(ofGenerated, ofReal),
    }
  }
  const [half1, half2] = halves(real)
  return {
    generatedWindows: generatedWindows.length,
    realWindows: realWindows.length,
    perStatistic,
    classifier: await classifierTwoSampleTest(featuresOf(generated), featuresOf(real), options),
    realAgainstReal: await classifierTwoSampleTest(featuresOf(half1), featuresOf(half2), options),
  }
}
