// Runs anywhere. Order statistics (quantiles, median, interquartile range) and the mean for the statistics
// report and the realism distance (model.md sec. 5), matching numpy's defaults so numbers agree with the
// Python tooling.

/**
 * The q-quantile of `values` (0 <= q <= 1), by linear interpolation between order statistics: with the
 * values sorted ascending as x[0..n-1], h = (n - 1) * q, the result is x[floor(h)] + (h - floor(h)) *
 * (x[floor(h) + 1] - x[floor(h)]). This is numpy's default ('linear') and R's type 7.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile of an empty list of values')
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile level must lie in [0, 1], got ${q}`)
  const sorted = [...values].sort((a, b) => a - b)
  const h = (sorted.length - 1) * q
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, sorted.length - 1)
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo])
}

/** The 0.5-quantile. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5)
}

/** The arithmetic mean. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean of an empty list of values')
  return values.reduce((total, value) => total + value, 0) / values.length
}

/** q75 - q25, both by `quantile`'s interpolation. */
export function interquartileRange(values: readonly number[]): number {
  return quantile(values, 0.75) - quantile(values, 0.25)
}
