import { describe, expect, it } from 'vitest'
import { isMidiFileName, MIDI_EXTENSION_NAMES } from './midiFileNames'

describe('MIDI file names', () => {
  it('are .mid, .midi and .rmi in any letter case, at the end of the name only', () => {
    for (const name of ['a.mid', 'B.MIDI', 'dir/c.Rmi', 'x.y.mid']) expect(isMidiFileName(name)).toBe(true)
    for (const name of ['a.txt', 'a.mid.txt', 'a.rm', 'a.midii', 'mid', 'a.wav']) {
      expect(isMidiFileName(name)).toBe(false)
    }
    expect(MIDI_EXTENSION_NAMES).toBe('.mid, .midi or .rmi')
  })
})
