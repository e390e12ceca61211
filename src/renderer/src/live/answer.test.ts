import { describe, expect, it } from 'vitest'
import { pieceOf } from '../testing/fakeServices'
import { answerBeat, callTime, continuation, placeAnswer } from './answer'

describe('answerBeat', () => {
  it('is the next beat at which the answer can be scheduled in time, later by whole beats when generation is slow', () => {
    const timing = { callStart: 1000, bpm: 120, lead: 30 }
    // The gap ended at 3100 ms (quarter 4.2): generated in 100 ms, the answer starts on beat 5 (3500 ms).
    expect(answerBeat({ ...timing, ready: 3200 })).toBe(5)
    // Generation that ends after 3470 ms misses that beat, and the answer starts a beat later.
    expect(answerBeat({ ...timing, ready: 3480 })).toBe(6)
    expect(answerBeat({ ...timing, ready: 3470 })).toBe(5)
    expect(callTime(1000, 120, 5)).toBe(3500)
  })
})

describe('placeAnswer', () => {
  const primer = pieceOf([0, 1, 60, 80], [1, 1, 62, 80])

  it('finds the continuation among the primer notes, the same note twice included', () => {
    const generated = pieceOf([0, 1, 60, 80], [1, 1, 62, 80], [1, 1, 62, 80], [2.25, 0.5, 64, 70])
    expect(continuation(generated, primer)).toEqual([
      { onset: 1, length: 1, pitch: 62, velocity: 80 },
      { onset: 2.25, length: 0.5, pitch: 64, velocity: 70 },
    ])
  })

  it('keeps the call as played and moves the answer to start on the given quarter, its rhythm kept', () => {
    const generated = pieceOf([0, 1, 60, 80], [1, 1, 62, 80], [2.25, 0.5, 64, 70], [2.75, 1, 65, 70])
    expect(placeAnswer(generated, primer, 5).notes).toEqual(
      pieceOf([0, 1, 60, 80], [1, 1, 62, 80], [5, 0.5, 64, 70], [5.5, 1, 65, 70]).notes,
    )
  })
})
