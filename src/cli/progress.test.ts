import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createProgress } from './progress'

/** A terminal that keeps what is written to it. */
function terminal(isTTY: boolean) {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString())
      done()
    },
  })
  Object.assign(stream, { isTTY, columns: 200 })
  return { stream: stream as unknown as NodeJS.WriteStream, written: () => chunks.join('') }
}

describe('createProgress', () => {
  it('shows the latest note beside the time left', () => {
    const { stream, written } = terminal(true)
    const progress = createProgress('epoch 1/3', 10, stream)
    progress.advance(1, '1,000 tokens/s')
    progress.advance(1, '3,139 tokens/s')
    progress.stop()
    expect(written()).toMatch(/2\/10 20% \| ETA \S+ \| 3,139 tokens\/s/)
  })

  it('writes nothing where the stream is not a terminal', () => {
    const { stream, written } = terminal(false)
    const progress = createProgress('epoch 1/3', 10, stream)
    progress.advance(1, '3,139 tokens/s')
    progress.stop()
    expect(written()).toBe('')
  })
})
