import { describe, expect, it } from 'vitest'
import type { NoteEvent } from '../../../shared/music/piece'
import { indexNotes, visibleNotes } from './visibleNotes'

const note = (onset: number, length: number, pitch = 60): NoteEvent => ({
  onset,
  length,
  pitch,
  velocity: 80,
})

describe('visibleNotes', () => {
  it('finds exactly the notes that sound in the window, long ones started before it included', () => {
    const notes = [note(0, 16, 40), note(1, 1), note(4, 1), note(5, 0.5, 90), note(7.5, 1), note(9, 1)]
    const visible = visibleNotes(indexNotes(notes), 4.5, 8, 30, 80)
    expect(visible).toEqual([note(0, 16, 40), note(4, 1), note(7.5, 1)])
  })

  it('shows a zero-length note at its onset', () => {
    expect(visibleNotes(indexNotes([note(2, 0)]), 2, 3, 0, 127)).toEqual([note(2, 0)])
    expect(visibleNotes(indexNotes([note(1.5, 0)]), 2, 3, 0, 127)).toEqual([])
  })

  it('agrees with a plain scan over a large piece', () => {
    let seed = 7
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    const notes = Array.from({ length: 10_000 }, (_, i) =>
      note(
        i * 0.25 + random() * 0.2,
        random() < 0.05 ? random() * 32 : random() * 2,
        21 + Math.floor(random() * 88),
      ),
    ).sort((a, b) => a.onset - b.onset)
    const index = indexNotes(notes)
    for (const [from, to, low, high] of [
      [0, 10, 0, 127],
      [1000, 1030.5, 50, 70],
      [2499, 2600, 21, 108],
    ]) {
      const plain = notes.filter(
        (n) => n.onset < to && n.onset + n.length > from && n.pitch >= low && n.pitch <= high,
      )
      expect(visibleNotes(index, from, to, low, high)).toEqual(plain)
    }
  })
})
