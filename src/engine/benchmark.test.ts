import { describe, expect, it } from 'vitest'
import { PRESETS } from '../shared/modelSettings'
import { benchmarkSettings, BENCHMARK_SHAPES, realBatch } from './benchmark'
import { METER_CLASS_COUNTS, METER_GROUPS } from './model/metricPosition'
import { storedWidth } from './model/stepCodec'
import { CLASS_COUNTS } from './model/toneClasses'
import { createRandom } from './random'

const ROWS = 500

describe('realBatch', () => {
  it("lays a meter model's steps out as a dataset stores them: each tone's classes, then the metric position's", () => {
    const model = { ...PRESETS.quick.model, tonesPerStep: 2, meter: true }
    const batch = realBatch(model, createRandom('test'), ROWS)
    const width = storedWidth(model)
    expect(width).toBe(2 * CLASS_COUNTS.length + METER_GROUPS)
    expect(batch).toHaveLength(ROWS * width)
    const counts = [...CLASS_COUNTS, ...CLASS_COUNTS, ...METER_CLASS_COUNTS]
    counts.forEach((count, k) => {
      const column = Array.from({ length: ROWS }, (_, row) => batch[row * width + k])
      for (const value of column)
        expect(Number.isInteger(value) && value >= 0 && value < count, `${k}`).toBe(true)
      // Every class of a small group is drawn, so no group is read with another's count.
      if (count <= 24) expect(new Set(column).size, `${k}`).toBe(count)
    })
  })

  it("gives the paper's generator normalized values in [-1, 1)", () => {
    const batch = realBatch(PRESETS.paper.model, createRandom('test'), ROWS)
    expect(batch).toHaveLength(ROWS * storedWidth(PRESETS.paper.model))
    expect(Math.min(...batch)).toBeGreaterThanOrEqual(-1)
    expect(Math.max(...batch)).toBeLessThan(1)
    expect(batch.some((value) => !Number.isInteger(value))).toBe(true)
  })
})

describe('benchmarkSettings', () => {
  it("times the default model's shape on its preset: one tone a step, 256 units, the metric position read", () => {
    const { defaultModel } = BENCHMARK_SHAPES
    const settings = benchmarkSettings({ ...defaultModel, featureMatching: false })
    expect(settings.model).toEqual({
      tonesPerStep: 1,
      hiddenUnits: 256,
      layers: 2,
      output: 'sampled',
      meter: true,
    })
    expect(settings.training).toMatchObject({ batchSize: 128, sequenceLength: 64, optimizer: 'adam' })
  })
})
