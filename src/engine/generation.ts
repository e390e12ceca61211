// Node (engine). Generation from a checkpoint's generator (model.md sec. 4): the seed is the only source of
// randomness, temperature scales the noise around its mean, a primer is continued, and a range of steps
// can be redrawn while the rest keeps its noise. Every piece carries its recipe.
import * as tf from '@tensorflow/tfjs'
import { createHash } from 'node:crypto'
import { APP_VERSION } from '../shared/appVersion'
import type { CheckpointMeta } from '../shared/checkpointMeta'
import { compareNotes, type Piece } from '../shared/music/piece'
import { disposeCheckpointContent, loadCheckpoint } from './checkpointStore'
import { denormalize, encodeSteps, pieceToSteps, stepsToPiece } from './encoding'
import { Generator } from './networks'
import { createRandom } from './random'

export interface GenerateRequest {
  seed: number
  /** Noise scale around its mean: z = 0.5 + temperature * (u - 0.5). 1 is the training distribution. */
  temperature: number
  /** Steps to generate (after the primer, if any). */
  length: number
  /** Variations, generated together in one batch. */
  count: number
  primer?: Piece
  /** Redraw the noise of steps [from, to) from another seed; every other step keeps the noise of `seed`. */
  redraw?: { seed: number; from: number; to: number }
}

export interface LoadedGenerator {
  meta: CheckpointMeta
  /** A short hash of the generator's weights, for recipes. */
  id: string
  generator: Generator
  dispose(): void
}

export async function loadGenerator(dir: string): Promise<LoadedGenerator> {
  const content = await loadCheckpoint(dir)
  try {
    const { meta } = content
    const generator = new Generator(meta.settings.model, 0)
    generator.loadWeights(content.generator)
    const hash = createHash('sha256')
    for (const name of Object.keys(content.generator).sort()) {
      hash.update(name).update(new Uint8Array(content.generator[name].dataSync().buffer))
    }
    return { meta, id: hash.digest('hex').slice(0, 16), generator, dispose: () => generator.dispose() }
  } finally {
    disposeCheckpointContent(content)
  }
}

/** Noise for one variation, [steps x width], scaled by the temperature. */
function noiseFor(request: GenerateRequest, variation: number, steps: number, width: number): Float32Array {
  const noise = createRandom(request.seed, 'noise', variation).fill(new Float32Array(steps * width))
  const { redraw } = request
  if (redraw) {
    const fresh = createRandom(redraw.seed, 'noise', variation).fill(new Float32Array(steps * width))
    const from = Math.max(0, redraw.from) * width
    noise.set(fresh.subarray(from, Math.min(steps, redraw.to) * width), from)
  }
  return noise.map((u) => 0.5 + request.temperature * (u - 0.5))
}

function recipeOf(model: LoadedGenerator, request: GenerateRequest, variation: number): string {
  const { seed, temperature, length, primer, redraw } = request
  const primerHash = primer
    ? createHash('sha256').update(JSON.stringify(primer.notes)).digest('hex').slice(0, 16)
    : null
  return JSON.stringify({
    checkpoint: model.id,
    seed,
    variation,
    temperature,
    length,
    primer: primerHash,
    redraw: redraw ?? null,
    app: APP_VERSION,
  })
}

/** `count` pieces; the same model, request and backend always give the same notes. */
export function generate(model: LoadedGenerator, request: GenerateRequest): Piece[] {
  const { settings, normalization } = model.meta
  const { tonesPerStep } = settings.model
  const width = model.generator.width
  const primerSteps = request.primer ? pieceToSteps(request.primer, tonesPerStep) : []
  const total = primerSteps.length + request.length
  const noise = new Float32Array(request.count * total * width)
  for (let v = 0; v < request.count; v++) noise.set(noiseFor(request, v, total, width), v * total * width)

  const output = tf.tidy(() => {
    const teacher = primerSteps.length
      ? tf.tile(tf.tensor3d(encodeSteps(primerSteps, normalization), [1, primerSteps.length, width]), [
          request.count,
          1,
          1,
        ])
      : undefined
    return (
      model.generator
        .run(tf.tensor3d(noise, [request.count, total, width]), teacher as tf.Tensor3D | undefined)
        .dataSync() as Float32Array
    ).slice()
  })

  // The continuation starts where the primer's last event starts: its first delta is measured from there.
  const primerNotes = request.primer?.notes ?? []
  const offset = primerNotes.length ? Math.max(...primerNotes.map((note) => note.onset)) : 0
  return Array.from({ length: request.count }, (_, v) => {
    const own = output.subarray((v * total + primerSteps.length) * width, (v + 1) * total * width)
    const continuation = stepsToPiece(denormalize(own, tonesPerStep, normalization))
    const notes = [
      ...primerNotes,
      ...continuation.notes.map((note) => ({ ...note, onset: note.onset + offset })),
    ].sort(compareNotes)
    return {
      notes,
      tempos: request.primer?.tempos ?? [],
      timeSignatures: request.primer?.timeSignatures ?? [],
      modelOutput: continuation.modelOutput,
      recipe: recipeOf(model, request, v),
    }
  })
}
