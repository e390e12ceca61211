// File names made from names the user typed.
import { describe, expect, it } from 'vitest'
import { safeFileName, takeFileName } from './takeFiles'

describe('file names from user names', () => {
  it('keep the name, less what would make a path or that a file system refuses', () => {
    expect(takeFileName('Take 1')).toBe('Take 1.mid')
    expect(takeFileName('../../etc/passwd')).toBe('-..-etc-passwd.mid')
    expect(takeFileName('a\\b:c*?"<>|\u0007d')).toBe('a-b-c-------d.mid')
    expect(takeFileName(' .hidden. ')).toBe('hidden.mid')
    expect(takeFileName('...')).toBe('untitled.mid')
    expect(takeFileName('CON')).toBe('CON-.mid')
    expect(takeFileName('x'.repeat(300))).toBe(`${'x'.repeat(100)}.mid`)
    expect(safeFileName('Default model', '.cadenza')).toBe('Default model.cadenza')
  })
})
