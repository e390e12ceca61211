// Runs anywhere. How much two sets of values are distributed alike: the overlapping area of their Gaussian
// kernel densities (mgeval, Yang & Lerch 2020), 1 when they are the same and 0 when they never meet. Used
// per statistic of model.md sec. 5b, generated windows against real ones.
import { interquartileRange } from './summary'

/** Kernels are cut off this many bandwidths out, where less than 1e-6 of their mass is left. */
const KERNEL_REACH = 5
/** Grid points a bandwidth: the trapezoid rule is then exact to about 1e-4. */
const POINTS_PER_BANDWIDTH = 10
/** At most this many grid points, whatever the spread of the sets. */
const MAX_POINTS = 1 << 16

/** Sample standard deviation (n − 1), 0 for fewer than two values. */
function sampleDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length
  return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1))
}

/**
 * Silverman's rule of thumb, 0.9 · min(σ, IQR / 1.34) · n^(−1/5), as R's bw.nrd0: σ alone where the IQR is
 * 0 (a statistic that is mostly one value). 0 when the values do not vary at all.
 */
export function silvermanBandwidth(values: readonly number[]): number {
  const deviation = sampleDeviation(values)
  if (deviation === 0) return 0
  const robust = Math.min(deviation, interquartileRange(values) / 1.34)
  return 0.9 * (robust > 0 ? robust : deviation) * values.length ** -0.2
}

/** The smallest and largest of `values`, without spreading them into arguments (a library has many). */
function extent(values: readonly number[]): [number, number] {
  let [min, max] = [Infinity, -Infinity]
  for (const value of values) [min, max] = [Math.min(min, value), Math.max(max, value)]
  return [min, max]
}

/** Adds the kernel density of `values` (bandwidth `h`) to `density`, sampled at x0 + i·dx. */
function addDensity(density: Float64Array, values: readonly number[], h: number, x0: number, dx: number) {
  const scale = 1 / (values.length * h * Math.sqrt(2 * Math.PI))
  for (const value of values) {
    const first = Math.max(0, Math.ceil((value - KERNEL_REACH * h - x0) / dx))
    const last = Math.min(density.length - 1, Math.floor((value + KERNEL_REACH * h - x0) / dx))
    for (let i = first; i <= last; i++)
      density[i] += scale * Math.exp(-0.5 * ((x0 + i * dx - value) / h) ** 2)
  }
}

/**
 * The area under the smaller of the two sets' kernel densities, by the trapezoid rule over their whole
 * extent, each set with its Silverman bandwidth. A set that does not vary borrows the other's bandwidth (a
 * point mass has no density to compare); two that do not vary overlap fully when equal, else not at all.
 */
export function overlappingArea(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) throw new RangeError('overlapping area of an empty set')
  const [ownA, ownB] = [silvermanBandwidth(a), silvermanBandwidth(b)]
  if (ownA === 0 && ownB === 0) return a[0] === b[0] ? 1 : 0
  const [hA, hB] = [ownA || ownB, ownB || ownA]
  const reach = KERNEL_REACH * Math.max(hA, hB)
  const [[minA, maxA], [minB, maxB]] = [extent(a), extent(b)]
  const x0 = Math.min(minA, minB) - reach
  const width = Math.max(maxA, maxB) + reach - x0
  const points = Math.min(MAX_POINTS, Math.ceil((width / Math.min(hA, hB)) * POINTS_PER_BANDWIDTH) + 1)
  const dx = width / (points - 1)
  const [densityA, densityB] = [new Float64Array(points), new Float64Array(points)]
  addDensity(densityA, a, hA, x0, dx)
  addDensity(densityB, b, hB, x0, dx)
  let area = 0
  for (let i = 0; i < points; i++) {
    const weight = i === 0 || i === points - 1 ? 0.5 : 1
    area += weight * Math.min(densityA[i], densityB[i])
  }
  return Math.min(1, area * dx)
}
