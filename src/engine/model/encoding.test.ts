import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { corpusFile } from '../../../test/corpus'
import type { Normalization } from '../../shared/checkpointMeta'
import { midiToPiece } from '../../shared/music/midiToPiece'
import { endedAtRestrike } from '../../shared/music/piece'
import { pieceToSteps, type Step } from '../../shared/music/steps'
import { CHORDS, tone } from '../../../test/chords'
import { DEFAULT_DECODE_OPTIONS, type DecodeOptions } from '../../shared/music/decoding'
import { denormalize, encodeSteps, FEATURE_COUNT, momentsOf, normalizationOf, stepsToPiece } from './encoding'

const normalizationOfPieces = (pieces: readonly Step[][]) => normalizationOf(pieces.map(momentsOf))

describe('normalizationOf', () => {
  it('computes the mean and standard deviation over the sounding tones of every piece', () => {
    const steps: Step[][] = [
      [
        [tone(60, 80, 0, 1), tone(0, 0, 0, 0)],
        [tone(64, 100, 2, 3), tone(0, 0, 2, 0)],
      ],
      [[tone(68, 120, 4, 2), tone(0, 0, 4, 0)]],
    ]
    const { mean, std } = normalizationOfPieces(steps)
    // length 1, 3, 2: mean 2, population variance 2/3; pitch 60, 64, 68: mean 64, variance 32/3;
    // intensity 80, 100, 120: mean 100, variance 800/3; delta 0, 2, 4: mean 2, variance 8/3.
    const expectedMean = [2, 64, 100, 2]
    const expectedStd = [Math.sqrt(2 / 3), Math.sqrt(32 / 3), Math.sqrt(800 / 3), Math.sqrt(8 / 3)]
    expectedMean.forEach((value, f) => expect(mean[f]).toBeCloseTo(value, 10))
    expectedStd.forEach((value, f) => expect(std[f]).toBeCloseTo(value, 8))
  })

  it('uses a standard deviation of 1 for a feature that never varies', () => {
    const steps: Step[][] = [[[tone(60, 80, 0.5, 0.5)], [tone(62, 80, 0.5, 0.5)], [tone(64, 80, 0.5, 0.5)]]]
    const { mean, std } = normalizationOfPieces(steps)
    expect(mean).toEqual([0.5, 62, 80, 0.5])
    expect(std[0]).toBe(1)
    expect(std[1]).toBeCloseTo(Math.sqrt(8 / 3), 10)
    expect(std[2]).toBe(1)
    expect(std[3]).toBe(1)
  })

  it('is the same however the tones are split into pieces', () => {
    const steps = pieceToSteps(CHORDS, 3)
    const whole = normalizationOfPieces([steps])
    const split = normalizationOfPieces([steps.slice(0, 1), [], steps.slice(1, 3), steps.slice(3)])
    whole.mean.forEach((value, f) => expect(split.mean[f]).toBeCloseTo(value, 12))
    whole.std.forEach((value, f) => expect(split.std[f]).toBeCloseTo(value, 12))
  })

  it('refuses steps without a sounding tone', () => {
    expect(() => normalizationOfPieces([[[tone(0, 0, 1)]]])).toThrow('no tones to normalize')
    expect(() => normalizationOfPieces([])).toThrow('no tones to normalize')
  })
})

describe('encodeSteps and denormalize', () => {
  const steps = pieceToSteps(CHORDS, 3)
  const normalization = normalizationOfPieces([steps])

  it('normalizes each feature and encodes absent tones as the means with raw intensity 0', () => {
    const encoded = encodeSteps(steps, normalization)
    const width = 3 * FEATURE_COUNT
    expect(encoded).toHaveLength(steps.length * width)
    const { mean, std } = normalization
    // The first tone of the first step: (4, 48, 75, 0).
    expect(encoded[0]).toBeCloseTo((4 - mean[0]) / std[0], 5)
    expect(encoded[1]).toBeCloseTo((48 - mean[1]) / std[1], 5)
    expect(encoded[2]).toBeCloseTo((75 - mean[2]) / std[2], 5)
    expect(encoded[3]).toBeCloseTo((0 - mean[3]) / std[3], 5)
    // The second step's absent slots: length and pitch at their means, intensity 0, the step's delta.
    const absent = encoded.subarray(width + 4, width + 8)
    expect(absent[0]).toBeCloseTo(0, 6)
    expect(absent[1]).toBeCloseTo(0, 6)
    expect(absent[2]).toBeCloseTo((0 - mean[2]) / std[2], 5)
    expect(absent[3]).toBeCloseTo((0 - mean[3]) / std[3], 5)
  })

  it('round-trips the present tones and keeps absent tones at intensity 0', () => {
    const decoded = denormalize(encodeSteps(steps, normalization), 3, normalization)
    expect(decoded).toHaveLength(steps.length)
    steps.forEach((step, s) => {
      expect(decoded[s]).toHaveLength(3)
      step.forEach((original, j) => {
        const back = decoded[s][j]
        expect(back.intensity).toBeCloseTo(original.intensity, 4)
        expect(back.delta).toBeCloseTo(original.delta, 4)
        if (original.intensity > 0) {
          expect(back.length).toBeCloseTo(original.length, 4)
          expect(back.pitch).toBeCloseTo(original.pitch, 4)
        } else {
          expect(back.intensity).toBeCloseTo(0, 4)
        }
      })
    })
  })

  it('ignores a trailing partial step in denormalize', () => {
    const encoded = encodeSteps(steps, normalization)
    expect(denormalize(encoded.subarray(0, 2 * 12 + 5), 3, normalization)).toHaveLength(2)
  })
})

describe('stepsToPiece', () => {
  const options: DecodeOptions = { ...DEFAULT_DECODE_OPTIONS, intensityThreshold: 10 }

  it('rounds pitches and velocities and clamps them to their ranges', () => {
    const decoded = stepsToPiece(
      [
        [tone(60.4, 80.4, 0)],
        [tone(60.6, 80.6, 1)],
        [tone(5, 300, 1)],
        [tone(130, 127.4, 1)],
        [tone(107.6, 126.6, 1, -2)],
      ],
      options,
    )
    expect(decoded.notes).toEqual([
      { onset: 0, length: 1, pitch: 60, velocity: 80 },
      { onset: 1, length: 1, pitch: 61, velocity: 81 },
      { onset: 2, length: 1, pitch: 21, velocity: 127 },
      { onset: 3, length: 1, pitch: 108, velocity: 127 },
      { onset: 4, length: 0, pitch: 108, velocity: 127 },
    ])
  })

  it('clamps velocities below 1 up to 1 when the threshold lets them through', () => {
    const decoded = stepsToPiece([[tone(60, 0.3, 0)], [tone(62, 1.4, 1)]], {
      ...options,
      intensityThreshold: 0.2,
    })
    expect(decoded.notes.map((n) => n.velocity)).toEqual([1, 1])
  })

  it('honours a custom pitch range', () => {
    const decoded = stepsToPiece([[tone(10, 64, 0)], [tone(120, 64, 1)]], {
      intensityThreshold: 1,
      lowestPitch: 0,
      highestPitch: 127,
    })
    expect(decoded.notes.map((n) => n.pitch)).toEqual([10, 120])
  })

  it('drops tones below the intensity threshold, but still advances time for their step', () => {
    const decoded = stepsToPiece(
      [[tone(60, 64, 0)], [tone(62, 9.9, 1)], [tone(64, 10, 1)], [tone(65, 0, 1)], [tone(67, -5, 1)]],
      options,
    )
    expect(decoded.notes.map((n) => [n.onset, n.pitch])).toEqual([
      [0, 60],
      [2, 64],
    ])
  })

  it('never moves time backwards for negative deltas', () => {
    const decoded = stepsToPiece(
      [[tone(60, 64, 1)], [tone(62, 64, -3)], [tone(64, 64, 0.5)], [tone(65, 64, -0.1)]],
      options,
    )
    expect(decoded.notes.map((n) => [n.onset, n.pitch])).toEqual([
      [1, 60],
      [1, 62],
      [1.5, 64],
      [1.5, 65],
    ])
    for (let i = 1; i < decoded.notes.length; i++) {
      expect(decoded.notes[i].onset).toBeGreaterThanOrEqual(decoded.notes[i - 1].onset)
    }
  })

  it('decodes m = 3 steps to chords with a shared onset', () => {
    const decoded = stepsToPiece(
      [
        [tone(67, 90, 0.5), tone(60, 80, 0.5), tone(64, 85, 0.5)],
        [tone(72, 70, 1), tone(0, 0, 1), tone(0, 0, 1)],
        [tone(48, 60, 0), tone(52, 2, 0), tone(55, 60, 0)],
      ],
      options,
    )
    expect(decoded.notes).toEqual([
      { onset: 0.5, length: 1, pitch: 60, velocity: 80 },
      { onset: 0.5, length: 1, pitch: 64, velocity: 85 },
      { onset: 0.5, length: 1, pitch: 67, velocity: 90 },
      { onset: 1.5, length: 1, pitch: 48, velocity: 60 },
      { onset: 1.5, length: 1, pitch: 55, velocity: 60 },
      { onset: 1.5, length: 1, pitch: 72, velocity: 70 },
    ])
  })

  it('keeps only the loudest sounding tones of a step with a tones-per-step limit, and every raw value', () => {
    const steps: Step[] = [
      [tone(60, 70, 0.5), tone(64, 90, 0.5), tone(67, 80, 0.5)],
      // Only one tone sounds: the limit of 2 leaves it alone, and the silent loud-looking slots stay out.
      [tone(72, 5, 1), tone(74, 60, 1), tone(76, 9.9, 1)],
      // A tie: the earlier slot wins.
      [tone(48, 50, 1), tone(52, 50, 1), tone(55, 40, 1)],
    ]
    const pitches = (limit?: number) =>
      stepsToPiece(steps, { ...options, tonesPerStep: limit }).notes.map((n) => [n.onset, n.pitch])
    expect(pitches(1)).toEqual([
      [0.5, 64],
      [1.5, 74],
      [2.5, 48],
    ])
    expect(pitches(2)).toEqual([
      [0.5, 64],
      [0.5, 67],
      [1.5, 74],
      [2.5, 48],
      [2.5, 52],
    ])
    expect(pitches(3)).toEqual(pitches(undefined))
    expect(pitches(3)).toHaveLength(7)
    expect(stepsToPiece(steps, { ...options, tonesPerStep: 1 }).modelOutput).toEqual(steps)
  })

  it('round-trips pieceToSteps with m = 3, spilled chords included', () => {
    const decoded = stepsToPiece(pieceToSteps(CHORDS, 3), options)
    const expected = [...CHORDS.notes].sort((a, b) => a.onset - b.onset || a.pitch - b.pitch)
    expect(decoded.notes).toHaveLength(expected.length)
    decoded.notes.forEach((n, i) => {
      expect(n.onset).toBeCloseTo(expected[i].onset, 10)
      expect([n.pitch, n.velocity, n.length]).toEqual([
        expected[i].pitch,
        expected[i].velocity,
        expected[i].length,
      ])
    })
  })

  it('keeps the raw values as modelOutput, as copies', () => {
    const steps: Step[] = [
      [tone(60.4, 200, -1, -0.5), tone(3, 0.5, -1, 7)],
      [tone(200.2, 64.7, 0.25, 1.3), tone(61.5, 11, 0.25, 2)],
    ]
    const raw = structuredClone(steps)
    const decoded = stepsToPiece(steps, options)
    expect(decoded.modelOutput).toEqual(raw)
    expect(decoded.modelOutput?.[0][0]).not.toBe(steps[0][0])
    expect(steps).toEqual(raw)
    expect(decoded.notes.map((n) => n.pitch)).toEqual([60, 62, 108])
  })
})

describe('a real piece', () => {
  it('survives pieceToSteps (m = 1) and stepsToPiece with every note intact, as a piano plays it', () => {
    const original = midiToPiece(readFileSync(corpusFile('sonata-ish/mozk545a.mid')))
    expect(original.notes.length).toBeGreaterThan(1000)
    const steps = pieceToSteps(original, 1)
    expect(steps).toHaveLength(original.notes.length)
    const decoded = stepsToPiece(steps, { intensityThreshold: 1, lowestPitch: 21, highestPitch: 108 })
    expect(decoded.notes).toHaveLength(original.notes.length)
    // The file holds a few notes whose key is struck again while they sound: those end there.
    const played = endedAtRestrike(original.notes)
    expect(played.filter((note, i) => note !== original.notes[i]).length).toBeGreaterThan(0)
    decoded.notes.forEach((n, i) => {
      const expected = played[i]
      expect(n.pitch).toBe(expected.pitch)
      expect(n.velocity).toBe(expected.velocity)
      expect(n.onset).toBeCloseTo(expected.onset, 6)
      expect(n.length).toBeCloseTo(expected.length, 10)
    })
  })

  it('survives normalization: encode, denormalize and decode keep every note', () => {
    const original = midiToPiece(readFileSync(corpusFile('sonata-ish/mozk545a.mid')))
    const steps = pieceToSteps(original, 3)
    const normalization: Normalization = normalizationOfPieces([steps])
    const decoded = stepsToPiece(denormalize(encodeSteps(steps, normalization), 3, normalization), {
      intensityThreshold: 1,
      lowestPitch: 21,
      highestPitch: 108,
    })
    expect(decoded.notes).toHaveLength(original.notes.length)
    decoded.notes.forEach((n, i) => {
      const expected = original.notes[i]
      expect(n.pitch).toBe(expected.pitch)
      expect(n.velocity).toBe(expected.velocity)
      expect(n.onset).toBeCloseTo(expected.onset, 2)
    })
  })
})

describe('normalizationOf with constants that binary floating point cannot hold', () => {
  it('gives a constant feature the scale 1', () => {
    const step = (length: number, delta: number): Step[] => [[{ length, pitch: 60, intensity: 80, delta }]]
    const steps = [0, 1, 2, 3, 4, 5].flatMap(() => step(0.1, 1 / 3))
    expect(normalizationOfPieces([steps]).std).toEqual([1, 1, 1, 1])
  })
})
