import { describe, expect, it } from 'vitest'
import { endedAtRestrike, type NoteEvent } from './piece'

const note = (onset: number, length: number, pitch: number): NoteEvent => ({
  onset,
  length,
  pitch,
  velocity: 80,
})

describe('endedAtRestrike', () => {
  it('ends a note where its key is struck again, and leaves every other note and the order as they were', () => {
    const notes = [note(0, 2, 60), note(0, 3, 64), note(0.5, 0.25, 60), note(1, 1, 60), note(2.5, 1, 64)]
    expect(endedAtRestrike(notes)).toEqual([
      note(0, 0.5, 60),
      note(0, 2.5, 64),
      note(0.5, 0.25, 60),
      note(1, 1, 60),
      note(2.5, 1, 64),
    ])
  })

  it('gives the first of two notes of one key at one onset no length, as a piano plays one of them', () => {
    expect(endedAtRestrike([note(1, 1, 60), note(1, 0.5, 60)])).toEqual([note(1, 0, 60), note(1, 0.5, 60)])
  })
})
