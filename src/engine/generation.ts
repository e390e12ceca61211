// Node (engine). Generation from a checkpoint's generator (model.md sec. 4): the seed is the only source of
// randomness, the temperature tempers it (temperature.ts), a primer is continued, a range of steps can be
// redrawn while the rest keeps its noise, the length is given in steps or in bars, fewer tones per step
// than the model has may sound, and a steering holds the draws to a key, a range, a grid, a density and a
// chord size (drawRules.ts). Every piece carries its recipe, and a sampling model's pieces the pitches each
// tone was drawn from.
import * as tf from '@tensorflow/tfjs'
import { createHash } from 'node:crypto'
import { APP_VERSION } from '../shared/appVersion'
import { FEATURES, type CheckpointMeta } from '../shared/checkpointMeta'
import { MAX_STEPS, type GenerateRequest } from '../shared/generateRequest'
import type { ModelSettings } from '../shared/modelSettings'
import { barIndexAt, barLength, barLineTime, signatureAt } from '../shared/music/bars'
import { DEFAULT_DECODE_OPTIONS } from '../shared/music/decoding'
import { meterSignature } from '../shared/music/meter'
import { compareNotes, type NoteEvent, type Piece, type TimeSignatureChange } from '../shared/music/piece'
import { allowsPitch, detectKey, nearestAllowedPitch, type Key } from '../shared/music/steering'
import { continuationStart, pieceToSteps, stepOnsets, type Step } from '../shared/music/steps'
import { disposeCheckpointContent, loadCheckpoint } from './checkpointStore'
import { DrawRules } from './model/drawRules'
import { stepsToPiece } from './model/encoding'
import { stepPositions, type KnownPositions } from './model/metricPosition'
import { Generator, noiseWidth, onsetNoise } from './model/networks'
import { pitchChoices, type PitchChoices } from './model/pitchChoices'
import { createRandom } from './random'
import { stepCodec } from './model/stepCodec'
import { readValues } from './model/readValues'
import { runTempered } from './model/temperature'

export type { GenerateRequest }

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
      const values = (await content.generator[name].data()) as Float32Array
      hash.update(name).update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
    }
    return { meta, id: hash.digest('hex').slice(0, 16), generator, dispose: () => generator.dispose() }
  } finally {
    disposeCheckpointContent(content)
  }
}

/**
 * Noise for one variation, [steps x width], for G of `settings`. Prefix-stable: the first k steps get the
 * same noise whatever `steps` is, which is what lets a length in bars generate more and cut.
 */
function noiseFor(
  request: GenerateRequest,
  variation: number,
  steps: number,
  settings: ModelSettings,
): Float32Array {
  const width = noiseWidth(settings)
  const noise = createRandom(request.seed, 'noise', variation).fill(new Float32Array(steps * width))
  const { redraw } = request
  if (redraw && redraw.from < Math.min(steps, redraw.to)) {
    const fresh = createRandom(redraw.seed, 'noise', variation).fill(new Float32Array(steps * width))
    const from = redraw.from * width
    const kept = noise.slice(from, from + width)
    noise.set(fresh.subarray(from, Math.min(steps, redraw.to) * width), from)
    // The range's first step keeps the noise that decides when it starts. The steps before it are the same,
    // and so is G's state, so it starts where it did, in the chosen bars, and no redrawn note lands before.
    for (const [start, end] of onsetNoise(settings)) noise.set(kept.subarray(start, end), from + start)
  }
  return noise
}

function recipeOf(model: LoadedGenerator, request: GenerateRequest, variation: number): string {
  const { seed, temperature, length, lengthUnit = 'steps', primer, redraw, tonesPerStep } = request
  const primerHash = primer
    ? createHash('sha256').update(JSON.stringify(primer.notes)).digest('hex').slice(0, 16)
    : null
  // The checkpoint's id is its weights': its own repetition, where it applies, is named.
  const own = ownRepetition(model, request)
  return JSON.stringify({
    checkpoint: model.id,
    seed,
    variation,
    temperature,
    length,
    lengthUnit,
    primer: primerHash,
    redraw: redraw ?? null,
    // Only when set, so that the recipes of every other generation read as they always have.
    ...(tonesPerStep !== undefined && { tonesPerStep }),
    ...(request.meter !== undefined && { meter: request.meter }),
    ...(request.steering !== undefined && { steering: request.steering }),
    ...(own && { repetition: own }),
    app: APP_VERSION,
  })
}

interface Continuation {
  steps: Step[]
  /** A sampling model's: per step and tone, the pitches it was drawn from. */
  choices?: PitchChoices
}

/**
 * The time signatures a generation keeps time in and writes: the primer's own, or else the requested meter.
 * Without a meter asked for, a primer's (none without one, which is 4/4), as before meters could be asked for.
 */
function signaturesOf(request: GenerateRequest): TimeSignatureChange[] {
  const own = request.primer?.timeSignatures ?? []
  return own.length > 0 || request.meter === undefined ? own : [meterSignature(request.meter)]
}

/** A meter model's metric positions of the primer's steps and the first after them, for every variation. */
function knownPositions(request: GenerateRequest, primerSteps: readonly Step[]): KnownPositions {
  const positions = stepPositions(primerSteps, signaturesOf(request))
  const classes = new Float32Array(request.count * positions.length)
  for (let v = 0; v < request.count; v++) classes.set(positions, v * positions.length)
  return { classes, rows: request.count, steps: primerSteps.length + 1 }
}

/** The steering's key: its own, or the primer's for 'primer'. */
function steeringKey({ steering, primer }: GenerateRequest): Key | undefined {
  if (steering?.key !== 'primer') return steering?.key
  if (!primer) throw new Error('the key can follow the primer only when there is one')
  return detectKey(primer.notes)
}

/** How a generation is steered: the keys it allows, and a sampling model's rules of its draws. */
interface Steered {
  allows?: (pitch: number) => boolean
  rules?: DrawRules
}

/** The model's own repetition, where the steering sets none. */
function ownRepetition(model: LoadedGenerator, { steering }: GenerateRequest): number | undefined {
  return steering?.repetition === undefined ? model.meta.decoding?.repetition : undefined
}

/**
 * What `request`'s steering asks of the model's draws, the first drawn tone's delta measured from `offset`,
 * with the model's own repetition where the steering asks for none; refused, in one line, where the model
 * cannot follow it.
 */
function steered(model: LoadedGenerator, request: GenerateRequest, offset: number): Steered {
  const steering = request.steering ?? {}
  const { output, tonesPerStep } = model.meta.settings.model
  const { grid, density, maxChord } = steering
  const allows = steering.key || steering.range ? allowsPitch(steering, steeringKey(request)) : undefined
  const byTone = [
    grid && 'a grid',
    density && 'a density',
    maxChord && 'a chord size',
    steering.repetition && 'a repetition',
  ].filter(Boolean)
  if (byTone.length > 0 && output !== 'sampled') {
    throw new Error(`the paper's generator takes a key and a range, not ${byTone.join(' or ')}`)
  }
  if (byTone.length > 0 && tonesPerStep > 1) {
    throw new Error(`${byTone.join(' and ')} need a model of one tone per step; this one has ${tonesPerStep}`)
  }
  const repetition = steering.repetition ?? ownRepetition(model, request) ?? 0
  if (output !== 'sampled' || (!request.steering && repetition === 0)) return { allows }
  const barQuarters = barLength(signatureAt(signaturesOf(request), offset))
  const rules = new DrawRules({
    allowsPitch: allows,
    grid,
    density: density === undefined ? undefined : { notesPerBar: density, barQuarters },
    maxKeys: maxChord,
    start: offset,
    repetition,
  })
  return { allows, rules }
}

/** The paper's generator steered to a key and a range: each sounding tone's pitch moved to the nearest key allowed. */
function snapped(steps: Step[], allows: (pitch: number) => boolean): Step[] {
  return steps.map((step) =>
    step.map((tone) =>
      tone.intensity > 0 ? { ...tone, pitch: nearestAllowedPitch(tone.pitch, allows) } : tone,
    ),
  )
}

/** The raw output of every variation, `steps` steps after the primer's (which G is fed, not asked for). */
async function continuations(
  model: LoadedGenerator,
  request: GenerateRequest,
  primerSteps: Step[],
  steps: number,
  { allows, rules }: Steered,
): Promise<Continuation[]> {
  const { settings, normalization } = model.meta
  const { generator } = model
  const codec = stepCodec(settings.model, normalization)
  const total = primerSteps.length + steps
  const noise = new Float32Array(request.count * total * generator.noiseWidth)
  for (let v = 0; v < request.count; v++) {
    noise.set(noiseFor(request, v, total, settings.model), v * total * generator.noiseWidth)
  }

  const { emitted, logits } = tf.tidy(() => {
    const teacher = primerSteps.length
      ? tf.tile(tf.tensor3d(codec.teacher(primerSteps), [1, primerSteps.length, generator.width]), [
          request.count,
          1,
          1,
        ])
      : undefined
    const known = generator.meterWidth > 0 ? knownPositions(request, primerSteps) : undefined
    const shape: [number, number] = [request.count, total]
    const scales = model.meta.decoding?.temperatureScales
    return runTempered(generator, noise, shape, request.temperature, { teacher, known, scales, rules })
  })
  // Read outside the tidy: tidy walks a returned array element by element looking for tensors.
  const output = await readValues(emitted)
  const logitValues = logits && (await readValues(logits))
  const width = generator.width
  return Array.from({ length: request.count }, (_, v) => {
    const range = (values: Float32Array) =>
      values.subarray((v * total + primerSteps.length) * width, (v + 1) * total * width)
    const steps = codec.decode(range(output))
    return {
      steps: allows && !generator.sampling ? snapped(steps, allows) : steps,
      ...(logitValues && {
        choices: pitchChoices(range(logitValues), settings.model.tonesPerStep, request.temperature, allows),
      }),
    }
  })
}

/** The primer followed by variation `v`'s steps, which start at `offset`; notes are cut at `end`. */
function assemble(
  model: LoadedGenerator,
  request: GenerateRequest,
  v: number,
  { steps, choices }: Continuation,
  offset: number,
  end: number,
): Piece {
  const continuation = stepsToPiece(steps, {
    ...DEFAULT_DECODE_OPTIONS,
    intensityThresholds: model.meta.decoding?.intensityThresholds,
    tonesPerStep: request.tonesPerStep,
  })
  const notes: NoteEvent[] = [
    ...(request.primer?.notes ?? []),
    ...continuation.notes.map((note) => ({ ...note, onset: note.onset + offset })),
  ]
  return {
    notes: notes
      .map((note) => ({ ...note, length: Math.min(note.length, end - note.onset) }))
      .sort(compareNotes),
    tempos: request.primer?.tempos ?? [],
    timeSignatures: signaturesOf(request),
    modelOutput: continuation.modelOutput,
    intensityThresholds: continuation.intensityThresholds,
    ...(choices && { pitchChoices: choices.slice(0, steps.length) }),
    recipe: recipeOf(model, request, v),
  }
}

/**
 * The bar line `bars` bars after the bar in which the primer's last note starts, or after time 0 without
 * a primer, in the primer's time signatures (4/4 without any).
 */
function barsEnd(request: GenerateRequest, lastOnset: number, bars: number): number {
  const signatures = signaturesOf(request)
  const first = request.primer?.notes.length ? barIndexAt(signatures, lastOnset) + 1 : 0
  return barLineTime(signatures, first + bars)
}

const DELTA = FEATURES.indexOf('delta')
/** Guards the guess against a corpus whose mean delta is (nearly) zero. */
const SMALLEST_MEAN_DELTA = 1 / 32

/** Steps that likely span `quarters`, from the training corpus's mean delta, with 25% to spare. */
function guessSteps(model: LoadedGenerator, quarters: number): number {
  return Math.ceil((1.25 * quarters) / Math.max(SMALLEST_MEAN_DELTA, model.meta.normalization.mean[DELTA]))
}

/**
 * Every variation's steps up to `end`. `run(steps)` gives the first `steps` steps of each, starting at
 * `offset`, and must give the same ones when asked for more (see noiseFor). From `guess` steps, the count
 * doubles while a variation falls short of `end`, up to MAX_STEPS, where a piece may end early.
 */
export async function stepsUntil(
  run: (steps: number) => Promise<Step[][]>,
  offset: number,
  end: number,
  guess: number,
): Promise<Step[][]> {
  let steps = Math.min(MAX_STEPS, Math.max(1, guess))
  for (;;) {
    const variations = await run(steps)
    // Per variation, the first step that starts at or after `end`, or -1 while none does.
    const cuts = variations.map((variation) =>
      stepOnsets(variation).findIndex((onset) => offset + onset >= end),
    )
    if (steps === MAX_STEPS || cuts.every((cut) => cut >= 0)) {
      return variations.map((variation, v) => (cuts[v] >= 0 ? variation.slice(0, cuts[v]) : variation))
    }
    steps = Math.min(MAX_STEPS, 2 * steps)
  }
}

/** `count` pieces; the same model, request and backend always give the same notes. */
export async function generate(model: LoadedGenerator, request: GenerateRequest): Promise<Piece[]> {
  const { primer } = request
  const { tonesPerStep } = model.meta.settings.model
  if (request.tonesPerStep !== undefined && request.tonesPerStep > tonesPerStep) {
    throw new Error(`asked for ${request.tonesPerStep} tones per step, but the model has ${tonesPerStep}`)
  }
  const primerSteps = primer ? pieceToSteps(primer, tonesPerStep) : []
  // The first delta of the continuation is measured from where it starts.
  const offset = continuationStart(primer?.notes ?? [])
  const inBars = request.lengthUnit === 'bars'
  const end = inBars ? barsEnd(request, offset, request.length) : Infinity
  const steering = steered(model, request, offset)
  let variations: Continuation[] = []
  const run = async (steps: number) =>
    (variations = await continuations(model, request, primerSteps, steps, steering)).map(
      (variation) => variation.steps,
    )
  if (!inBars) await run(request.length)
  else {
    // The last run's pitch choices go with the cut steps: assemble keeps as many as there are steps.
    const cut = await stepsUntil(run, offset, end, guessSteps(model, end - offset))
    variations = cut.map((steps, v) => ({ ...variations[v], steps }))
  }
  return variations.map((variation, v) => assemble(model, request, v, variation, offset, end))
}

/** The file name of variation `index` (0-based) when variations are written into a folder. */
export function variationFileName(index: number): string {
  return `variation-${String(index + 1).padStart(2, '0')}.mid`
}
