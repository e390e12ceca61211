// Runs under vitest (Node). The epoch's realism distance on real pieces from the corpus, turned into model
// steps as if G had written them.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { corpusFile } from '../../../test/corpus'
import { midiToPiece } from '../../shared/music/midiToPiece'
import { DEFAULT_REALISM_WINDOW } from '../../shared/music/realism'
import { tonesOf, windowedStatistics, type Tone } from '../../shared/music/statistics'
import { pieceToSteps } from '../../shared/music/steps'
import { epochRealism, trainingReference } from './epochRealism'

const names = ['Mozart/mz_311_1.mid', 'Mozart/mz_330_1.mid', 'Mozart/mz_545_1.mid', 'Bach/bach_846.mid']
const pieces = names.map((name) => midiToPiece(readFileSync(corpusFile(`piano-midi-de/${name}`))))
// The same pieces as steps of three tones, as if G had written them.
const asSteps = pieces.map((piece) => pieceToSteps(piece, 3))
const EVERY_TONE = [10, 10, 10]
const windowsOf = (pieces: readonly Tone[][]) =>
  pieces.flatMap((tones) => windowedStatistics(tones, DEFAULT_REALISM_WINDOW))

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
  const reference = trainingReference(windowsOf(pieces.map(tonesOf)))

  it('finds the training pieces themselves close, as steps, and far once their chords are silenced', () => {
    // Not 0: a step keeps three tones of a larger chord.
    const same = epochRealism(asSteps, EVERY_TONE, reference)!
    expect(same).toBeLessThan(0.1)
    // Thresholds above any velocity silence the second and third tone of every step: no more chords.
    expect(epochRealism(asSteps, [10, 128, 128], reference)!).toBeGreaterThan(same + 0.3)
  })

  it('is null without a reference, or when no variation has a full window of tones', () => {
    expect(epochRealism(asSteps, EVERY_TONE, null)).toBeNull()
    expect(epochRealism([asSteps[0].slice(0, 50)], EVERY_TONE, reference)).toBeNull()
  })
})
