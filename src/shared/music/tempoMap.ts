// Runs anywhere. Quarter notes to seconds and back through a piece's tempo changes, for playback, the
// playhead and audio export. A piece without tempo changes plays at the MIDI default of 120 bpm.
import { DEFAULT_BPM, type TempoChange } from './piece'

interface Segment {
  /** Where the segment starts, in quarter notes and in seconds. */
  quarters: number
  seconds: number
  secondsPerQuarter: number
}

export interface TempoMap {
  toSeconds(quarters: number): number
  toQuarters(seconds: number): number
}

export function tempoMap(tempos: readonly TempoChange[], bpmScale = 1): TempoMap {
  const changes = tempos.length && tempos[0].time === 0 ? tempos : [{ time: 0, bpm: DEFAULT_BPM }, ...tempos]
  const segments: Segment[] = []
  for (const { time, bpm } of changes) {
    const previous = segments.at(-1)
    const seconds = previous ? previous.seconds + (time - previous.quarters) * previous.secondsPerQuarter : 0
    segments.push({ quarters: time, seconds, secondsPerQuarter: 60 / (bpm * bpmScale) })
  }
  // The last segment that starts at or before `value` on the given axis.
  const segmentAt = (value: number, axis: 'quarters' | 'seconds') =>
    segments.findLast((segment) => segment[axis] <= value) ?? segments[0]
  return {
    toSeconds: (quarters) => {
      const segment = segmentAt(quarters, 'quarters')
      return segment.seconds + (quarters - segment.quarters) * segment.secondsPerQuarter
    },
    toQuarters: (seconds) => {
      const segment = segmentAt(seconds, 'seconds')
      return segment.quarters + (seconds - segment.seconds) / segment.secondsPerQuarter
    },
  }
}
