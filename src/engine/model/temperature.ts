// Node (engine). Temperature (model.md sec. 4 and 2a) scales G's input noise around its mean,
// z = 0.5 + τ(u - 0.5), and a sampling generator's draws too: their Gumbel noise is scaled by τ, so near 0
// it takes the likeliest class and at 1 draws from the learned distribution. At 0 either kind follows its
// noise-free path. Every place that runs G at a temperature goes through here.
import * as tf from '@tensorflow/tfjs'
import type { GenerationOptions, Generator } from './networks'

/** The temperatures at which a sampling generator's output is measured after each epoch (epochRealism.ts). */
export const CANDIDATE_TEMPERATURES = [0.6, 0.7, 0.8, 0.9, 1, 1.1] as const

/**
 * The scales of the velocities' temperature then tried at the closest of them (epochRealism.ts); 1.5 was
 * never the closest where measured (docs/model-experiments.md).
 */
export const CANDIDATE_VELOCITY_SCALES = [1.25] as const

/**
 * The repetitions (figureMemory.ts) then tried at the closest of those: of 0, 0.15, 0.3 and 0.45, 0.3 took
 * the default model closest to its training pieces (docs/model-experiments.md).
 */
export const CANDIDATE_REPETITIONS = [0.3] as const

/** The noise G is given at `temperature`: its input noise scaled around its mean, the draws' as drawn. */
export function temperedNoise(generator: Generator, noise: Float32Array, temperature: number): Float32Array {
  const { noiseWidth, inputNoiseWidth } = generator
  const tempered = noise.slice()
  for (let step = 0; step < noise.length; step += noiseWidth) {
    for (let i = step; i < step + inputNoiseWidth; i++) tempered[i] = 0.5 + temperature * (noise[i] - 0.5)
  }
  return tempered
}

/**
 * G over `noise` [count x steps x noiseWidth] at `temperature`, with the options of
 * Generator.runWithLogits (a teacher to continue, a meter model's known positions, the checkpoint's
 * temperature scales, the draws' rules), without gradients: what it emits and, for a sampling G, its
 * logits. Run inside the caller's tf.tidy.
 */
export function runTempered(
  generator: Generator,
  noise: Float32Array,
  shape: [count: number, steps: number],
  temperature: number,
  options: Omit<GenerationOptions, 'temperature'> = {},
): { emitted: tf.Tensor3D; logits: tf.Tensor3D | undefined } {
  const input = tf.tensor3d(temperedNoise(generator, noise, temperature), [...shape, generator.noiseWidth])
  return generator.runWithLogits(input, { ...options, temperature: generator.sampling ? temperature : 1 })
}
