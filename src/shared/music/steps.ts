// Runs anywhere. Where the model's steps lie in time (model.md sec. 1 and 4): the engine decodes steps into
// notes with these onsets, and the studio maps a range of bars back to the steps to redraw (noise lock).
import type { NoteEvent, Quadruplet } from './piece'

/** When each step starts: the mean of its tones' deltas after the previous one, never earlier. */
export function stepOnsets(steps: readonly (readonly Quadruplet[])[]): number[] {
  let onset = 0
  return steps.map((step) => {
    onset += Math.max(0, step.reduce((total, tone) => total + tone.delta, 0) / step.length)
    return onset
  })
}

/**
 * How many steps the engine's pieceToSteps makes of these notes: one per onset, and one more for each
 * further `tonesPerStep` notes of a chord.
 */
export function stepCount(notes: readonly NoteEvent[], tonesPerStep: number): number {
  const chords = new Map<number, number>()
  for (const { onset } of notes) chords.set(onset, (chords.get(onset) ?? 0) + 1)
  return [...chords.values()].reduce((total, size) => total + Math.ceil(size / tonesPerStep), 0)
}

/**
 * When each step of a generation's continuation (`modelOutput`) starts in the piece: it starts where the
 * primer's last note starts, or at 0 without a primer.
 */
export function continuationOnsets(
  modelOutput: readonly (readonly Quadruplet[])[],
  primer: readonly NoteEvent[],
): number[] {
  const offset = primer.reduce((last, note) => Math.max(last, note.onset), 0)
  return stepOnsets(modelOutput).map((onset) => offset + onset)
}

/**
 * The steps [from, to) of a generation whose onsets lie in quarters [start, end), counted as the engine's
 * redraw counts them: the primer's steps first, then the continuation's (see continuationOnsets). Null
 * when no step starts in the range.
 */
export function stepsBetween(
  modelOutput: readonly (readonly Quadruplet[])[],
  primer: readonly NoteEvent[],
  start: number,
  end: number,
): { from: number; to: number } | null {
  if (modelOutput.length === 0) return null
  const onsets = continuationOnsets(modelOutput, primer)
  // Onsets never decrease, so the steps in the range are one run.
  const first = onsets.findIndex((onset) => onset >= start)
  if (first < 0 || onsets[first] >= end) return null
  let last = first
  while (last + 1 < onsets.length && onsets[last + 1] < end) last++
  const before = stepCount(primer, modelOutput[0].length)
  return { from: before + first, to: before + last + 1 }
}
