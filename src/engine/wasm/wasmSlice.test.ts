import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { selectBackend } from '../process/backend'

beforeAll(async () => {
  await selectBackend('wasm')
})

type Nested = number | boolean | Nested[]

/** `values` from `begin`, `size` long on each axis: the slice written out on nested arrays. */
function expectedSlice(values: Nested, begin: number[], size: number[]): Nested {
  if (begin.length === 0) return values
  const [from, ...innerBegin] = begin
  const [length, ...innerSize] = size
  return (values as Nested[])
    .slice(from, from + length)
    .map((inner) => expectedSlice(inner, innerBegin, innerSize))
}

/** Counts the backend's reads of whole tensors out of its memory while `work` runs. */
function readsDuring(work: () => void): number {
  const read = vi.spyOn(tf.backend(), 'readSync')
  try {
    work()
    return read.mock.calls.length
  } finally {
    read.mockRestore()
  }
}

const CASES: { shape: number[]; begin: number[]; size: number[] }[] = [
  { shape: [7], begin: [2], size: [4] },
  { shape: [16, 1400], begin: [0, 350], size: [16, 350] },
  { shape: [5, 9], begin: [1, 0], size: [3, 9] },
  { shape: [4, 6, 8], begin: [1, 2, 3], size: [2, 3, 4] },
  { shape: [3, 4, 5, 6], begin: [1, 1, 2, 0], size: [2, 2, 3, 6] },
  { shape: [2, 3], begin: [1, 1], size: [0, 2] },
]

describe('slices on WebAssembly', () => {
  it('copy exactly the part asked for, of every dtype and rank, without reading the whole input out', () => {
    for (const { shape, begin, size } of CASES) {
      const count = shape.reduce((a, b) => a * b, 1)
      const numbers = Array.from({ length: count }, (_, i) => (i * 7919) % 1000)
      for (const x of [
        tf.tensor(
          numbers.map((n) => n / 7),
          shape,
          'float32',
        ),
        tf.tensor(numbers, shape, 'int32'),
        tf.tensor(
          numbers.map((n) => n % 3 === 0),
          shape,
          'bool',
        ),
      ]) {
        let part: tf.Tensor | undefined
        expect(readsDuring(() => (part = tf.slice(x, begin, size)))).toBe(0)
        expect(part!.dtype).toBe(x.dtype)
        expect(part!.shape).toEqual(size)
        expect(part!.arraySync()).toEqual(expectedSlice(x.arraySync(), begin, size))
        tf.dispose([x, part!])
      }
    }
  })

  it('split along any axis into the slices one after another', () => {
    const x = tf.tensor3d(
      Array.from({ length: 4 * 6 * 8 }, (_, i) => i / 3),
      [4, 6, 8],
    )
    const values = x.arraySync()
    for (const [sizes, axis] of [
      [[2, 2], 0],
      [[1, 3, 2], 1],
      [[2, 2, 2, 2], 2],
    ] as const) {
      let parts: tf.Tensor[] = []
      expect(readsDuring(() => (parts = tf.split(x, [...sizes], axis)))).toBe(0)
      let start = 0
      parts.forEach((part, p) => {
        const begin = [0, 0, 0]
        const size = [...x.shape]
        begin[axis] = start
        size[axis] = sizes[p]
        expect(part.arraySync()).toEqual(expectedSlice(values, begin, size))
        start += sizes[p]
      })
      tf.dispose(parts)
    }
    x.dispose()
  })

  it('unstack along any axis into its indices, each without that axis', () => {
    const x = tf.tensor3d(
      Array.from({ length: 3 * 4 * 5 }, (_, i) => i / 3),
      [3, 4, 5],
    )
    const values = x.arraySync()
    for (const axis of [0, 1, 2]) {
      let parts: tf.Tensor[] = []
      expect(readsDuring(() => (parts = tf.unstack(x, axis)))).toBe(0)
      expect(parts).toHaveLength(x.shape[axis])
      parts.forEach((part, index) => {
        const begin = [0, 0, 0]
        const size = [...x.shape]
        begin[axis] = index
        size[axis] = 1
        const expected = tf.tensor(expectedSlice(values, begin, size) as number[]).squeeze([axis])
        expect(part.shape).toEqual(expected.shape)
        expect(part.arraySync()).toEqual(expected.arraySync())
        expected.dispose()
      })
      tf.dispose(parts)
    }
    x.dispose()
  })

  it("still slices and unstacks strings, with the backend's own kernels", () => {
    const words = tf.tensor1d(['do', 're', 'mi', 'fa'], 'string')
    expect(tf.slice(words, [1], [2]).arraySync()).toEqual(['re', 'mi'])
    expect(tf.unstack(words).map((word) => word.arraySync())).toEqual(['do', 're', 'mi', 'fa'])
  })
})
