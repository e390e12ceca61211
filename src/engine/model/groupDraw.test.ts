import { describe, expect, it } from 'vitest'
import { drawGroups } from './groupDraw'
import { CLASS_COUNTS, GROUP_OFFSETS, TONE_WIDTH } from './toneClasses'

/** Two rows of one tone each: row 0 rises within every group, row 1 is flat (every value equal). */
const RISING = Array.from({ length: TONE_WIDTH }, (_, c) => c)
const VALUES = new Float32Array([...RISING, ...RISING.map(() => 0.5)])

describe('drawGroups', () => {
  it("marks each group's largest value, the first of equal ones, and says where the ones are", () => {
    const { oneHot, ones, softmax } = drawGroups(VALUES, TONE_WIDTH, false)
    const lasts = GROUP_OFFSETS.map((start, g) => start + CLASS_COUNTS[g] - 1)
    expect(Array.from(ones.columns)).toEqual([...lasts, ...GROUP_OFFSETS])
    expect(ones.perRow).toBe(CLASS_COUNTS.length)
    const marked = Array.from(oneHot).flatMap((value, at) => (value === 1 ? [at] : []))
    expect(marked).toEqual([...lasts, ...GROUP_OFFSETS.map((start) => TONE_WIDTH + start)])
    expect(oneHot.reduce((a, b) => a + b, 0)).toBe(2 * CLASS_COUNTS.length)
    expect(softmax).toBeUndefined()
  })

  it("gives each group's softmax when asked", () => {
    const { softmax } = drawGroups(VALUES, TONE_WIDTH, true)
    GROUP_OFFSETS.forEach((start, g) => {
      const count = CLASS_COUNTS[g]
      const rising = Array.from(softmax!.subarray(start, start + count))
      const flat = Array.from(softmax!.subarray(TONE_WIDTH + start, TONE_WIDTH + start + count))
      const total = rising.reduce((a, b) => a + b, 0)
      expect(total).toBeCloseTo(1, 5)
      // Values one apart: each class e times as likely as the one before it.
      expect(rising[count - 1] / rising[count - 2]).toBeCloseTo(Math.E, 4)
      flat.forEach((p) => expect(p).toBeCloseTo(1 / count, 6))
    })
  })
})
