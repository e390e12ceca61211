// Node. A progress bar on stderr for long CLI work; silent when stderr is not a terminal, so pipes and
// logs stay clean and stdout is never touched.
import { Presets, SingleBar } from 'cli-progress'

export interface Progress {
  /** Moves on by `by`; a `note` (such as a speed) is shown after the time left until the next one. */
  advance(by?: number, note?: string): void
  stop(): void
}

export function createProgress(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (!stream.isTTY || total === 0) return { advance: () => {}, stop: () => {} }
  const bar = new SingleBar(
    {
      stream,
      format: `${label.padEnd(10)} [{bar}] {value}/{total} {percentage}% | ETA {eta_formatted}{note}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  )
  bar.start(total, 0, { note: '' })
  return {
    advance: (by = 1, note) => bar.increment(by, note === undefined ? {} : { note: ` | ${note}` }),
    stop: () => bar.stop(),
  }
}
