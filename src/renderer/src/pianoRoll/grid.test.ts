import { describe, expect, it } from 'vitest'
import { gridLines } from './grid'

describe('the piano-roll grid', () => {
  it('puts bars and beats of 4/4 by default', () => {
    const { bars, beats } = gridLines([], 3, 9, 40)
    expect(bars).toEqual([
      { time: 4, number: 2, labelled: true },
      { time: 8, number: 3, labelled: true },
    ])
    expect(beats).toEqual([3, 5, 6, 7])
  })

  it('follows time-signature changes', () => {
    const signatures = [{ time: 4, numerator: 6, denominator: 8 }]
    const { bars, beats } = gridLines(signatures, 0, 8, 40)
    expect(bars.map((bar) => bar.time)).toEqual([0, 4, 7])
    expect(beats).toEqual([1, 2, 3, 4.5, 5, 5.5, 6, 6.5, 7.5])
  })

  it('drops beats and labels when zoomed far out', () => {
    const { bars, beats } = gridLines([], 0, 64, 2)
    expect(beats).toEqual([])
    expect(bars.filter((bar) => bar.labelled).map((bar) => bar.number)).toEqual([1, 9])
  })
})
