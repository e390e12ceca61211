// Node (engine). C-RNN-GAN's two networks (model.md sec. 2): a unidirectional LSTM generator fed with noise
// and its own previous output, and a bidirectional LSTM discriminator with one sigmoid per step. The
// generator either regresses each tone's four values (the paper's) or, with `output: 'sampled'`, gives a
// distribution over each value's classes (toneClasses.ts) and draws from it (model.md sec. 2a; what is
// particular to drawing classes is in sampledClasses.ts, the rules of the draws in drawRules.ts). Every
// method that returns tensors must run inside the caller's tf.tidy.
import * as tf from '@tensorflow/tfjs'
import { FEATURES } from '../../shared/checkpointMeta'
import type { ModelSettings } from '../../shared/modelSettings'
import { FEATURE_COUNT } from './encoding'
import { CLASS_COUNTS, GROUP_OFFSETS, TONE_WIDTH } from './toneClasses'
import {
  CACHE_TENSORS_PER_STEP,
  glorotVariable,
  LstmLayer,
  packCaches,
  unpackCaches,
  unstackTime,
  type LstmState,
  type NamedVariable,
  type StepCache,
} from './lstm'
import { columnSums, denseRows, transposeRows } from './denseRows'
import { DeviceRules, DrawRules, RowRules } from './drawRules'
import { DeviceFigureMemory, FigureMemory } from './figureMemory'
import { DrawnGeneration } from './drawnGeneration'
import { DeviceMeterClock, MeterClock, METER_WIDTH, startingAt, type KnownPositions } from './metricPosition'
import { meterSignature, DEFAULT_METER } from '../../shared/music/meter'
import { gumbel } from '../wasm/gumbel'
import type { OneHotRows } from './oneHotRows'
import { MinibatchDiscrimination, MINIBATCH_KERNELS } from './minibatchDiscrimination'
import { canReadSynchronously } from './readValues'
import { draw, groupColumns, groupSums, straightThrough } from './sampledClasses'

/** Values per time step that G emits and D reads: `m` tones of four values, or of four one-hot groups. */
export function stepWidth(settings: ModelSettings): number {
  return settings.tonesPerStep * (settings.output === 'sampled' ? TONE_WIDTH : FEATURE_COUNT)
}

/** Values per step of a meter model's metric position (metricPosition.ts), which G and D read beside each step. */
export function meterWidth(settings: ModelSettings): number {
  return settings.meter ? METER_WIDTH : 0
}

/** G's input noise per step: as wide as a step of four values, as in the paper. */
function inputNoiseWidth(settings: ModelSettings): number {
  return settings.tonesPerStep * FEATURE_COUNT
}

/** Uniform noise per step: G's input noise and, for a sampling G, one value per class for its draws. */
export function noiseWidth(settings: ModelSettings): number {
  return inputNoiseWidth(settings) + (settings.output === 'sampled' ? stepWidth(settings) : 0)
}

/**
 * The parts [start, end) of a step's noise that decide when it starts, given G's state: all of it for the
 * paper's G, whose every value comes from its input noise; for a sampling G its input noise and the draws of
 * its tones' deltas.
 */
export function onsetNoise(settings: ModelSettings): [start: number, end: number][] {
  if (settings.output !== 'sampled') return [[0, noiseWidth(settings)]]
  const input = inputNoiseWidth(settings)
  const delta = FEATURES.indexOf('delta')
  const deltas = Array.from({ length: settings.tonesPerStep }, (_, tone): [number, number] => {
    const start = input + tone * TONE_WIDTH + GROUP_OFFSETS[delta]
    return [start, start + CLASS_COUNTS[delta]]
  })
  return [[0, input], ...deltas]
}

/** Every value drawn at temperature 1, as in training. */
const AS_TRAINED = FEATURES.map(() => 1)
const PITCH = FEATURES.indexOf('pitch')

/** A dense layer shared across time steps. */
class TimeDense {
  readonly kernel: tf.Variable
  readonly bias: tf.Variable

  constructor(
    readonly name: string,
    inputSize: number,
    outputSize: number,
    seed: number,
  ) {
    this.kernel = glorotVariable([inputSize, outputSize], seed)
    this.bias = tf.tidy(() => tf.variable(tf.zeros([outputSize])))
  }

  get namedVariables(): NamedVariable[] {
    return [
      [`${this.name}/kernel`, this.kernel],
      [`${this.name}/bias`, this.bias],
    ]
  }

  apply(input: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(input, this.kernel), this.bias)
  }

  applySequence(input: tf.Tensor3D): tf.Tensor3D {
    const [batch, time, size] = input.shape
    return this.apply(tf.reshape(input, [batch * time, size])).reshape([batch, time, -1])
  }
}

/** Owns a set of variables: named for checkpoints, disposed together. */
abstract class Network {
  abstract readonly namedVariables: NamedVariable[]

  get variables(): tf.Variable[] {
    return this.namedVariables.map(([, variable]) => variable)
  }

  /** The weights by checkpoint name (the variables themselves, not copies). */
  namedWeights(): tf.NamedTensorMap {
    return Object.fromEntries(this.namedVariables)
  }

  /** Assigns weights by checkpoint name; every variable must be present with its shape. */
  loadWeights(weights: tf.NamedTensorMap): void {
    for (const [name, variable] of this.namedVariables) {
      const value = weights[name]
      if (!value) throw new Error(`the checkpoint has no weight "${name}"`)
      if (!tf.util.arraysEqual(value.shape, variable.shape)) {
        throw new Error(`weight "${name}" has shape [${value.shape}], the model needs [${variable.shape}]`)
      }
      variable.assign(value)
    }
  }

  dispose(): void {
    for (const variable of this.variables) variable.dispose()
  }
}

/**
 * A generator's forward pass with what its backward pass needs (see `Generator.record`). A type rather than
 * an interface, so that it can be returned out of a tf.tidy, which keeps its tensors.
 */
export type GeneratorPass = {
  output: tf.Tensor3D
  /** A meter model's metric positions of its steps, one-hot [batch, time, METER_WIDTH], which D reads too. */
  positions: tf.Tensor3D | undefined
  saved: tf.Tensor[]
  teacherLength: number
}

/** How a generation runs G (`Generator.runWithLogits`). */
export interface GenerationOptions {
  teacher?: tf.Tensor3D
  temperature?: number
  known?: KnownPositions
  scales?: readonly number[]
  rules?: DrawRules
}

export class Generator extends Network {
  /** Values per step G emits (and is fed back). */
  readonly width: number
  /** Uniforms per step in `run`'s noise. */
  readonly noiseWidth: number
  /** Whether G draws each value from a distribution (model.md sec. 2a) rather than regressing it. */
  readonly sampling: boolean
  readonly units: number
  readonly layers: LstmLayer[]
  readonly output: TimeDense
  readonly namedVariables: NamedVariable[]
  /** The first values of each step's noise, which G reads as input (the rest are a sampling G's draws). */
  readonly inputNoiseWidth: number
  /** Values of the metric position G reads with each step: 0 but for a meter model. */
  readonly meterWidth: number
  readonly tonesPerStep: number

  constructor(settings: ModelSettings, seed: number) {
    super()
    this.width = stepWidth(settings)
    this.noiseWidth = noiseWidth(settings)
    this.inputNoiseWidth = inputNoiseWidth(settings)
    this.sampling = settings.output === 'sampled'
    this.meterWidth = meterWidth(settings)
    this.tonesPerStep = settings.tonesPerStep
    this.units = settings.hiddenUnits
    // Input per step: the noise vector, the previous output and, for a meter model, its metric position.
    this.layers = Array.from(
      { length: settings.layers },
      (_, l) =>
        new LstmLayer(
          `generator/lstm_${l}`,
          l === 0 ? this.inputNoiseWidth + this.width + this.meterWidth : settings.hiddenUnits,
          settings.hiddenUnits,
          seed + 10 * l,
          this.sampling,
        ),
    )
    this.output = new TimeDense('generator/output', settings.hiddenUnits, this.width, seed + 1000)
    this.namedVariables = [
      ...this.layers.flatMap((layer) => layer.namedVariables),
      ...this.output.namedVariables,
    ]
  }

  /**
   * The part of `noise` [batch, time, noiseWidth] that G reads as input, and the draws' Gumbel noise, scaled
   * by each value's temperature (`temperatures`, in the order of FEATURES).
   */
  private splitNoise(noise: tf.Tensor3D, temperatures: readonly number[]): [tf.Tensor3D, tf.Tensor3D | null] {
    if (!this.sampling) return [noise, null]
    const [batch, time] = noise.shape
    const input = tf.slice(noise, [0, 0, 0], [batch, time, this.inputNoiseWidth])
    const draws = tf.slice(noise, [0, 0, this.inputNoiseWidth], [batch, time, this.width])
    const [first] = temperatures
    const scale = temperatures.every((temperature) => temperature === first)
      ? first
      : tf.tensor1d(groupColumns(this.width, (group) => temperatures[group]))
    return [input, tf.mul(gumbel(draws), scale) as tf.Tensor3D]
  }

  /**
   * Runs G over `noise` [batch, time, noiseWidth]. For the first steps the previous output is replaced by
   * `teacher` [batch, teacherSteps, width] (pretraining and primed generation): step t sees teacher step
   * t - 1 while there is one, its own output after that. Step 0 sees zeros. Returns [batch, time, width],
   * differentiable with respect to G's weights (not the noise or the teacher). A sampling G returns its
   * draws (as trained, at temperature 1) as one-hot groups, and passes gradients to its logits by the
   * straight-through Gumbel-softmax. A meter model's metric positions start from `known` (a bar line of 4/4
   * without it) and follow its draws.
   */
  run(noise: tf.Tensor3D, teacher?: tf.Tensor3D, known?: KnownPositions): tf.Tensor3D {
    const pass = this.record(noise, teacher, known)
    tf.dispose(pass.positions)
    return this.replay(pass)
  }

  /**
   * `run`'s forward pass, done now and differentiated when it is `replay`ed, as long as G's weights have
   * not changed: the adversarial step's D half and G half see the same G on the same noise, so G runs
   * once for both. The caller disposes the pass's tensors.
   */
  record(noise: tf.Tensor3D, teacher?: tf.Tensor3D, known?: KnownPositions): GeneratorPass {
    const { emitted, positions, saved } = this.forward(noise, teacher, AS_TRAINED, true, known)
    return { output: emitted, positions, saved: saved!, teacherLength: teacher?.shape[1] ?? 0 }
  }

  /** A recorded pass's output, differentiable with respect to G's weights as `run`'s is. */
  replay(pass: GeneratorPass): tf.Tensor3D {
    const recurrence = tf.customGrad((...args) => {
      const save = args[args.length - 1] as tf.GradSaveFunc
      save(pass.saved)
      return {
        value: tf.clone(pass.output),
        gradFunc: (dy: tf.Tensor3D, saved: tf.Tensor[]) => this.gradients(dy, saved, pass.teacherLength),
      }
    })
    return recurrence(...this.variables) as tf.Tensor3D
  }

  /**
   * Like `run`, without gradients, at `temperature` (a sampling G's Gumbel noise is scaled by it; 0 draws
   * the likeliest class), each value's draws at it times their scale in `scales` (FEATURES order, 1 without
   * it) and under `rules` (drawRules.ts; the chord rule alone without them), and also the logits of a
   * sampling G: [batch, time, width] each. A sampling G draws nothing where the next step is fed the
   * teacher's: its output there is zeros.
   */
  runWithLogits(
    noise: tf.Tensor3D,
    { teacher, temperature = 1, known, scales, rules = new DrawRules() }: GenerationOptions = {},
  ): { emitted: tf.Tensor3D; logits: tf.Tensor3D | undefined } {
    const temperatures = FEATURES.map((_, f) => temperature * (scales?.[f] ?? 1))
    const { emitted, logits } = this.forward(noise, teacher, temperatures, false, known, rules)
    return { emitted, logits }
  }

  private forward(
    noise: tf.Tensor3D,
    teacher: tf.Tensor3D | undefined,
    temperatures: readonly number[],
    differentiable: boolean,
    known?: KnownPositions,
    rules?: DrawRules,
  ): {
    emitted: tf.Tensor3D
    logits: tf.Tensor3D | undefined
    positions?: tf.Tensor3D
    saved?: tf.Tensor[]
  } {
    const [batch, time] = noise.shape
    const teacherLength = teacher?.shape[1] ?? 0
    /** Step t's input includes output t - 1 (rather than a teacher step) from here on. */
    const feedsBack = (t: number) => t - 1 >= teacherLength
    const [inputNoise, perturbation] = this.splitNoise(noise, temperatures)
    // The chord rule conditions the pitch's draw (drawRules.ts).
    const pitchTemperature = temperatures[PITCH]

    /** A generation's draws follow the rules that depend on earlier draws where G emits one tone per step. */
    const ruled = perturbation !== null && rules !== undefined && this.width === TONE_WIDTH
    const repetition = ruled ? rules.repetition : 0
    const fixed = perturbation !== null ? (rules?.fixedStep(this.width) ?? null) : null
    const positions = this.meterWidth > 0 ? (known ?? startingAt(meterSignature(DEFAULT_METER), batch)) : null
    /** A sampling G's generation where the draws are made on the CPU (drawnGeneration.ts). */
    const drawing =
      perturbation && !differentiable && canReadSynchronously()
        ? new DrawnGeneration(
            this.layers[0],
            inputNoise,
            perturbation,
            ruled
              ? new RowRules(
                  rules,
                  batch,
                  pitchTemperature,
                  repetition > 0 ? new FigureMemory(batch, repetition, temperatures) : undefined,
                )
              : undefined,
            positions ? new MeterClock(positions) : undefined,
            fixed,
          )
        : null
    const deviceRules =
      ruled && !drawing
        ? new DeviceRules(
            rules,
            batch,
            pitchTemperature,
            repetition > 0 ? new DeviceFigureMemory(batch, repetition, temperatures) : undefined,
          )
        : null
    const deviceFixed = fixed && !drawing ? tf.tensor1d(fixed) : null
    const deviceMeter = positions && !drawing ? new DeviceMeterClock(positions, this.tonesPerStep) : null

    /** The steps one by one: each step's caches for the backward pass, its output and a sampling G's logits. */
    const steps = () => {
      const noiseSteps = drawing ? [] : unstackTime(inputNoise)
      const perturbations = perturbation && !drawing ? unstackTime(perturbation) : []
      const teacherSteps = teacher ? unstackTime(teacher) : []
      let states = this.layers.map((layer) => layer.zeroState(batch))
      const caches: StepCache[][] = this.layers.map(() => [])
      const tops: tf.Tensor2D[] = []
      const outputs: tf.Tensor2D[] = []
      const logits: tf.Tensor2D[] = []
      const relaxed: tf.Tensor2D[] = []
      const meterSteps: tf.Tensor2D[] = []
      /** Layer 0's input and its projection at step t. */
      const firstLayer = (t: number): [tf.Tensor2D, tf.Tensor2D] => {
        if (drawing) {
          const projected = drawing.project(t, feedsBack(t) ? undefined : teacherSteps[t - 1])
          // The input goes only into the step's cache, which generation drops.
          return [projected, projected]
        }
        const previous =
          t === 0 ? tf.zeros([batch, this.width]) : feedsBack(t) ? outputs[t - 1] : teacherSteps[t - 1]
        const meter = deviceMeter ? [deviceMeter.at(t)] : []
        if (differentiable) meterSteps.push(...meter)
        const input = tf.concat([noiseSteps[t], previous, ...meter], 1) as tf.Tensor2D
        return [input, this.layers[0].project(input)]
      }
      const step = (t: number) => {
        const [firstInput, projected] = firstLayer(t)
        let input = firstInput
        const next = this.layers.map((layer, l) => {
          const layerProjected = l === 0 ? projected : layer.project(input)
          let state: LstmState
          if (differentiable) {
            const step = layer.forwardStep(input, layerProjected, states[l])
            caches[l].push(step.cache)
            state = step.state
          } else {
            state = layer.nextState(layerProjected, states[l])
          }
          input = state.h
          return state
        })
        const output = this.output.apply(input)
        if (!this.sampling) return { states: next, top: input, output }
        if (drawing) {
          // A primer's step draws nothing: the next step is fed the teacher's.
          drawing.read(t, output, feedsBack(t + 1))
          return { states: next, top: input }
        }
        if (!differentiable && !feedsBack(t + 1)) {
          // A primer's step, as above (a long primer would otherwise draw from every step's logits).
          deviceRules?.follow(teacherSteps[t], false)
          const silent = tf.zeros([batch, this.width]) as tf.Tensor2D
          return { states: next, top: input, output: silent, logit: output }
        }
        const logit = deviceRules ? deviceRules.restrict(output, perturbations[t]) : output
        const ruledOut = deviceFixed ? tf.add(logit, deviceFixed) : logit
        const drawn = draw(tf.add(ruledOut, perturbations[t]) as tf.Tensor2D, differentiable)
        deviceRules?.follow(drawn.oneHot, true)
        deviceMeter?.advance(t, drawn.oneHot)
        return { states: next, top: input, output: drawn.oneHot, logit, relaxed: drawn.softmax }
      }
      for (let t = 0; t < time; t++) {
        if (differentiable) {
          const done = step(t)
          states = done.states
          tops.push(done.top)
          if (done.relaxed) relaxed.push(done.relaxed)
          outputs.push(done.output!)
          if (done.logit) logits.push(done.logit)
          continue
        }
        // Without a backward pass, a step keeps only what the next one and the result need: a generation of
        // 16 variations of 512 steps would otherwise hold on to 200 MB of caches.
        const done = tf.tidy(() => {
          const { states: next, output, logit } = step(t)
          return { h: next.map((state) => state.h), c: next.map((state) => state.c), output, logit }
        })
        tf.dispose(states.flatMap(({ h, c }) => [h, c]))
        states = done.h.map((h, l) => ({ h, c: done.c[l] }))
        if (done.output) outputs.push(done.output)
        if (done.logit) logits.push(done.logit)
      }
      return { caches, tops, outputs, logits, relaxed, meterSteps }
    }

    const { caches, tops, outputs, logits, relaxed, meterSteps } = steps()
    deviceRules?.dispose()
    deviceFixed?.dispose()
    if (drawing) return drawing.result()
    const emitted = tf.stack(outputs, 1) as tf.Tensor3D
    if (!differentiable) {
      deviceMeter?.dispose()
      return { emitted, logits: this.sampling ? (tf.stack(logits, 1) as tf.Tensor3D) : undefined }
    }
    const meter = meterSteps.length > 0 ? (tf.stack(meterSteps, 1) as tf.Tensor3D) : undefined
    deviceMeter?.dispose()
    return {
      emitted,
      logits: undefined,
      positions: meter,
      saved: [...caches.flatMap(packCaches), ...tops, ...relaxed],
    }
  }

  /**
   * G's backward pass through a recorded forward pass: the gradients of its variables, given `dy` at its
   * output and the tensors the forward pass saved.
   */
  private gradients(dy: tf.Tensor3D, saved: tf.Tensor[], teacherLength: number): tf.Tensor[] {
    const [batch, time] = dy.shape
    const depth = this.layers.length
    const feedsBack = (t: number) => t - 1 >= teacherLength
    const perLayer = time * CACHE_TENSORS_PER_STEP
    const cached = this.layers.map((_, l) => unpackCaches(saved.slice(l * perLayer), time))
    const savedTops = saved.slice(depth * perLayer, depth * perLayer + time) as tf.Tensor2D[]
    const savedRelaxed = saved.slice(depth * perLayer + time) as tf.Tensor2D[]
    const dOutputs = unstackTime(dy)
    const weights = this.layers.map((layer) => layer.transposed())
    const outputKernel = tf.transpose(this.output.kernel)
    const sums = this.sampling ? groupSums(this.width) : null
    const dh = this.layers.map(() => tf.zeros([batch, this.units]) as tf.Tensor2D)
    const dc = this.layers.map(() => tf.zeros([batch, this.units]) as tf.Tensor2D)
    const dGates: tf.Tensor2D[][] = this.layers.map(() => new Array<tf.Tensor2D>(time))
    const dLogits = new Array<tf.Tensor2D>(time)
    let feedback: tf.Tensor | null = null
    for (let t = time - 1; t >= 0; t--) {
      if (feedback) dOutputs[t] = tf.add(dOutputs[t], feedback)
      dLogits[t] = sums ? straightThrough(dOutputs[t], savedRelaxed[t], sums) : dOutputs[t]
      let dAbove = tf.matMul(dLogits[t], outputKernel) as tf.Tensor2D
      for (let l = depth - 1; l >= 0; l--) {
        const step = this.layers[l].backwardStep(cached[l][t], tf.add(dAbove, dh[l]), dc[l], weights[l])
        ;({ dhPrev: dh[l], dcPrev: dc[l], dInput: dAbove } = step)
        dGates[l][t] = step.dGates
      }
      // Layer 0's input is [noise, previous output]: the second part flows back into output t - 1.
      feedback = feedsBack(t) ? tf.slice(dAbove, [0, this.inputNoiseWidth], [batch, this.width]) : null
    }
    const allLogits = tf.concat(dLogits, 0)
    return [
      ...this.layers.flatMap((layer, l) => layer.weightGradients(cached[l], tf.concat(dGates[l], 0))),
      tf.matMul(transposeRows(tf.concat(savedTops, 0)), allLogits),
      columnSums(allLogits),
    ]
  }

  /**
   * A sampling G's logits [batch, time, width] when every step is fed the previous step of `teacher`
   * [batch, time, width] (one-hot, the real sequence): the next-event prediction that pretraining's
   * cross-entropy compares with `teacher` itself. With every input known in advance, each layer runs as one
   * sequence, its input projected for all steps in one matMul. A meter model reads each step's metric
   * position in `positions` [batch, time, METER_WIDTH] (metricPosition.ts).
   */
  teacherForcedLogits(noise: tf.Tensor3D, teacher: tf.Tensor3D, positions?: tf.Tensor3D): tf.Tensor3D {
    const [batch, time] = noise.shape
    // The input noise alone: the draws' part of the noise goes into no draw here.
    const inputNoise = tf.slice(noise, [0, 0, 0], [batch, time, this.inputNoiseWidth])
    const previous = tf.concat(
      [tf.zeros([batch, 1, this.width]), tf.slice(teacher, [0, 0, 0], [batch, time - 1, this.width])],
      1,
    )
    let hidden = tf.concat([inputNoise, previous, ...(positions ? [positions] : [])], 2) as tf.Tensor3D
    this.layers.forEach((layer, l) => {
      hidden = layer.sequence(hidden, false, { input: l > 0, weights: true })
    })
    const rows = tf.reshape(hidden, [batch * time, this.units]) as tf.Tensor2D
    return tf.reshape(denseRows(rows, this.output.kernel, this.output.bias), [batch, time, this.width])
  }
}

export interface DiscriminatorOutput {
  /** D(x) per sequence: the mean over steps of the per-step sigmoid, [batch]. */
  probability: tf.Tensor1D
  /**
   * What the output layer reads, for feature matching: the last hidden layer, [batch, time, 2 * units], and
   * with minibatch discrimination its MINIBATCH_KERNELS features after it.
   */
  features: tf.Tensor3D
}

export class Discriminator extends Network {
  readonly forward: LstmLayer[]
  readonly backward: LstmLayer[]
  readonly output: TimeDense
  readonly minibatch: MinibatchDiscrimination | undefined
  readonly namedVariables: NamedVariable[]

  constructor(settings: ModelSettings, seed: number) {
    super()
    const units = settings.hiddenUnits
    const inputSize = (l: number) => (l === 0 ? stepWidth(settings) + meterWidth(settings) : 2 * units)
    const oneKernelCell = settings.output === 'sampled'
    const layer = (direction: string, l: number, seedOffset: number) =>
      new LstmLayer(
        `discriminator/${direction}_${l}`,
        inputSize(l),
        units,
        seed + 10 * l + seedOffset,
        oneKernelCell,
      )
    this.forward = Array.from({ length: settings.layers }, (_, l) => layer('forward', l, 0))
    this.backward = Array.from({ length: settings.layers }, (_, l) => layer('backward', l, 5))
    this.minibatch = settings.minibatchDiscrimination
      ? new MinibatchDiscrimination('discriminator/minibatch', 2 * units, seed + 2000)
      : undefined
    const features = 2 * units + (this.minibatch ? MINIBATCH_KERNELS : 0)
    this.output = new TimeDense('discriminator/output', features, 1, seed + 1000)
    this.namedVariables = [
      ...this.forward.flatMap((layer, l) => [...layer.namedVariables, ...this.backward[l].namedVariables]),
      ...(this.minibatch?.namedVariables ?? []),
      ...this.output.namedVariables,
    ]
  }

  /**
   * D on `sequence` (a meter model's steps with their metric positions beside them). Gradients flow into D's weights when `trainable` (D's own step, where the sequences
   * are data), and otherwise only into `sequence` (G's step). `oneHot` says where the ones of a sampling
   * model's tones are, if the caller knows (oneHotRows.ts). With minibatch discrimination the batch is
   * `parts` equal groups, each sequence compared with its own group's (MinibatchDiscrimination.apply).
   */
  run(sequence: tf.Tensor3D, trainable = true, oneHot?: OneHotRows, parts = 1): DiscriminatorOutput {
    let hidden = sequence
    this.forward.forEach((layer, l) => {
      const gradients = { input: !trainable || l > 0, weights: trainable }
      const ones = l === 0 ? oneHot : undefined
      const backward = this.backward[l].sequence(hidden, true, gradients, ones)
      hidden = tf.concat([layer.sequence(hidden, false, gradients, ones), backward], 2)
    })
    const features = this.minibatch
      ? (tf.concat([hidden, this.minibatch.apply(hidden, parts)], 2) as tf.Tensor3D)
      : hidden
    const perStep = tf.sigmoid(this.output.applySequence(features)) // [batch, time, 1]
    return { probability: tf.mean(perStep, [1, 2]), features }
  }
}
