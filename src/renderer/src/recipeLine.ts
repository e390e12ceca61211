// Browser. A take's recipe in one line for the takes list: everything needed to make it again, or, for an
// epoch's sample, which it is, and for a recording, that it was played in (neither has a recipe).
import type { StudioTake } from './stores/takes'

export function recipeLine(take: StudioTake, checkpointName: (id: string) => string): string {
  const { origin } = take
  if (origin.kind === 'epoch-sample')
    return `sample of epoch ${origin.epoch} · ${checkpointName(origin.runId)}`
  if (origin.kind === 'recorded') {
    const bpm = take.piece.tempos[0]?.bpm
    return bpm ? `played in at ${Math.round(bpm)} bpm` : 'played in'
  }
  const { checkpointId, request, variation, primerName, answerAt } = origin.recipe
  const { seed, temperature, length, lengthUnit = 'steps', count, tonesPerStep, meter } = request
  return [
    checkpointName(checkpointId),
    `seed ${seed}`,
    `temperature ${temperature.toFixed(2)}`,
    `${length} ${length === 1 ? lengthUnit.slice(0, -1) : lengthUnit}`,
    // A request carries it only when it leaves some of the model's tones out.
    ...(tonesPerStep !== undefined
      ? [`${tonesPerStep} ${tonesPerStep === 1 ? 'tone' : 'tones'} per step`]
      : []),
    ...(meter !== undefined ? [`in ${meter}`] : []),
    ...(count > 1 ? [`variation ${variation + 1} of ${count}`] : []),
    ...(primerName ? [`continues ${primerName}`] : []),
    // Beats as musicians count them, from 1.
    ...(answerAt !== undefined ? [`answer from beat ${answerAt + 1}`] : []),
  ].join(' · ')
}
