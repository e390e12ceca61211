// Node (engine). Where a paused training holds between steps. Holding is awaiting a promise that
// continuing (or cancelling) settles, so a paused training leaves the CPU idle instead of polling.
export class PauseGate {
  /** Set while paused: what waiting trainings hold on, and what lets them go. */
  private hold: { released: Promise<void>; release: () => void } | null = null

  get paused(): boolean {
    return this.hold !== null
  }

  /** Pauses or continues; returns whether that changed anything. */
  set(paused: boolean): boolean {
    if (paused === this.paused) return false
    if (paused) {
      let release = () => {}
      const released = new Promise<void>((resolve) => (release = resolve))
      this.hold = { released, release }
    } else {
      this.hold!.release()
      this.hold = null
    }
    return true
  }

  /** Resolves at once unless paused; then when continued, or when `signal` aborts (cancel ends a pause). */
  wait(signal?: AbortSignal): Promise<void> {
    const hold = this.hold
    if (hold === null || signal?.aborted) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done)
        resolve()
      }
      signal?.addEventListener('abort', done, { once: true })
      void hold.released.then(done)
    })
  }
}
