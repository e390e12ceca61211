import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { corpusFile } from '../../../test/corpus'
import { medianStatistics, sampleWindow } from './corpusStatistics'
import { midiToPiece } from './midiToPiece'
import { computeStatistics, tonesOf, windowedStatistics, type Tone } from './statistics'
import { median } from './summary'

/** As the dataset measures its corpus: each piece cut into windows on its own. */
const corpusStatistics = (pieces: readonly Tone[][], window: number) =>
  medianStatistics(pieces.flatMap((tones) => windowedStatistics(tones, window)))
const tonesOfFile = (name: string) => tonesOf(midiToPiece(readFileSync(corpusFile(`sonata-ish/${name}`))))

describe('corpus statistics', () => {
  const pieces = ['mozk545a.mid', 'mozk545b.mid', 'mozk545c.mid'].map(tonesOfFile)
  const window = sampleWindow(3)

  it('are the medians over windows as long as a sample, cut from each real piece on its own', () => {
    const windows = pieces.flatMap((tones) => windowedStatistics(tones, window))
    expect(windows.length).toBeGreaterThan(3)
    const result = corpusStatistics(pieces, window)!
    expect(result.num_tones).toBe(window)
    expect(result.unique_tones).toBe(median(windows.map((w) => w.unique_tones)))
    expect(result.scale_consistency).toBe(median(windows.map((w) => w.scale_consistency)))
    // A Mozart sonata in windows of 384 tones: many pitches over a few octaves, mostly in one key.
    expect(result.unique_tones).toBeGreaterThan(15)
    expect(result.tone_span).toBeGreaterThan(24)
    expect(result.scale_consistency).toBeGreaterThan(0.8)
  })

  it('are null when no piece holds a whole window, even if all of them together would', () => {
    const short = pieces.map((tones) => tones.slice(0, window - 1))
    expect(corpusStatistics(short, window)).toBeNull()
    expect(corpusStatistics([short.flat()], window)).not.toBeNull()
  })

  it("take each sample's statistics once, leaving out the samples that have none", () => {
    const [a, b] = pieces.map((tones) => computeStatistics(tones)!)
    expect(medianStatistics([a, null, b])!.tone_span).toBe(median([a.tone_span, b.tone_span]))
    expect(medianStatistics([null])).toBeNull()
  })
})
