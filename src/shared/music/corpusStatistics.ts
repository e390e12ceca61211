// Runs anywhere. The medians of the paper's Figure 3 statistics (model.md sec. 5): over an epoch's sample
// pieces, and over the training corpus cut into windows as long as a sample, so the two compare like for like.
import { STATISTIC_NAMES, windowedStatistics, type Statistics, type Tone } from './statistics'
import { median } from './summary'

/** Steps of each sample piece that training generates after an epoch. */
export const SAMPLE_STEPS = 128

/** The tones a sample piece holds: each of its steps has `tonesPerStep` of them. */
export const sampleWindow = (tonesPerStep: number) => SAMPLE_STEPS * tonesPerStep

/** Each statistic's median over `all`, leaving out the pieces that had none; null when none had any. */
export function medianStatistics(all: readonly (Statistics | null)[]): Statistics | null {
  const present = all.filter((statistics): statistics is Statistics => statistics !== null)
  if (present.length === 0) return null
  return Object.fromEntries(
    STATISTIC_NAMES.map((name) => [name, median(present.map((s) => s[name]))]),
  ) as Statistics
}

/**
 * The medians over every window of `window` tones of every piece, each piece cut on its own (no window spans
 * two); null when no piece is that long.
 */
export function corpusStatistics(pieces: readonly (readonly Tone[])[], window: number): Statistics | null {
  const windows: Statistics[] = []
  for (const tones of pieces)
    for (const statistics of windowedStatistics(tones, window)) windows.push(statistics)
  return medianStatistics(windows)
}
