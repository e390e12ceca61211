// Browser code's tests. An audio clock and a timer that only move when the test says so.
export function fakeClock(start = 0) {
  let time = start
  const timers = new Set<() => void>()
  return {
    now: () => time,
    every: (_ms: number, tick: () => void) => {
      timers.add(tick)
      return () => timers.delete(tick)
    },
    /** Moves the clock to `to` in 25 ms steps, ticking the timers as the real one would. */
    advance(to: number) {
      while (time < to - 1e-9) {
        time = Math.min(to, time + 0.025)
        for (const tick of [...timers]) tick()
      }
    },
    timers,
  }
}
