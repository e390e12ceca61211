// Runs anywhere. What a collapsed generator's music looks like within a run of tones (model.md sec. 3,
// anchor): few distinct pitches, one short figure played over and over, every key struck at once. Measured
// on windows of tones of generated and of training pieces alike, so that one is judged by the other's range.
import type { Tone } from './statistics'

/** The longest figure, in tones, whose repetition counts as a loop. */
export const MAX_LOOP_PERIOD = 16

/**
 * The longest stretch of `pitches` that plays one figure of up to `maxPeriod` tones at least twice in a
 * row, in tones (the figure's first statement included); 0 when nothing repeats so. A key struck five
 * times is a loop of 5; an Alberti bass over two bars one of 16.
 */
export function longestLoop(pitches: readonly number[], maxPeriod = MAX_LOOP_PERIOD): number {
  let longest = 0
  for (let period = 1; period <= maxPeriod; period++) {
    let run = 0
    for (let i = period; i < pitches.length; i++) {
      run = pitches[i] === pitches[i - period] ? run + 1 : 0
      if (run >= period) longest = Math.max(longest, run + period)
    }
  }
  return longest
}

/** Tones per distinct onset: 1 for a melody, the chord's size where everything is a chord. */
export function notesPerOnset(tones: readonly Tone[]): number {
  return tones.length / new Set(tones.map((tone) => tone.onset)).size
}

export interface LoopMeasures {
  distinct_pitches: number
  longest_loop: number
  notes_per_onset: number
}

/** The measures of each consecutive run of `window` tones; a trailing shorter run is left out. */
export function loopMeasures(tones: readonly Tone[], window: number): LoopMeasures[] {
  const result: LoopMeasures[] = []
  for (let start = 0; start + window <= tones.length; start += window) {
    const run = tones.slice(start, start + window)
    const pitches = run.map((tone) => tone.pitch)
    result.push({
      distinct_pitches: new Set(pitches).size,
      longest_loop: longestLoop(pitches),
      notes_per_onset: notesPerOnset(run),
    })
  }
  return result
}
