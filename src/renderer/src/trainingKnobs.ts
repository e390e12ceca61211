// Browser. Every knob of the model and its training as the Train panel's "advanced" fold shows it: a label,
// one line of why, and the limits, which are read from the zod schemas so that they are never written twice.
import { z } from 'zod'
import {
  ModelSettingsSchema,
  TrainingSettingsSchema,
  type ModelSettings,
  type Settings,
  type TrainingSettings,
} from '../../shared/modelSettings'

interface KnobBase<G extends keyof Settings> {
  group: G
  key: keyof Settings[G] & string
  label: string
  why: string
}

export interface NumberKnob<G extends keyof Settings> extends KnobBase<G> {
  kind: 'number'
  min: number
  max: number
  /** 1 for whole numbers, 'any' otherwise, as an <input type="number"> takes it. */
  step: 1 | 'any'
}
export interface ChoiceKnob<G extends keyof Settings> extends KnobBase<G> {
  kind: 'choice'
  options: readonly string[]
}
export interface SwitchKnob<G extends keyof Settings> extends KnobBase<G> {
  kind: 'switch'
}
export type Knob = { [G in keyof Settings]: NumberKnob<G> | ChoiceKnob<G> | SwitchKnob<G> }[keyof Settings]

function numberKnob<G extends keyof Settings>(
  group: G,
  key: keyof Settings[G] & string,
  label: string,
  why: string,
): NumberKnob<G> {
  const shape: Record<string, z.ZodType> =
    group === 'model' ? ModelSettingsSchema.shape : TrainingSettingsSchema.shape
  const field = shape[key]
  const schema = (field instanceof z.ZodDefault ? field.unwrap() : field) as z.ZodNumber
  if (schema.minValue === null || schema.maxValue === null) throw new Error(`${group}.${key} has no limits`)
  return {
    group,
    key,
    label,
    why,
    kind: 'number',
    min: schema.minValue,
    max: schema.maxValue,
    step: schema.format?.endsWith('int') ? 1 : 'any',
  }
}

const model = (key: keyof ModelSettings, label: string, why: string) => numberKnob('model', key, label, why)
const training = (key: keyof TrainingSettings, label: string, why: string) =>
  numberKnob('training', key, label, why)
const toggle = <G extends keyof Settings>(
  group: G,
  key: keyof Settings[G] & string,
  label: string,
  why: string,
): SwitchKnob<G> => ({ group, key, label, why, kind: 'switch' })

export const KNOBS: readonly Knob[] = [
  {
    group: 'model',
    key: 'output',
    label: 'Generator output',
    why: "Sampled: G draws every value from a distribution, which keeps music in key. Continuous: the paper's.",
    kind: 'choice',
    options: ModelSettingsSchema.shape.output.unwrap().options,
  },
  toggle(
    'model',
    'meter',
    'Meter',
    'G and D read where in the bar each note falls, so G keeps time (a sampled output only).',
  ),
  toggle(
    'model',
    'minibatchDiscrimination',
    'Minibatch discrimination',
    'D also hears how alike the pieces of a batch are, so a G that plays one thing for every seed is caught.',
  ),
  model('tonesPerStep', 'Tones per step', 'Notes G plays at once per time step (3 is C-RNN-GAN-3).'),
  model('hiddenUnits', 'Hidden units', 'LSTM size of G and D: bigger learns more, trains slower.'),
  model('layers', 'Layers', 'LSTM layers in G and in D.'),
  training('seed', 'Seed', 'The only randomness: the same seed and data train the same model.'),
  training(
    'epochs',
    'Adversarial epochs',
    'G against D after pretraining: checked for collapse, but not yet shown to beat more pretraining.',
  ),
  training('stepsPerEpoch', 'Steps per epoch', 'Batches per epoch; 0 means one pass over the data.'),
  training('batchSize', 'Batch size', 'Sequences per step: larger is smoother and needs more memory.'),
  training(
    'sequenceLength',
    'Sequence length',
    'Time steps per training sequence, at the end of the curriculum.',
  ),
  training('pretrainEpochs', 'Pretraining epochs', 'Epochs of G learning to predict the next step first.'),
  training('curriculumStartLength', 'Curriculum start', 'Sequence length pretraining starts from and grows.'),
  training(
    'pretrainDiscriminatorEpochs',
    'D pretraining epochs',
    'Epochs of D alone against the pretrained G.',
  ),
  {
    group: 'training',
    key: 'optimizer',
    label: 'Optimizer',
    why: 'Adam is forgiving; SGD is what the paper used.',
    kind: 'choice',
    options: TrainingSettingsSchema.shape.optimizer.options,
  },
  training('generatorLearningRate', 'G learning rate', 'Step size of G: too large and training diverges.'),
  training('discriminatorLearningRate', 'D learning rate', 'Step size of D.'),
  toggle(
    'training',
    'featureMatching',
    'Feature matching',
    "G matches D's features of real music instead of fooling D.",
  ),
  toggle(
    'training',
    'labelSmoothing',
    'Label smoothing',
    'D aims at 0.9 for real music, so it is less sure of itself.',
  ),
  toggle(
    'training',
    'nonSaturatingLoss',
    'Non-saturating loss',
    'G minimizes −log D(G(z)): stronger gradients early on.',
  ),
  training('l2', 'L2 regularization', 'Pulls weights toward zero against overfitting.'),
  training('clipNorm', 'Gradient clipping', 'Largest gradient norm, against sudden jumps.'),
  training(
    'freezeThreshold',
    'Freeze threshold',
    "Skip the stronger network's update while it leads by this much.",
  ),
  training(
    'samplesPerEpoch',
    'Samples per epoch',
    'Pieces generated after each epoch to listen to and measure.',
  ),
  training('holdout', 'Held out', 'Share of files kept out of training to measure the model on.'),
]
