// Browser. A take's recipe in one line for the takes list: everything needed to make it again (its steering
// in brief), or, for an epoch's sample, which it is, and for a recording, that it was played in (neither has
// a recipe).
import type { Piece } from '../../shared/music/piece'
import { detectKey, keyLabel, keyName, type Grid, type Steering } from '../../shared/music/steering'
import type { StudioTake } from './stores/takes'

const GRID_NAMES: Record<Grid, string> = { straight: 'sixteenths', triplets: 'sixteenths and triplets' }

export function recipeLine(take: StudioTake, checkpointName: (id: string) => string): string {
  const { origin } = take
  if (origin.kind === 'epoch-sample')
    return `sample of epoch ${origin.epoch} · ${checkpointName(origin.runId)}`
  if (origin.kind === 'recorded') {
    const bpm = take.piece.tempos[0]?.bpm
    return bpm ? `played in at ${Math.round(bpm)} bpm` : 'played in'
  }
  const { checkpointId, request, variation, primerName, answerAt } = origin.recipe
  const { seed, temperature, length, lengthUnit = 'steps', count, tonesPerStep, meter, steering } = request
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
    ...(steering ? [steeringLine(steering, request.primer, answerAt !== undefined)] : []),
    ...(count > 1 ? [`variation ${variation + 1} of ${count}`] : []),
    ...(primerName ? [`continues ${primerName}`] : []),
    // Beats as musicians count them, from 1.
    ...(answerAt !== undefined ? [`answer from beat ${answerAt + 1}`] : []),
  ].join(' · ')
}

/** The steering in brief: "in D minor, C3-C6, sixteenths". */
function steeringLine(steering: Steering, primer: Piece | undefined, isCall: boolean): string {
  const { key, range, grid, density, maxChord, repetition } = steering
  const keyText = key === 'primer' ? followedKey(primer, isCall) : key && keyName(key)
  return [
    ...(keyText ? [`in ${keyText}`] : []),
    ...(range ? [rangeName(range)] : []),
    ...(grid ? [GRID_NAMES[grid]] : []),
    ...(density !== undefined ? [`${density} notes a bar`] : []),
    ...(maxChord !== undefined ? [`at most ${maxChord} ${maxChord === 1 ? 'key' : 'keys'} at once`] : []),
    ...(repetition !== undefined ? [`repetition ${repetition}`] : []),
  ].join(', ')
}

/** A key that follows the primer's, named as detected there: "D minor (the clip's key)". */
function followedKey(primer: Piece | undefined, isCall: boolean): string {
  const followed = `the ${isCall ? "call's" : "clip's"} key`
  return primer ? `${keyName(detectKey(primer.notes))} (${followed})` : followed
}

/** A range of keys as typed: "C3-C6". */
export const rangeName = ({ lowest, highest }: NonNullable<Steering['range']>) =>
  `${keyLabel(lowest)}-${keyLabel(highest)}`
