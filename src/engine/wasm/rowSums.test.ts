import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compiledModuleSource, MODULES } from '../../../scripts/compileWasm'
import { RowSums } from './rowSums'

/** Four rows of eight: row r holds r * 10 + column. */
const SOURCE = Float32Array.from({ length: 32 }, (_, at) => Math.floor(at / 8) * 10 + (at % 8))
const row = (r: number) => Array.from(SOURCE.subarray(r * 8, r * 8 + 8))
const plus = (...rows: number[][]) => rows[0].map((_, c) => rows.reduce((sum, values) => sum + values[c], 0))

describe('row sums', () => {
  it('add the listed rows for each output row, repeats included, and give zeros for an empty list', () => {
    const sums = new RowSums(SOURCE, 8)
    const result = sums.sum(new Int32Array([3, 1, 0, 2, 2, 2]), new Int32Array([0, 2, 2, 6]))
    expect(Array.from(result)).toEqual([
      ...plus(row(3), row(1)),
      ...new Array(8).fill(0),
      ...plus(row(0), row(2), row(2), row(2)),
    ])
  })

  it('start from the rows given, where given', () => {
    const sums = new RowSums(SOURCE, 8)
    const initial = Float32Array.from({ length: 16 }, (_, at) => at / 4)
    const result = sums.sum(new Int32Array([1, 3]), new Int32Array([0, 1, 2]), initial)
    expect(Array.from(result)).toEqual([
      ...plus(row(1), Array.from(initial.subarray(0, 8))),
      ...plus(row(3), Array.from(initial.subarray(8))),
    ])
    // And from zeros again when not: nothing is left of the last sum.
    expect(Array.from(sums.sum(new Int32Array([1, 3]), new Int32Array([0, 1, 2])))).toEqual([
      ...row(1),
      ...row(3),
    ])
  })

  it('keep their source across sums, also when a sum needs more memory than the last', () => {
    const sums = new RowSums(SOURCE, 8)
    expect(Array.from(sums.sum(new Int32Array([1]), new Int32Array([0, 1])))).toEqual(row(1))
    const many = 20_000
    const result = sums.sum(
      new Int32Array(many).fill(2),
      Int32Array.from({ length: many + 1 }, (_, i) => i),
    )
    expect(Array.from(result.subarray((many - 1) * 8))).toEqual(row(2))
    expect(Array.from(sums.sum(new Int32Array([3]), new Int32Array([0, 1])))).toEqual(row(3))
  })

  it('add in float32, in the order listed', () => {
    // 2^24 + 1 is not a float32: added first to 2^24 it is lost, added after 1 + 1 it is not.
    const source = new Float32Array([2 ** 24, 0, 0, 0, 1, 0, 0, 0])
    const sums = new RowSums(source, 4)
    expect(sums.sum(new Int32Array([0, 1, 1]), new Int32Array([0, 3]))[0]).toBe(2 ** 24)
    expect(sums.sum(new Int32Array([1, 1, 0]), new Int32Array([0, 3]))[0]).toBe(2 ** 24 + 2)
  })

  it('refuse a row width that is not a multiple of 4', () => {
    expect(() => new RowSums(new Float32Array(14), 7)).toThrow('a multiple of 4, not 7')
  })

  it('run the module compiled from rowSums.wat as it stands (npm run wasm)', async () => {
    const rowSums = MODULES.find((module) => module.source === 'rowSums.wat')!
    expect(readFileSync(rowSums.compiled, 'utf8')).toBe(await compiledModuleSource(rowSums))
  })
})
