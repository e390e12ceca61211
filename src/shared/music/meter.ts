// Runs anywhere. The meters a generation can be asked for (model.md sec. 2b), as the CLI, the studio and
// the recipe name them ("3/4").
import { z } from 'zod'
import type { TimeSignatureChange } from './piece'

export const METERS = ['4/4', '3/4', '6/8', '2/4', '5/4'] as const
export const MeterSchema = z.enum(METERS)
export type Meter = z.infer<typeof MeterSchema>

/** The MIDI default, which holds before a piece's first time signature and in a piece without any. */
export const DEFAULT_METER: Meter = '4/4'

/** A meter as the time signature of a piece that starts in it. */
export function meterSignature(meter: Meter): TimeSignatureChange {
  const [numerator, denominator] = meter.split('/').map(Number)
  return { time: 0, numerator, denominator }
}
