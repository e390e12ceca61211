// Runs anywhere. What a generation asks for (model.md sec. 4): the engine's generate() takes it, and the
// engine protocol carries and validates it, so it is written once, here.
import { z } from 'zod'
import { MeterSchema } from './music/meter'
import { PieceSchema } from './music/piece'
import { SteeringSchema } from './music/steering'

/** Bounds that keep one request within memory: every step of every variation is held until the end. */
export const MAX_STEPS = 8192
export const MAX_BARS = 256
export const MAX_COUNT = 64

const seed = z.number().int().min(0)

export const GenerateRequestSchema = z
  .object({
    seed,
    /** Noise scale around its mean: z = 0.5 + temperature * (u - 0.5). 1 is the training distribution. */
    temperature: z.number().min(0).max(2),
    /** How much to generate after the primer, if any, in `lengthUnit`. */
    length: z.number().int().min(1),
    /**
     * 'steps' (the default): model steps. 'bars': the piece ends that many bars after the bar in which the
     * primer's last note starts (after time 0 without a primer), in the primer's time signature or 4/4.
     */
    lengthUnit: z.enum(['steps', 'bars']).optional(),
    /** Variations, generated together in one batch. */
    count: z.number().int().min(1).max(MAX_COUNT),
    primer: PieceSchema.optional(),
    /**
     * At most this many of a step's tones become notes, the loudest (C-RNN-GAN-3 polyphony thinned out); at
     * most the model's own tones per step. Without it, every tone that sounds does.
     */
    tonesPerStep: z.number().int().min(1).optional(),
    /**
     * The time signature of a piece without a primer, or of a primer that has none: a meter model keeps
     * time in it, and the piece is written in it. Without it, 4/4 (MIDI's default), and a primer's own.
     */
    meter: MeterSchema.optional(),
    /** What the draws are held to: key and scale, range, grid, density, chord size (steering.ts). */
    steering: SteeringSchema.optional(),
    /** Redraw the noise of steps [from, to) from another seed; every other step keeps the noise of `seed`. */
    redraw: z.object({ seed, from: z.number().int().min(0), to: z.number().int().min(0) }).optional(),
  })
  .refine(({ length, lengthUnit }) => length <= (lengthUnit === 'bars' ? MAX_BARS : MAX_STEPS), {
    path: ['length'],
    message: `at most ${MAX_STEPS} steps or ${MAX_BARS} bars`,
  })
export type GenerateRequest = z.infer<typeof GenerateRequestSchema>
