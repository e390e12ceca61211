// Browser. A take's recipe in one line for the takes list: everything needed to make it again.
import type { StudioTake } from './stores/takes'

export function recipeLine(take: StudioTake, checkpointName: string): string {
  const { seed, temperature, length, lengthUnit = 'steps', count } = take.request
  return [
    checkpointName,
    `seed ${seed}`,
    `temperature ${temperature.toFixed(2)}`,
    `${length} ${length === 1 ? lengthUnit.slice(0, -1) : lengthUnit}`,
    ...(count > 1 ? [`variation ${take.variation + 1} of ${count}`] : []),
    ...(take.primerName ? [`continues ${take.primerName}`] : []),
  ].join(' · ')
}
