// Node. A progress bar on stderr for long CLI work; silent when stderr is not a terminal, so pipes and
// logs stay clean and stdout is never touched.
import { Presets, SingleBar } from 'cli-progress'

export interface Progress {
  advance(by?: number): void
  stop(): void
}

export function createProgress(label: string, total: number): Progress {
  if (!process.stderr.isTTY || total === 0) return { advance: () => {}, stop: () => {} }
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: `${label.padEnd(10)} [{bar}] {value}/{total} {percentage}% | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  )
  bar.start(total, 0)
  return { advance: (by = 1) => bar.increment(by), stop: () => bar.stop() }
}
