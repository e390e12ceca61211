// Runs under vitest (Node). Checks the quantiles against numpy's default (linear) method, worked by hand.

import { describe, expect, it } from 'vitest'

import { interquartileRange, mean, median, quantile } from './summary'

describe('quantile', () => {
  it('interpolates between order statistics like numpy', () => {
    // [1,2,3,4], q=0.25: h = 3 * 0.25 = 0.75 -> 1 + 0.75 * (2 - 1) = 1.75
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12)
    // q=0.75: h = 2.25 -> 3 + 0.25 * (4 - 3) = 3.25
    expect(quantile([1, 2, 3, 4], 0.75)).toBeCloseTo(3.25, 12)
    // [10,20,40], q=0.6: h = 2 * 0.6 = 1.2 -> 20 + 0.2 * (40 - 20) = 24
    expect(quantile([10, 20, 40], 0.6)).toBeCloseTo(24, 12)
  })

  it('sorts its input without changing it', () => {
    const values = [4, 1, 3, 2]
    // sorted [1,2,3,4], q=0.25 -> 1.75 as above
    expect(quantile(values, 0.25)).toBeCloseTo(1.75, 12)
    expect(values).toEqual([4, 1, 3, 2])
  })

  it('returns the extremes at q=0 and q=1 and the value itself for one value', () => {
    expect(quantile([5, -2, 9], 0)).toBe(-2)
    expect(quantile([5, -2, 9], 1)).toBe(9)
    expect(quantile([7], 0.3)).toBe(7)
  })

  it('throws on an empty list and on a level outside [0, 1]', () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError)
    expect(() => quantile([1, 2], 1.5)).toThrow(RangeError)
    expect(() => quantile([1, 2], Number.NaN)).toThrow(RangeError)
  })
})

describe('mean', () => {
  it('is the sum over the count, and refuses no values', () => {
    expect(mean([1, 2, 6])).toBe(3)
    expect(mean([0.5])).toBe(0.5)
    expect(() => mean([])).toThrow(RangeError)
  })
})

describe('median', () => {
  it('averages the two middle values of an even count', () => {
    // [1,2,3,4]: h = 1.5 -> 2 + 0.5 * 1 = 2.5
    expect(median([4, 3, 2, 1])).toBeCloseTo(2.5, 12)
    expect(median([3, 1, 2])).toBe(2)
  })
})

describe('interquartileRange', () => {
  it('is q75 - q25', () => {
    // [1,2,3,4]: 3.25 - 1.75 = 1.5
    expect(interquartileRange([1, 2, 3, 4])).toBeCloseTo(1.5, 12)
    // [0,20,40,60]: q25 h=0.75 -> 15, q75 h=2.25 -> 45, IQR 30
    expect(interquartileRange([60, 0, 40, 20])).toBeCloseTo(30, 12)
    expect(interquartileRange([5, 5, 5])).toBe(0)
  })
})
