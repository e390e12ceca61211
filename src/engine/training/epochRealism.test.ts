// Runs under vitest (Node). The epoch's measure on real pieces from the corpus, turned into model steps as if
// G had written them, and the choice among candidates by the combined distance.
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { corpusFile } from '../../../test/corpus'
import { FEATURES } from '../../shared/checkpointMeta'
import { midiToPiece } from '../../shared/music/midiToPiece'
import { DEFAULT_REALISM_WINDOW } from '../../shared/music/realism'
import { barWindowStatistics, packWindows } from '../../shared/music/rhythm'
import { tonesOf, windowedStatistics, type Tone } from '../../shared/music/statistics'
import { pieceToSteps } from '../../shared/music/steps'
import type { Dataset } from '../data/dataset'
import { Generator } from '../model/networks'
import { stepCodec } from '../model/stepCodec'
import {
  CANDIDATE_REPETITIONS,
  CANDIDATE_TEMPERATURES,
  CANDIDATE_VELOCITY_SCALES,
} from '../model/temperature'
import { selectBackend } from '../process/backend'
import {
  closest,
  closestTemperature,
  epochRealism,
  measureCandidate,
  measureEpoch,
  measureOutput,
  trainingReference,
  velocityScales,
  type CandidateOutput,
} from './epochRealism'
import { rhythmReference } from './epochRhythm'

beforeAll(async () => {
  await selectBackend('wasm')
})

const names = ['Mozart/mz_311_1.mid', 'Mozart/mz_330_1.mid', 'Mozart/mz_545_1.mid', 'Bach/bach_846.mid']
const pieces = names.map((name) => midiToPiece(readFileSync(corpusFile(`piano-midi-de/${name}`))))
const windowsOf = (pieces: readonly Tone[][]) =>
  pieces.flatMap((tones) => windowedStatistics(tones, DEFAULT_REALISM_WINDOW))
const references = {
  realism: trainingReference(windowsOf(pieces.map(tonesOf))),
  rhythm: rhythmReference(pieces.map((piece) => packWindows(barWindowStatistics(piece)))),
}
// The same pieces as steps of three tones, as if G had written them (in 4/4, as G writes without a meter).
const asSteps = pieces.map((piece) => pieceToSteps(piece, 3))
const EVERY_TONE = [10, 10, 10]
const AS_IS = { temperature: 1, scales: [1, 1, 1, 1], repetition: 0 }

describe('trainingReference', () => {
  it('is null for pieces too short or too uniform to measure against', () => {
    const tones = pieces.map(tonesOf)
    expect(trainingReference(windowsOf(tones))).not.toBeNull()
    expect(trainingReference(windowsOf([tones[0].slice(0, 199)]))).toBeNull()
    const oneNote: Tone[] = Array.from({ length: 800 }, (_, i) => ({ onset: i, pitch: 60, velocity: 64 }))
    expect(trainingReference(windowsOf([oneNote]))).toBeNull()
  })
})

describe('epochRealism', () => {
  it('is null without a reference, or when no piece has a full window of tones', () => {
    const tones = pieces.map(tonesOf)
    expect(epochRealism(tones, references.realism)).toBeLessThan(0.05)
    expect(epochRealism(tones, null)).toBeNull()
    expect(epochRealism([tones[0].slice(0, 50)], references.realism)).toBeNull()
  })
})

describe('measureOutput', () => {
  const same = measureOutput(AS_IS, asSteps, EVERY_TONE, references)

  it('finds the training pieces themselves close, as steps, in pitch and in rhythm', () => {
    // Not 0 and 1: a step keeps three tones of a larger chord, and mz_330_1's bars of 2/4 are read as 4/4.
    expect(same.realismDistance).toBeLessThan(0.1)
    expect(same.rhythmOverlap).toBeGreaterThan(0.8)
    expect(same.windows.map((windows) => windows.length)).toEqual(
      pieces.map((piece) => barWindowStatistics({ ...piece, timeSignatures: [] }).length),
    )
  })

  it('hears chords silenced, and dynamics flattened that the paper statistics barely notice', () => {
    // Thresholds above any velocity silence the second and third tone of every step: no more chords.
    expect(measureOutput(AS_IS, asSteps, [10, 128, 128], references).realismDistance).toBeGreaterThan(
      same.realismDistance! + 0.3,
    )
    // Every velocity within 4 of 64: the velocity spread and intensity span collapse.
    const flat = asSteps.map((steps) =>
      steps.map((step) =>
        step.map((tone, j) => ({ ...tone, intensity: tone.intensity && 62 + ((j + tone.pitch) % 5) })),
      ),
    )
    const flattened = measureOutput(AS_IS, flat, EVERY_TONE, references)
    expect(flattened.rhythmOverlap).toBeLessThan(same.rhythmOverlap! - 0.08)
  })

  it('has no overlap without a rhythm reference, and none for output that never fills the bars', () => {
    expect(
      measureOutput(AS_IS, asSteps, EVERY_TONE, { ...references, rhythm: null }).rhythmOverlap,
    ).toBeNull()
    const short = measureOutput(AS_IS, [asSteps[0].slice(0, 4)], EVERY_TONE, references)
    expect(short.windows).toEqual([[]])
    expect(short.rhythmOverlap).toBe(0)
  })
})

describe('closest', () => {
  const output = (temperature: number, realismDistance: number | null, rhythmOverlap: number | null) =>
    ({ temperature, realismDistance, rhythmOverlap }) as CandidateOutput

  it('is the candidate of the lowest combined distance, not of the lowest realism distance', () => {
    // 0.8 is closest in pitch content, but its rhythm overlaps far less: 0.2 + 0.5 against 0.3 + 0.1.
    const candidates = [output(0.7, 0.4, 0.7), output(0.8, 0.2, 0.5), output(0.9, 0.3, 0.9)]
    expect(closest(candidates).temperature).toBe(0.9)
  })

  it('keeps the first of equals, and passes over candidates it could not measure', () => {
    expect(closest([output(0.6, null, 0.9), output(0.7, 0.3, 0.9), output(0.8, 0.3, 0.9)]).temperature).toBe(
      0.7,
    )
    expect(closest([output(0.6, null, null), output(0.7, 0.5, null)]).temperature).toBe(0.7)
  })
})

describe('closestTemperature', () => {
  /** A measure whose combined distance at each candidate temperature is `distances[i]`; it counts its calls. */
  function measureOf(distances: readonly number[]) {
    const asked: number[] = []
    const measure = async (temperature: number) => {
      asked.push(temperature)
      const realismDistance = distances[CANDIDATE_TEMPERATURES.indexOf(temperature as never)]
      return { temperature, realismDistance, rhythmOverlap: null } as CandidateOutput
    }
    return { measure, asked }
  }

  it('measures the middle three, then walks outward only while the closest is at the edge', async () => {
    // CANDIDATE_TEMPERATURES: 0.6, 0.7, 0.8, 0.9, 1, 1.1.
    const inside = measureOf([1.3, 0.7, 0.5, 0.75, 1.1, 1.4])
    expect((await closestTemperature(inside.measure)).temperature).toBe(0.8)
    expect(inside.asked).toEqual([0.7, 0.8, 0.9])
    const low = measureOf([1.5, 1.6, 1.9, 2.2, 2.7, 3])
    expect((await closestTemperature(low.measure)).temperature).toBe(0.6)
    expect(low.asked).toEqual([0.7, 0.8, 0.9, 0.6])
    const high = measureOf([1.3, 1.1, 0.9, 0.7, 0.6, 0.65])
    expect((await closestTemperature(high.measure)).temperature).toBe(1)
    expect(high.asked).toEqual([0.7, 0.8, 0.9, 1, 1.1])
  })
})

describe('measureEpoch', () => {
  it('keeps the closest of hotter velocities, then of leaning towards its figures, at the closest temperature, by the combined distance', async () => {
    const model = { tonesPerStep: 1, hiddenUnits: 8, layers: 2, output: 'sampled' as const, meter: false }
    const generator = new Generator(model, 3)
    const codec = stepCodec(model, { mean: [0, 0, 0, 0], std: [1, 1, 1, 1] })
    const dataset = { slotPresence: [1], ...references } as Dataset
    const chosen = await measureEpoch(generator, codec, dataset, 7)
    const { temperature } = chosen

    const measure = (t: number, velocity: number, repetition = 0) =>
      measureCandidate(generator, codec, dataset, 7, {
        temperature: t,
        scales: velocityScales(velocity),
        repetition,
      })
    const [asIs, ...hotter] = await Promise.all(
      [1, ...CANDIDATE_VELOCITY_SCALES].map((v) => measure(temperature!, v)),
    )
    const byVelocity = closest([asIs, ...hotter])
    const velocity = byVelocity.scales![FEATURES.indexOf('intensity')]
    const leaning = await Promise.all(CANDIDATE_REPETITIONS.map((r) => measure(temperature!, velocity, r)))
    const expected = closest([byVelocity, ...leaning])
    expect(chosen).toMatchObject({
      scales: expected.scales,
      repetition: expected.repetition,
      realismDistance: expected.realismDistance,
      rhythmOverlap: expected.rhythmOverlap,
    })
    // No neighbouring temperature comes closer with velocities as drawn.
    const i = CANDIDATE_TEMPERATURES.indexOf(temperature as never)
    const neighbours = [CANDIDATE_TEMPERATURES[i - 1], CANDIDATE_TEMPERATURES[i + 1]].filter(
      (t) => t !== undefined,
    )
    for (const t of neighbours) expect(closest([asIs, await measure(t, 1)])).toBe(asIs)
    // An untrained G's windows are told from real ones.
    expect(chosen.classifierAccuracy).toBeGreaterThan(0.6)
    generator.dispose()
  }, 60_000)
})
