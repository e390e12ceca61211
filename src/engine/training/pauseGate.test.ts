import { describe, expect, it } from 'vitest'
import { PauseGate } from './pauseGate'

/** Whether `promise` has settled once every callback already queued has run. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false
  void promise.then(() => (done = true))
  await new Promise((resolve) => setImmediate(resolve))
  return done
}

describe('PauseGate', () => {
  it('lets a training through unless paused, and holds it until continued', async () => {
    const gate = new PauseGate()
    expect(await settled(gate.wait())).toBe(true)

    expect(gate.set(true)).toBe(true)
    expect(gate.set(true)).toBe(false)
    expect(gate.paused).toBe(true)
    const waiting = gate.wait()
    expect(await settled(waiting)).toBe(false)

    expect(gate.set(false)).toBe(true)
    expect(gate.set(false)).toBe(false)
    expect(await settled(waiting)).toBe(true)

    // A second pause holds anew.
    gate.set(true)
    expect(await settled(gate.wait())).toBe(false)
  })

  it('lets a paused training go when it is cancelled, before or while it waits', async () => {
    const gate = new PauseGate()
    gate.set(true)
    const controller = new AbortController()
    const waiting = gate.wait(controller.signal)
    expect(await settled(waiting)).toBe(false)
    controller.abort()
    expect(await settled(waiting)).toBe(true)
    expect(gate.paused).toBe(true)
    expect(await settled(gate.wait(controller.signal))).toBe(true)
  })
})
