import { describe, expect, it } from 'vitest'
import {
  collapseFigures,
  collapseRanges,
  findCollapse,
  PINNED_STEPS,
  PinnedAccuracy,
  type CollapseRanges,
} from './collapse'

const ranges: CollapseRanges = {
  distinct_pitches: [38, 71],
  longest_loop: [0, 24],
  notes_per_onset: [1, 2.5],
  on_grid: [0.6, 1],
}

describe('collapseRanges and collapseFigures', () => {
  it("take the training pieces' 2nd to 98th percentile, and the median of G's windows", () => {
    const loops = Array.from({ length: 101 }, (_, i) => ({
      distinct_pitches: i,
      longest_loop: 2 * i,
      notes_per_onset: 1,
    }))
    expect(collapseRanges(loops, [0.5, 1])).toEqual({
      distinct_pitches: [2, 98],
      longest_loop: [4, 196],
      notes_per_onset: [1, 1],
      on_grid: [0.51, 0.99],
    })
    expect(collapseRanges([], [])).toEqual({})
    // One key struck 200 times, on the beat: a window of 200 tones, and two windows of bars.
    const tones = Array.from({ length: 200 }, (_, i) => ({ onset: i, pitch: 60, velocity: 64 }))
    const bars = [{ on_grid: 1 }, { on_grid: 0.5 }] as unknown as Parameters<typeof collapseFigures>[1]
    expect(collapseFigures([tones, tones.slice(1)], bars)).toEqual({
      distinct_pitches: 1,
      longest_loop: 200,
      notes_per_onset: 1,
      on_grid: 0.75,
    })
  })
})

describe('findCollapse', () => {
  const healthy = { distinct_pitches: 45, longest_loop: 6, notes_per_onset: 1.4, on_grid: 0.9 }

  it('names the first measure out of the range on the side a collapse falls, with the range', () => {
    expect(findCollapse(healthy, ranges)).toBeNull()
    expect(findCollapse({ ...healthy, distinct_pitches: 3 }, ranges)).toBe(
      '3 distinct pitches in 200 tones (training pieces 38-71)',
    )
    expect(findCollapse({ ...healthy, longest_loop: 180 }, ranges)).toBe(
      '180 tones in one loop (training pieces 0-24)',
    )
    expect(findCollapse({ ...healthy, notes_per_onset: 9.5 }, ranges)).toBe(
      '9.50 notes per onset (training pieces 1.00-2.50)',
    )
    expect(findCollapse({ ...healthy, on_grid: 0.2 }, ranges)).toBe(
      '0.20 of onsets on the sixteenth grid (training pieces 0.60-1.00)',
    )
    // More pitches, shorter loops or more onsets on the grid than the pieces is no collapse.
    expect(
      findCollapse({ distinct_pitches: 88, longest_loop: 0, notes_per_onset: 1, on_grid: 1 }, ranges),
    ).toBeNull()
    // A tenth of the range's width is noise.
    expect(findCollapse({ ...healthy, distinct_pitches: 35 }, ranges)).toBeNull()
  })

  it('stops a G that began outside a range only where it lies twice as far out', () => {
    const before = { ...healthy, on_grid: 0.4, notes_per_onset: 3 }
    expect(findCollapse({ ...healthy, on_grid: 0.2, notes_per_onset: 3.5 }, ranges, before)).toBeNull()
    expect(findCollapse({ ...healthy, on_grid: 0.1 }, ranges, before)).toMatch(/^0.10 of onsets/)
    expect(findCollapse({ ...healthy, notes_per_onset: 3.8 }, ranges, before)).toMatch(/^3.80 notes/)
    // A measure neither side could take is not judged.
    expect(findCollapse({ distinct_pitches: 3 }, { on_grid: [0.6, 1] })).toBeNull()
  })
})

describe('PinnedAccuracy', () => {
  it("says so once D's accuracy stayed at 1 (or 0) for PINNED_STEPS steps in a row", () => {
    const pinned = new PinnedAccuracy()
    for (let step = 1; step < PINNED_STEPS; step++) pinned.add(1)
    expect(pinned.collapse).toBeNull()
    pinned.add(0.75)
    for (let step = 1; step < PINNED_STEPS; step++) pinned.add(0)
    pinned.add(1)
    expect(pinned.collapse).toBeNull()
    for (let step = 1; step < PINNED_STEPS; step++) pinned.add(1)
    expect(pinned.collapse).toBe(`D's accuracy at 1 for ${PINNED_STEPS} steps in a row`)
  })
})
