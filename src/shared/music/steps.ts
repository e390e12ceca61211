// Runs anywhere. The model's steps (model.md sec. 1 and 4): how notes group into them, and where they lie in
// time. The engine encodes pieces and decodes steps into notes with these; the studio maps a range of bars
// back to the steps to redraw (noise lock).
import { compareNotes, type NoteEvent, type Quadruplet } from './piece'

/** One step in real units: `m` tones, each (length, pitch, intensity, delta); intensity 0 is "no tone". */
export type Step = Quadruplet[]

/** When each step starts: the mean of its tones' deltas after the previous one, never earlier. */
export function stepOnsets(steps: readonly (readonly Quadruplet[])[]): number[] {
  let onset = 0
  return steps.map((step) => {
    onset += Math.max(0, step.reduce((total, tone) => total + tone.delta, 0) / step.length)
    return onset
  })
}

const silentTone = (delta: number): Quadruplet => ({ length: 0, pitch: 0, intensity: 0, delta })

/**
 * The notes without the same key struck twice at one onset, which merged tracks that double a part give
 * (a third of one corpus concerto's notes): a piano plays such a key once, for the longest of its lengths.
 * Sorted as `compareNotes`.
 */
function withoutDoubledKeys(notes: readonly NoteEvent[]): NoteEvent[] {
  const sorted = [...notes].sort((a, b) => compareNotes(a, b) || b.length - a.length)
  return sorted.filter((note, i) => i === 0 || compareNotes(note, sorted[i - 1]) !== 0)
}

/**
 * Groups notes that start together into steps of at most `m` tones, lower pitches first; a chord of more
 * than `m` notes continues in the next step with delta 0. Every tone of a step carries the step's delta.
 * A key struck twice at one onset is one tone (`withoutDoubledKeys`).
 */
export function pieceToSteps(piece: { notes: readonly NoteEvent[] }, tonesPerStep: number): Step[] {
  const steps: Step[] = []
  let previousOnset = 0
  const notes = withoutDoubledKeys(piece.notes)
  for (let i = 0; i < notes.length;) {
    const onset = notes[i].onset
    let end = i
    while (end < notes.length && notes[end].onset === onset) end++
    for (let start = i; start < end; start += tonesPerStep) {
      const delta = start === i ? onset - previousOnset : 0
      const chord = notes.slice(start, Math.min(start + tonesPerStep, end))
      const step: Step = chord.map((note) => ({
        length: note.length,
        pitch: note.pitch,
        intensity: note.velocity,
        delta,
      }))
      while (step.length < tonesPerStep) step.push(silentTone(delta))
      steps.push(step)
    }
    previousOnset = onset
    i = end
  }
  return steps
}

/** Where a generation's continuation starts: where the primer's last note starts, or at 0 without a primer. */
export function continuationStart(primer: readonly NoteEvent[]): number {
  return primer.reduce((last, note) => Math.max(last, note.onset), 0)
}

/** When each step of a generation's continuation (`modelOutput`) starts in the piece. */
export function continuationOnsets(
  modelOutput: readonly (readonly Quadruplet[])[],
  primer: readonly NoteEvent[],
): number[] {
  const offset = continuationStart(primer)
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
  const before = pieceToSteps({ notes: primer }, modelOutput[0].length).length
  return { from: before + first, to: before + last + 1 }
}
