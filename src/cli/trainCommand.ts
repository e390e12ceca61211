// Node. `cadenza train`: trains C-RNN-GAN on a folder of MIDI files, with the dataset report and a progress
// bar on stderr; Ctrl-C stops after the current step and keeps the last complete checkpoint.
import { join } from 'node:path'
import { selectBackend, type BackendName } from '../engine/process/backend'
import { bestDir, HELD_OUT_LIST, train, type TrainingEvent } from '../engine/training/training'
import { bestEpoch, combinedDistance } from '../shared/bestEpoch'
import { describeTemperature, type EpochRecord } from '../shared/checkpointMeta'
import {
  ModelSettingsSchema,
  PRESETS,
  SettingsSchema,
  type PresetName,
  type Settings,
} from '../shared/modelSettings'
import { describeTokensPerSecond } from '../shared/trainingSpeed'
import { CliError } from './cliError'
import { createProgress, type Progress } from './progress'
import { backendLine } from './backendLine'

/** A command-line flag for one setting: `attribute` is commander's camelCase name for the flag. */
interface SettingFlag {
  flags: string
  setting: keyof Settings['model'] | keyof Settings['training']
  description: string
  parse?: (value: string) => unknown
}

const integer = (value: string): number => (/^-?\d+$/.test(value) ? Number(value) : Number.NaN)
const real = (value: string): number => (value.trim() === '' ? Number.NaN : Number(value))

/** Every knob of model.md sec. 2-3; each overrides the preset's value. */
export const SETTING_FLAGS: SettingFlag[] = [
  { flags: '--epochs <n>', setting: 'epochs', description: 'adversarial epochs', parse: integer },
  {
    flags: '--steps-per-epoch <n>',
    setting: 'stepsPerEpoch',
    description: 'batches per epoch (0: one pass over the data)',
    parse: integer,
  },
  { flags: '--batch <n>', setting: 'batchSize', description: 'sequences per batch', parse: integer },
  {
    flags: '--seq-len <n>',
    setting: 'sequenceLength',
    description: 'steps per training sequence',
    parse: integer,
  },
  {
    flags: '--hidden <n>',
    setting: 'hiddenUnits',
    description: 'LSTM units per layer (per direction in D)',
    parse: integer,
  },
  { flags: '--layers <n>', setting: 'layers', description: 'LSTM layers in G and D', parse: integer },
  {
    flags: '--tones-per-step <n>',
    setting: 'tonesPerStep',
    description: 'tones per step, m (3: C-RNN-GAN-3)',
    parse: integer,
  },
  {
    flags: '--output <kind>',
    setting: 'output',
    description: "what G emits per tone: sampled (a distribution it draws from) or continuous (the paper's)",
  },
  {
    flags: '--meter',
    setting: 'meter',
    description: 'G and D read where in the bar each step falls (default for a sampling G)',
  },
  { flags: '--no-meter', setting: 'meter', description: 'G and D read the notes alone' },
  { flags: '--seed <n>', setting: 'seed', description: 'the only source of randomness', parse: integer },
  {
    flags: '--pretrain-epochs <n>',
    setting: 'pretrainEpochs',
    description: 'epochs of next-event pretraining of G',
    parse: integer,
  },
  {
    flags: '--curriculum-start <n>',
    setting: 'curriculumStartLength',
    description: 'first pretraining sequence length',
    parse: integer,
  },
  {
    flags: '--pretrain-d-epochs <n>',
    setting: 'pretrainDiscriminatorEpochs',
    description: 'epochs of D against the pretrained G',
    parse: integer,
  },
  { flags: '--optimizer <name>', setting: 'optimizer', description: 'adam or sgd' },
  { flags: '--g-lr <rate>', setting: 'generatorLearningRate', description: "G's learning rate", parse: real },
  {
    flags: '--d-lr <rate>',
    setting: 'discriminatorLearningRate',
    description: "D's learning rate",
    parse: real,
  },
  {
    flags: '--feature-matching',
    setting: 'featureMatching',
    description: "G matches D's features (default in both presets)",
  },
  { flags: '--no-feature-matching', setting: 'featureMatching', description: 'G fools D directly' },
  { flags: '--label-smoothing', setting: 'labelSmoothing', description: 'real label 0.9 for D' },
  { flags: '--no-label-smoothing', setting: 'labelSmoothing', description: 'real label 1 for D' },
  { flags: '--non-saturating', setting: 'nonSaturatingLoss', description: 'G minimizes -log D(G(z))' },
  {
    flags: '--anchor <weight>',
    setting: 'anchor',
    description: "weight of G's pretraining loss on real batches in adversarial steps (0: the paper's loss)",
    parse: real,
  },
  {
    flags: '--adv-g-lr <rate>',
    setting: 'adversarialGeneratorLearningRate',
    description: "G's learning rate in adversarial epochs (a sampling G: 1e-4; the paper's: --g-lr)",
    parse: real,
  },
  {
    flags: '--minibatch-discrimination',
    setting: 'minibatchDiscrimination',
    description: 'D also reads how alike the sequences of a batch are (paper sec. 2)',
  },
  { flags: '--l2 <weight>', setting: 'l2', description: 'L2 weight regularization', parse: real },
  {
    flags: '--clip-norm <norm>',
    setting: 'clipNorm',
    description: 'gradient clipping by global norm',
    parse: real,
  },
  {
    flags: '--freeze-threshold <f>',
    setting: 'freezeThreshold',
    description: 'freeze D (or G) below this fraction of the other loss',
    parse: real,
  },
  {
    flags: '--samples <n>',
    setting: 'samplesPerEpoch',
    description: 'sample pieces after each epoch',
    parse: integer,
  },
  {
    flags: '--holdout <fraction>',
    setting: 'holdout',
    description: 'fraction of the files (0-0.5) kept out of training, for cadenza eval',
    parse: real,
  },
]

/** commander's attribute for a flag: --seq-len and --no-seq-len are both seqLen. */
function attribute(flags: string): string {
  const long = flags.split(' ')[0].replace(/^--(no-)?/, '')
  return long.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())
}

export interface TrainCommandOptions {
  data: string
  out: string
  preset: PresetName
  backend?: BackendName
  [flag: string]: unknown
}

/** The preset with the options given on the command line, validated; an invalid value is a usage error. */
export function settingsFrom(options: TrainCommandOptions): Settings {
  const preset = PRESETS[options.preset]
  const model: Record<string, unknown> = { ...preset.model }
  const training: Record<string, unknown> = { ...preset.training }
  for (const { flags, setting, parse } of SETTING_FLAGS) {
    const given = options[attribute(flags)]
    if (given === undefined) continue
    const value = typeof given === 'string' && parse ? parse(given) : given
    // By the schema, not the preset: a preset leaves optional settings out.
    if (setting in ModelSettingsSchema.shape) model[setting] = value
    else training[setting] = value
  }
  // The metric position is a sampling generator's option: the paper's generator goes without it unless asked.
  if (model.output !== 'sampled' && options.meter === undefined) model.meter = false
  const parsed = SettingsSchema.safeParse({ model, training })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const flag = SETTING_FLAGS.find(({ setting }) => setting === issue.path.at(-1))?.flags.split(' ')[0]
    throw new CliError(`${flag ?? String(issue.path.join('.'))}: ${issue.message}`)
  }
  return parsed.data
}

function describe(event: Extract<TrainingEvent, { type: 'dataset' }>, outDir: string): string {
  const { report, history } = event
  const heldOut = report.heldOut.length
  const lines = [
    `read ${report.filesRead} files (${report.filesSkipped.length} skipped` +
      `${heldOut > 0 ? `, ${heldOut} held out` : ''}), ${report.notes} notes, ` +
      `polyphony ${report.polyphony.toFixed(3)}, tempo ${report.tempoRange.map(Math.round).join('-')} bpm, ` +
      `${report.steps} steps, ${report.sequences} sequences`,
    ...report.filesSkipped.map((problem) => `skipped ${problem.file}: ${problem.error}`),
  ]
  if (heldOut > 0)
    lines.push(
      `held out ${heldOut} files, neither trained on nor counted above: ${join(outDir, HELD_OUT_LIST)}`,
    )
  if (history.length > 0) lines.push(`resuming after epoch ${history.length}`)
  return lines.join('\n')
}

export async function runTrain(options: TrainCommandOptions): Promise<void> {
  const settings = settingsFrom(options)
  const backend = await selectBackend(options.backend)
  process.stderr.write(backendLine(backend))

  const controller = new AbortController()
  const stop = () => controller.abort()
  process.once('SIGINT', stop)
  let progress: Progress | undefined
  let epochShown = 0
  /** Every epoch of the run, a resumed run's earlier ones included. */
  const history: EpochRecord[] = []
  try {
    const result = await train({
      dataDir: options.data,
      outDir: options.out,
      settings,
      // Given on the command line, more pretraining epochs continue a run that has only pretrained.
      morePretraining: options.pretrainEpochs !== undefined,
      backend,
      signal: controller.signal,
      onEvent(event) {
        if (event.type === 'reading') {
          progress ??= createProgress('reading', event.total)
          progress.advance()
        } else if (event.type === 'dataset') {
          progress?.stop()
          progress = undefined
          history.push(...event.history)
          process.stderr.write(`${describe(event, options.out)}\n`)
        } else if (event.type === 'step') {
          if (event.epoch !== epochShown) {
            progress?.stop()
            progress = createProgress(`epoch ${event.epoch}/${event.epochs} ${event.phase}`, event.steps)
            epochShown = event.epoch
          }
          progress?.advance(1, describeTokensPerSecond(event.tokensPerSecond))
        } else if (event.type === 'epoch') {
          progress?.stop()
          progress = undefined
          const { record } = event
          history.push(record)
          const figures = [
            record.generatorLoss === null ? '' : `G ${record.generatorLoss.toFixed(4)}`,
            record.discriminatorLoss === null ? '' : `D ${record.discriminatorLoss.toFixed(4)}`,
            record.discriminatorAccuracy === null
              ? ''
              : `D accuracy ${record.discriminatorAccuracy.toFixed(2)}`,
            record.realismDistance === null ? '' : `realism ${record.realismDistance.toFixed(3)}`,
            record.rhythmOverlap === null ? '' : `rhythm overlap ${record.rhythmOverlap.toFixed(3)}`,
            record.classifierAccuracy === null ? '' : `classifier ${record.classifierAccuracy.toFixed(2)}`,
            record.temperature === null
              ? ''
              : `at temperature ${describeTemperature(record.temperature, record.temperatureScales, record.repetition)}`,
          ]
          const summary = [...figures.filter(Boolean), `${record.seconds.toFixed(1)} s`].join(', ')
          process.stderr.write(`epoch ${record.epoch} (${record.phase}): ${summary}\n`)
        }
      },
    })
    progress?.stop()
    if (result.collapse) process.stderr.write(`${result.collapse}\n`)
    const how = result.cancelled
      ? 'stopped; kept the checkpoint'
      : result.collapse
        ? 'stopped; checkpoint'
        : 'done; checkpoint'
    process.stderr.write(`${how} after ${result.completedEpochs} epochs: ${result.checkpoint}\n`)
    const best = bestEpoch(history)
    if (best !== null) {
      process.stderr.write(
        `closest to the training pieces: epoch ${best.epoch} (distance ${combinedDistance(best)!.toFixed(3)}), ` +
          `its generator: ${bestDir(options.out)}\n`,
      )
    }
  } finally {
    progress?.stop()
    process.off('SIGINT', stop)
  }
}
