// Runs `cadenza bench` in a child process on a tiny model, as a user would.
import { cadenza } from '../../test/cadenzaCli'
import { describe, expect, it } from 'vitest'
import { SONATA_DIR } from '../../test/corpus'

const TINY = ['--hidden', '8', '--batch', '2', '--seq-len', '4', '--steps', '2']

const bench = (...args: string[]) => cadenza('bench', ...TINY, ...args)

/** The default model's kind of generator (one tone a step, a sampling G reading the metric position), small. */
const DEFAULT_KIND = { tonesPerStep: 1, hiddenUnits: 8, layers: 2, output: 'sampled', meter: true }

describe('cadenza bench', () => {
  it('prints one JSON line with the timings, the memory and the settings it ran', async () => {
    const { code, stdout, stderr } = await bench('--json', '--data', SONATA_DIR, '--no-feature-matching')
    expect(code).toBe(0)
    expect(stderr).toContain('backend: wasm')
    const lines = stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    const result = JSON.parse(lines[0])
    expect(result.backend).toBe('wasm')
    expect(result.train_step_ms).toHaveLength(2)
    const timings = ['train_step_ms_median', 'generate_ms_512', 'generate_ms_512_x16', 'corpus_load_ms']
    for (const key of [...timings, 'answer_ms_4_bars']) {
      expect(result[key], key).toBeGreaterThan(0)
    }
    expect(result.answer_ms).toHaveLength(5)
    expect(result.peak_rss_mb).toBeGreaterThan(50)
    expect(result.settings.model).toMatchObject({ hiddenUnits: 8, layers: 2, tonesPerStep: 3 })
    expect(result.settings.training).toMatchObject({
      batchSize: 2,
      sequenceLength: 4,
      featureMatching: false,
    })
  })

  it('measures feature matching by default and reads as a table without --json', async () => {
    const { code, stdout } = await bench()
    expect(code).toBe(0)
    expect(stdout).toContain('with feature matching')
    expect(stdout).toMatch(/train step, median \(ms\)\s+\d+/)
    expect(stdout).toMatch(/answer 4 bars to a call, default model \(ms\)\s+\d+/)
    expect(stdout).not.toContain('load and encode')
  })

  it('measures a sampling generator at the same sizes with --output sampled', async () => {
    const { code, stdout } = await bench('--json', '--output', 'sampled')
    expect(code).toBe(0)
    const result = JSON.parse(stdout)
    expect(result.settings.model).toMatchObject({ hiddenUnits: 8, tonesPerStep: 3, output: 'sampled' })
    expect(result.generate_ms_512).toBeGreaterThan(0)
  })

  it("times both generators in pairs with --compare, and gives the sampling one's ratios pair by pair", async () => {
    const { code, stdout } = await bench('--json', '--compare')
    expect(code).toBe(0)
    const result = JSON.parse(stdout)
    for (const kind of ['continuous', 'sampled']) {
      for (const key of ['train_step_ms', 'generate_ms_512', 'generate_ms_512_x16']) {
        expect(result[kind][key], `${kind} ${key}`).toHaveLength(2)
        for (const ms of result[kind][key]) expect(ms, `${kind} ${key}`).toBeGreaterThan(0)
      }
    }
    const ratio = (key: string) =>
      result.sampled[key].map((ms: number, pair: number) => ms / result.continuous[key][pair])
    // The median of two ratios is their mean.
    const mean = (values: number[]) => (values[0] + values[1]) / 2
    expect(result.sampled_ratio.train_step).toBeCloseTo(mean(ratio('train_step_ms')), 2)
    expect(result.sampled_ratio.generate_512_x16).toBeCloseTo(mean(ratio('generate_ms_512_x16')), 2)
    expect(result.settings.model).toMatchObject({ hiddenUnits: 8, output: 'sampled' })
  })

  it('prints the comparison as a table, and refuses --compare with --output', async () => {
    const { code, stdout } = await bench('--compare')
    expect(code).toBe(0)
    expect(stdout).toMatch(/generate 512 steps x 16\s+\d+\s+\d+\s+\d+\.\d\d/)
    const refused = await bench('--compare', '--output', 'sampled')
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain(
      "option '--compare [models]' cannot be used with option '--output <kind>'",
    )
  })

  it("times a sampling generator's generations without and with the metric position with --compare meter", async () => {
    const { code, stdout } = await bench('--json', '--compare', 'meter')
    expect(code).toBe(0)
    const result = JSON.parse(stdout)
    for (const kind of ['no_meter', 'meter']) {
      // Generations only: the meter input must not slow them; the step is not in question here.
      expect(Object.keys(result[kind]).sort(), kind).toEqual(['generate_ms_512', 'generate_ms_512_x16'])
      for (const times of Object.values(result[kind]) as number[][]) {
        expect(times).toHaveLength(2)
        for (const ms of times) expect(ms).toBeGreaterThan(0)
      }
    }
    const mean = (key: string) =>
      (result.meter[key][0] / result.no_meter[key][0] + result.meter[key][1] / result.no_meter[key][1]) / 2
    expect(result.meter_ratio.generate_512).toBeCloseTo(mean('generate_ms_512'), 2)
    expect(result.meter_ratio.generate_512_x16).toBeCloseTo(mean('generate_ms_512_x16'), 2)
    expect(result.settings.model).toEqual(DEFAULT_KIND)
  })

  it("times the default model's generations free and under every steering rule with --compare steering", async () => {
    const { code, stdout } = await bench('--json', '--compare', 'steering')
    expect(code).toBe(0)
    const result = JSON.parse(stdout)
    for (const kind of ['free', 'steered']) {
      expect(Object.keys(result[kind]).sort(), kind).toEqual(['generate_ms_512', 'generate_ms_512_x16'])
      for (const ms of Object.values(result[kind]).flat()) expect(ms).toBeGreaterThan(0)
    }
    expect(Object.keys(result.steered_ratio).sort()).toEqual(['generate_512', 'generate_512_x16'])
    expect(result.settings.model).toEqual(DEFAULT_KIND)
  })

  it("times the pretraining step at the default model's shape, its tokens per second and the epoch's measurement", async () => {
    const { code, stdout } = await bench('--json', '--pretrain', '--data', SONATA_DIR)
    expect(code).toBe(0)
    const result = JSON.parse(stdout)
    expect(result.backend).toBe('wasm')
    expect(result.pretrain_step_ms).toHaveLength(2)
    for (const ms of result.pretrain_step_ms) expect(ms).toBeGreaterThan(0)
    const [low, high] = [...result.pretrain_step_ms].sort((a: number, b: number) => a - b)
    // The median of two is their mean, rounded, as the times are, to the millisecond.
    expect(Math.abs(result.pretrain_step_ms_median - (low + high) / 2)).toBeLessThanOrEqual(1)
    // Tokens are a sequence's steps times the batch (4 x 2 here), per second of the median step (both rounded).
    const median = result.pretrain_step_ms_median
    expect(result.pretrain_tokens_per_s).toBeGreaterThanOrEqual(8000 / (median + 1) - 1)
    expect(result.pretrain_tokens_per_s).toBeLessThanOrEqual(8000 / (median - 1) + 1)
    expect(result.epoch_measure_ms).toBeGreaterThan(0)
    expect(result.corpus_load_ms).toBeGreaterThan(0)
    expect(result.peak_rss_mb).toBeGreaterThan(50)
    expect(result.settings.model).toEqual(DEFAULT_KIND)
    expect(result.settings.training).toMatchObject({ batchSize: 2, sequenceLength: 4, optimizer: 'adam' })
  })

  it("reads as a table, leaves the epoch's measurement out without --data, and can leave the meter out", async () => {
    const { code, stdout } = await bench('--pretrain', '--no-meter')
    expect(code).toBe(0)
    expect(stdout).toContain('one tone a step, sampled generator')
    expect(stdout).not.toContain('metric position')
    expect(stdout).toMatch(/pretrain step, median \(ms\)\s+\d+/)
    expect(stdout).toMatch(/tokens per second\s+\d+/)
    expect(stdout).not.toContain("the epoch's measurement")
    const json = JSON.parse((await bench('--pretrain', '--json', '--output', 'continuous')).stdout)
    expect(json.epoch_measure_ms).toBeNull()
    expect(json.corpus_load_ms).toBeNull()
    expect(json.settings.model).toMatchObject({ output: 'continuous', meter: false })
  })

  it("refuses the metric position for the paper's generator", async () => {
    const { code, stderr } = await bench('--meter')
    expect(code).not.toBe(0)
    expect(stderr).toContain('the metric position is an option of a sampling generator')
  })

  it('refuses a size that is not a whole number', async () => {
    const { code, stderr } = await bench('--hidden', 'many')
    expect(code).toBe(2)
    expect(stderr).toContain("option '--hidden <n>' argument 'many' is invalid")
  })
})
