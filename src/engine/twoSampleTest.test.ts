// Runs under vitest (Node). The classifier two-sample test on sets whose difference is known.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { mulberry32 } from '../../test/seededRandom'
import { classifierTwoSampleTest, useCpuForTwoSampleTests, type WindowsByPiece } from './twoSampleTest'

/** `pieces` pieces of `windows` windows, each of 8 normal features, the first moved by `shift`. */
function set(pieces: number, windows: number, shift: number, seed: number): WindowsByPiece {
  const random = mulberry32(seed)
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
  return Array.from({ length: pieces }, () =>
    Array.from({ length: windows }, () =>
      Array.from({ length: 8 }, (_, i) => normal() + (i === 0 ? shift : 0)),
    ),
  )
}

beforeAll(useCpuForTwoSampleTests)

describe('classifierTwoSampleTest', () => {
  it('cannot tell apart two draws of one distribution', async () => {
    const result = await classifierTwoSampleTest(set(30, 20, 0, 1), set(30, 20, 0, 2))
    expect(result).toMatchObject({ windowsPerSet: 600, folds: 5 })
    expect(Math.abs(result!.accuracy - 0.5)).toBeLessThan(0.05)
  })

  it('tells sets apart as far as their distributions allow', async () => {
    // One feature moved by d: the best any classifier can do is Φ(d / 2), 0.69 for d = 1, 0.93 for 3.
    const accuracy = async (shift: number) =>
      (await classifierTwoSampleTest(set(30, 20, shift, 3), set(30, 20, 0, 4)))!.accuracy
    expect(await accuracy(1)).toBeGreaterThan(0.65)
    expect(await accuracy(1)).toBeLessThan(0.72)
    expect(await accuracy(3)).toBeGreaterThan(0.9)
  })

  it('takes as many windows of each set, the same ones every time, and leaks no tensors', async () => {
    const [large, small] = [set(40, 25, 1, 5), set(12, 30, 0, 6)]
    const before = tf.memory().numTensors
    const first = await classifierTwoSampleTest(large, small)
    expect(tf.memory().numTensors).toBe(before)
    expect(first?.windowsPerSet).toBe(360)
    expect(await classifierTwoSampleTest(large, small)).toEqual(first)
    expect((await classifierTwoSampleTest(large, small, { seed: 'another' }))?.accuracy).not.toBe(
      first?.accuracy,
    )
  })

  it('holds out whole pieces, so it needs two on each side', async () => {
    expect((await classifierTwoSampleTest(set(3, 20, 0, 7), set(10, 20, 0, 8)))?.folds).toBe(3)
    expect(await classifierTwoSampleTest(set(1, 50, 3, 9), set(10, 20, 0, 10))).toBeNull()
    expect(await classifierTwoSampleTest([[], []], set(10, 20, 0, 11))).toBeNull()
  })

  it('measures a piece it never saw: a set of pieces that each differ is told apart only as a set', async () => {
    // Every piece of both sets has its own offset; the sets differ only in feature 0 (Φ(1/2) = 0.69 at best).
    // Folds that split pieces would let the classifier learn which offsets each set's pieces happen to have
    // and find them again in the held-out windows (0.74 here); on unseen pieces that does not help (0.64).
    const withOffsets = (pieces: WindowsByPiece, seed: number) => {
      const random = mulberry32(seed)
      return pieces.map((windows) => {
        const offset = Array.from({ length: 8 }, () => 4 * (random() - 0.5))
        return windows.map((features) => features.map((x, i) => x + offset[i]))
      })
    }
    const result = await classifierTwoSampleTest(
      withOffsets(set(20, 30, 1, 12), 13),
      withOffsets(set(20, 30, 0, 14), 15),
    )
    expect(result!.accuracy).toBeLessThan(0.7)
  })
})
