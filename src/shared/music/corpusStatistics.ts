// Runs anywhere. The medians of the paper's Figure 3 statistics (model.md sec. 5): over an epoch's sample
// pieces, and over the training corpus cut into windows as long as a sample (each piece on its own, as the
// dataset reads it), so the two compare like for like.
import { STATISTIC_NAMES, type Statistics } from './statistics'
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
