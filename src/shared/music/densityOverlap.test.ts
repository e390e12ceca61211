// Runs under vitest (Node). The overlapping area of kernel densities, against values known in closed form.
import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../../../test/seededRandom'
import { overlappingArea, silvermanBandwidth } from './densityOverlap'

/** `n` draws from a normal distribution (Box-Muller), repeatable. */
function normal(n: number, mean: number, seed: number): number[] {
  const random = mulberry32(seed)
  return Array.from({ length: n }, () => {
    const [u, v] = [1 - random(), random()]
    return mean + Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  })
}

describe('silvermanBandwidth', () => {
  it('takes the smaller of the deviation and IQR / 1.34, as R’s bw.nrd0', () => {
    // 1..5: deviation 1.581, IQR 2 (2 to 4), so IQR / 1.34 = 1.493 is the smaller.
    expect(silvermanBandwidth([1, 2, 3, 4, 5])).toBeCloseTo(0.9 * (2 / 1.34) * 5 ** -0.2, 12)
    // Mostly zeros: the IQR is 0, so the deviation (√0.2) stands in.
    expect(silvermanBandwidth([0, 0, 0, 0, 1])).toBeCloseTo(0.9 * Math.sqrt(0.2) * 5 ** -0.2, 12)
  })

  it('is 0 for values that do not vary', () => {
    expect(silvermanBandwidth([3, 3, 3])).toBe(0)
    expect(silvermanBandwidth([3])).toBe(0)
  })
})

describe('overlappingArea', () => {
  it('is 1 for a set against itself, whatever its shape', () => {
    const skewed = normal(500, 0, 1).map(Math.exp)
    expect(overlappingArea(skewed, skewed)).toBeCloseTo(1, 3)
    expect(overlappingArea([1, 2, 2, 3, 7], [1, 2, 2, 3, 7])).toBeCloseTo(1, 3)
  })

  it('is 2Φ(−1/2) for two unit normals one apart (widened a little by the kernels)', () => {
    const area = overlappingArea(normal(4000, 0, 2), normal(4000, 1, 3))
    expect(area).toBeGreaterThan(0.6)
    expect(area).toBeLessThan(0.645) // 0.617 for the distributions, 0.622 with kernels of 0.17
  })

  it('is symmetric, and about 0 for sets far apart', () => {
    const [a, b] = [normal(300, 0, 4), normal(300, 0.5, 5)]
    expect(overlappingArea(a, b)).toBeCloseTo(overlappingArea(b, a), 12)
    expect(overlappingArea(a, normal(300, 20, 6))).toBeLessThan(1e-6)
  })

  it('compares a set that does not vary with the other’s bandwidth', () => {
    const zeros = new Array<number>(100).fill(0)
    const mostlyZeros = [...new Array<number>(90).fill(0), ...new Array<number>(10).fill(0.75)]
    const area = overlappingArea(zeros, mostlyZeros)
    expect(area).toBeGreaterThan(0.85) // nine tenths of the mass lies where all of the other's does
    expect(area).toBeLessThan(0.95)
    expect(overlappingArea([2, 2], [2, 2, 2])).toBe(1)
    expect(overlappingArea([2, 2], [3, 3])).toBe(0)
  })
})
