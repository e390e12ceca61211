import { describe, expect, it } from 'vitest'
import { readableError } from './errors'

describe('readableError', () => {
  it('strips the prefix Electron puts on errors from main', () => {
    const error = new Error("Error invoking remote method 'generate': Error: the checkpoint is damaged")
    expect(readableError(error)).toBe('the checkpoint is damaged')
  })

  it('keeps what main says about an invalid argument', () => {
    const error = new Error(
      "Error invoking remote method 'cadenza:generate': Error: cadenza:generate: invalid argument 2.temperature: Too big",
    )
    expect(readableError(error)).toBe('cadenza:generate: invalid argument 2.temperature: Too big')
  })

  it('reads thrown values that are not errors', () => {
    expect(readableError('engine stopped')).toBe('engine stopped')
  })

  it('never gives an empty line', () => {
    expect(readableError(new Error(''))).toBe('Something went wrong.')
  })
})
