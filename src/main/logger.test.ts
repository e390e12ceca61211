// The logger writes real files.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { createLogger } from './logger'

describe('the logger', () => {
  it('appends timestamped lines to main.log in its folder, creating the folder', () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    const directory = join(mkdtempSync(join(tmpdir(), 'cadenza-log-')), 'logs')
    const logger = createLogger(directory, () => new Date(Date.UTC(2025, 0, 2, 3, 4, 5)))
    logger.log('engine started')
    logger.log('Error: boom\nat somewhere')
    expect(logger.file).toBe(join(directory, 'main.log'))
    expect(readFileSync(logger.file, 'utf8')).toBe(
      '2025-01-02T03:04:05.000Z engine started\n2025-01-02T03:04:05.000Z Error: boom\n    at somewhere\n',
    )
    vi.restoreAllMocks()
  })
})
