// Runs under vitest (Node). The longest copied run, by hand on small cases and against a brute force.

import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../../../test/seededRandom'

import { longestCopiedRun } from './memorization'

const NONE = { length: 0, trainingIndex: -1, trainingStart: -1, generatedStart: -1 }

describe('longestCopiedRun', () => {
  it('finds a known shared run', () => {
    // generated 1 2 3 4 5 6 7; piece 0 shares 3 4 5 (length 3); piece 1 = 0 [2 3 4 5 6] 0 shares 2..6,
    // length 5, starting at 1 in piece 1 and at 1 in the generated sequence.
    const run = longestCopiedRun(
      [1, 2, 3, 4, 5, 6, 7],
      [
        [9, 9, 3, 4, 5, 9],
        [0, 2, 3, 4, 5, 6, 0],
      ],
    )
    expect(run).toEqual({ length: 5, trainingIndex: 1, trainingStart: 1, generatedStart: 1 })
  })

  it('finds a run that is the whole generated sequence or a later part of it', () => {
    expect(longestCopiedRun([64, 65], [[1, 2, 64, 65, 3]])).toEqual({
      length: 2,
      trainingIndex: 0,
      trainingStart: 2,
      generatedStart: 0,
    })
    // generated 60 60 61 62 and training 7 60 61 62 share 60 61 62, which starts at 1 in both.
    expect(longestCopiedRun([60, 60, 61, 62], [[7, 60, 61, 62]])).toEqual({
      length: 3,
      trainingIndex: 0,
      trainingStart: 1,
      generatedStart: 1,
    })
  })

  it('never lets a run span two training pieces', () => {
    // joined, the pieces would read 5 1 2 3 4 6 and share all of 1 2 3 4; apart, the best is 2.
    // Piece 0 gives 1 2 (ends first), piece 1 ties with 3 4, so the first found, piece 0, is kept.
    const run = longestCopiedRun(
      [1, 2, 3, 4],
      [
        [5, 1, 2],
        [3, 4, 6],
      ],
    )
    expect(run).toEqual({ length: 2, trainingIndex: 0, trainingStart: 1, generatedStart: 0 })
  })

  it('returns length 0 and indices -1 when nothing is shared', () => {
    expect(longestCopiedRun([60, 62, 64], [[61, 63], [65]])).toEqual(NONE)
    expect(longestCopiedRun([], [[60]])).toEqual(NONE)
    expect(longestCopiedRun([60], [])).toEqual(NONE)
    expect(longestCopiedRun([60], [[]])).toEqual(NONE)
  })

  it('agrees with a brute force on random small sequences', () => {
    const random = mulberry32(12345)
    for (let trial = 0; trial < 500; trial++) {
      const alphabet = 1 + Math.floor(random() * 4)
      const draw = (n: number) => Array.from({ length: n }, () => 60 + Math.floor(random() * alphabet))
      const generated = draw(Math.floor(random() * 25))
      const training = Array.from({ length: Math.floor(random() * 4) }, () => draw(Math.floor(random() * 25)))
      const run = longestCopiedRun(generated, training)
      expect(run.length).toBe(bruteLongest(generated, training))
      if (run.length === 0) {
        expect(run).toEqual(NONE)
      } else {
        // The reported places really hold the same run.
        const copied = training[run.trainingIndex].slice(run.trainingStart, run.trainingStart + run.length)
        expect(copied).toEqual(generated.slice(run.generatedStart, run.generatedStart + run.length))
        expect(copied).toHaveLength(run.length)
      }
    }
  })

  it('finds a run planted among 32 generated pieces and a million training pitches', () => {
    const random = mulberry32(99)
    const training = Array.from({ length: 1000 }, () =>
      Array.from({ length: 1000 }, () => 48 + Math.floor(random() * 24)),
    )
    // Plant a 40-pitch copy of training piece 500 (from 300) in the first generated piece, at 100.
    const generated = Array.from({ length: 32 }, () =>
      Array.from({ length: 256 }, () => 48 + Math.floor(random() * 24)),
    )
    generated[0].splice(100, 40, ...training[500].slice(300, 340))
    const runs = generated.map((pitches) => longestCopiedRun(pitches, training))
    expect(runs[0].length).toBeGreaterThanOrEqual(40)
    expect(runs[0].trainingIndex).toBe(500)
    expect(runs[0].generatedStart).toBeLessThanOrEqual(100)
    // Random pitches over 24 values share only short runs (expected longest about log24(256 * 1e6) = 8).
    for (const run of runs.slice(1)) expect(run.length).toBeLessThan(15)
  })
})

/** O(n^2 m): every start in the generated sequence against every start in every training piece. */
function bruteLongest(generated: readonly number[], training: readonly (readonly number[])[]): number {
  let best = 0
  for (let g = 0; g < generated.length; g++) {
    for (const piece of training) {
      for (let t = 0; t < piece.length; t++) {
        let k = 0
        while (g + k < generated.length && t + k < piece.length && generated[g + k] === piece[t + k]) k++
        best = Math.max(best, k)
      }
    }
  }
  return best
}
