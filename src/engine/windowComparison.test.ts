// Runs under vitest (Node). Real pieces against real pieces whose onsets were pushed off the beat.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { SONATA_DIR } from '../../test/corpus'
import { mulberry32 } from '../../test/seededRandom'
import { midiToPiece } from '../shared/music/midiToPiece'
import { compareNotes, type Piece } from '../shared/music/piece'
import { barWindowStatistics, WINDOW_STATISTIC_NAMES } from '../shared/music/rhythm'
import { useCpuForTwoSampleTests } from './twoSampleTest'
import { compareWindows, type WindowComparison } from './windowComparison'

const pieces = readdirSync(SONATA_DIR)
  .filter((name) => name.endsWith('.mid'))
  .sort()
  .slice(0, 24)
  .map((name) => midiToPiece(readFileSync(join(SONATA_DIR, name))))

/** The piece with every onset moved by up to a tenth of a quarter, either way. */
function offTheBeat(piece: Piece, seed: number): Piece {
  const random = mulberry32(seed)
  const notes = piece.notes.map((note) => ({
    ...note,
    onset: Math.max(0, note.onset + 0.2 * (random() - 0.5)),
  }))
  return { ...piece, notes: notes.sort(compareNotes) }
}

beforeAll(useCpuForTwoSampleTests)

describe('compareWindows', () => {
  const real = pieces.slice(8).map((piece) => barWindowStatistics(piece))
  const generated = pieces.slice(0, 8).map((piece, i) => barWindowStatistics(offTheBeat(piece, i)))
  let comparison: WindowComparison
  beforeAll(async () => {
    comparison = await compareWindows(generated, real)
  })

  it('gives every statistic its medians and overlap', () => {
    expect(Object.keys(comparison.perStatistic)).toEqual([...WINDOW_STATISTIC_NAMES])
    expect(comparison.generatedWindows).toBe(generated.flat().length)
    expect(comparison.realWindows).toBe(real.flat().length)
  })

  it('hears onsets off the beat: on_grid overlaps little, the classifier tells the sets apart', () => {
    const onGrid = comparison.perStatistic.on_grid
    expect(onGrid.generatedMedian).toBeLessThan(0.6) // half the shifts are within 1/20 quarter
    expect(onGrid.realMedian).toBeGreaterThan(0.85)
    expect(onGrid.generatedMean).toBeLessThan(0.6)
    expect(onGrid.realMean).toBeGreaterThan(0.8) // the pieces' triplet passages lie off the sixteenths
    expect(onGrid.overlap).toBeLessThan(0.4)
    // What the shifts do not touch, pitch, overlaps far more.
    expect(comparison.perStatistic.pc_entropy_4.overlap).toBeGreaterThan(0.6)
    expect(comparison.classifier!.accuracy).toBeGreaterThan(0.85)
  })

  it('reports real pieces against real pieces near chance, as a floor', () => {
    const floor = comparison.realAgainstReal!
    expect(floor.accuracy).toBeLessThan(0.7)
    expect(floor.windowsPerSet).toBeGreaterThan(100)
  })

  it('refuses a set without windows', async () => {
    await expect(compareWindows([[]], real)).rejects.toThrow(/generated set has no window/)
  })
})
