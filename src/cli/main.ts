// Node. The `cadenza` command line: parses arguments and hands each command to its module.
import { Command, InvalidArgumentError, Option } from 'commander'
import { APP_VERSION } from '../shared/appVersion'
import { CheckpointError } from '../engine/checkpointStore'
import { DatasetError } from '../engine/data/dataset'
import { MIDI_EXTENSION_NAMES } from '../shared/music/midiFileNames'
import { MidiReadError } from '../shared/music/midiStructure'
import { CliError } from './cliError'
import { runBench } from './benchCommand'
import { runEval } from './evalCommand'
import { runExport } from './exportCommand'
import { runGenerate } from './generateCommand'
import { runInfo } from './infoCommand'
import { repetitionOption, steeringOptions } from './steeringOptions'
import { runTrain, SETTING_FLAGS } from './trainCommand'
import { BACKEND_NAMES, BackendFaultError } from '../engine/process/backend'
import { BENCHMARK_SHAPES, COMPARISON_KINDS } from '../engine/benchmark'
import { PRESET_NAMES, PRESETS } from '../shared/modelSettings'
import { METERS } from '../shared/music/meter'

const USAGE_ERROR_EXIT_CODE = 2

/** Problems with the user's input, files or checkpoints, as opposed to bugs. */
function isUserError(error: unknown): boolean {
  return [CliError, DatasetError, CheckpointError, MidiReadError, BackendFaultError].some(
    (kind) => error instanceof kind,
  )
}

// A reader that stops early (`cadenza eval --json … | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})

function positiveInteger(value: string): number {
  const number = Number(value)
  if (!Number.isInteger(number) || number < 1)
    throw new InvalidArgumentError('expected a whole number of 1 or more')
  return number
}

function wholeNumber(value: string): number {
  const number = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number))
    throw new InvalidArgumentError('expected a whole number')
  return number
}

function temperature(value: string): number {
  const number = Number(value)
  if (value.trim() === '' || !(number >= 0 && number <= 2))
    throw new InvalidArgumentError('expected a number from 0 to 2')
  return number
}

const backendOption = () =>
  new Option(
    '--backend <name>',
    'force a TensorFlow.js backend (default: the one that trains fastest here)',
  ).choices(BACKEND_NAMES)

const program = new Command('cadenza')
  .description('Cadenza: train C-RNN-GAN on your own MIDI files, generate new pieces, and measure them.')
  .version(APP_VERSION)
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : USAGE_ERROR_EXIT_CODE))

program
  .command('eval')
  .description(
    "Measure MIDI files with the paper's statistics (model.md sec. 5), or a generated set against a real one.",
  )
  .argument(
    '<paths...>',
    `MIDI files, folders searched recursively for ${MIDI_EXTENSION_NAMES} files, or .txt lists of MIDI files`,
  )
  .option('--json', 'one JSON object per line on stdout, nothing else there')
  .option(
    '--window <tones>',
    'measure each run of this many tones separately (runs are numbered from 0)',
    positiveInteger,
  )
  .option(
    '--real <path>',
    'real pieces to compare the given (generated) files with: prints the realism distance',
  )
  .option(
    '--train <path>',
    'training pieces: prints the longest run of pitches each given file copies from them',
  )
  .option(
    '--bars <bars>',
    "with --real: the window, in bars, of the rhythm measures, their overlaps and the classifier's test (default 4)",
    positiveInteger,
  )
  .addHelpText(
    'after',
    '\nWith --real, pieces are cut into windows of --window tones (200 if not given) on both sides for the\n' +
      'realism distance, and into windows of --bars bars for the rhythm measures.\n' +
      'A .txt list has one file a line, relative to the list, like the training-files.txt and\n' +
      'heldout-files.txt that cadenza train writes; # starts a comment.\n' +
      'Exit status: 0 when every file was read, 1 when any file could not be, 2 for a usage error.',
  )
  .action(runEval)

const trainCommand = program
  .command('train')
  .description('Train C-RNN-GAN on a folder of MIDI files; training again into the same --out resumes.')
  .requiredOption('--data <folder>', 'MIDI files to learn from (searched recursively)')
  .requiredOption('--out <folder>', "the run's folder: checkpoint/ and samples/ are written there")
  .addOption(new Option('--preset <name>', 'starting settings').choices(PRESET_NAMES).default('quick'))
  .addOption(backendOption())
for (const { flags, description } of SETTING_FLAGS) trainCommand.option(flags, description)
trainCommand.action(runTrain)

const generateCommand = program
  .command('generate')
  .description('Generate pieces from a checkpoint as MIDI files, each with its recipe inside.')
  .option(
    '--checkpoint <folder>',
    'a checkpoint, or a training run folder (default: the model Cadenza ships)',
  )
  .option('--seed <n>', 'the only source of randomness', wholeNumber, 1)
  .option(
    '--temperature <t>',
    "0-2: 0 the noise-free, likeliest path, 1 as trained (default: the checkpoint's own)",
    temperature,
  )
  .option('--length <steps>', 'steps to generate', positiveInteger, 256)
  .addOption(
    new Option(
      '--bars <n>',
      "bars to generate instead, in the primer's time signature (else --meter's)",
    ).conflicts('length'),
  )
  .option('--count <n>', 'variations, generated together', positiveInteger, 1)
  .option(
    '--tones-per-step <k>',
    "at most this many tones sound per step, the loudest (1 to the model's own; default: all of them)",
  )
  .option('--primer <file>', 'a MIDI clip to continue')
  .addOption(
    new Option(
      '--meter <signature>',
      "the time signature to keep time in and write (default: the primer's, else 4/4)",
    ).choices(METERS),
  )
  .requiredOption(
    '--out <file.mid|folder>',
    'where to write; a folder (or --count > 1) gets one file per variation',
  )
  .addOption(backendOption())
for (const option of steeringOptions()) generateCommand.addOption(option)
generateCommand.action(runGenerate)

program
  .command('info')
  .description('Describe a checkpoint: settings, data, and the history of its training.')
  .argument('<folder>', 'a checkpoint, or a training run folder')
  .option('--json', 'the checkpoint metadata as one JSON object')
  .action(runInfo)

program
  .command('export')
  .description('Copy the generator of a checkpoint into a new folder, without D or optimizer state.')
  .argument('<folder>', 'a checkpoint, or a training run folder')
  .requiredOption('--out <folder>', 'the new checkpoint folder (must not exist)')
  .addOption(repetitionOption('its own repetition, which generation uses where none is asked for (0: none)'))
  .action(runExport)

const paper = PRESETS.paper
const { paper: paperShape, defaultModel } = BENCHMARK_SHAPES
/** A size's help: the paper's by default, the default model's where only it is in question. */
const benchSize = (what: string, key: 'batch' | 'sequenceLength' | 'hiddenUnits') =>
  `${what} (default: ${paperShape[key]}; with --pretrain or --compare meter or steering, the default model's ${defaultModel[key]})`
program
  .command('bench')
  .description("Time training and generation on this machine (default: the paper's sizes).")
  .option('--batch <n>', benchSize('sequences per batch', 'batch'), positiveInteger)
  .option('--seq-len <n>', benchSize('steps per training sequence', 'sequenceLength'), positiveInteger)
  .option('--hidden <n>', benchSize('LSTM units per layer', 'hiddenUnits'), positiveInteger)
  .option(
    '--steps <n>',
    'timed adversarial steps (with --pretrain, pretraining steps; with --compare, pairs), after one warm-up step',
    positiveInteger,
    5,
  )
  .option(
    '--feature-matching',
    "G matches D's features (the paper preset's choice)",
    paper.training.featureMatching,
  )
  .option('--no-feature-matching', "G's adversarial loss instead")
  .addOption(
    new Option(
      '--output <kind>',
      "the paper's continuous generator, or a sampling one (default: continuous; with --pretrain, sampled)",
    ).choices(['continuous', 'sampled']),
  )
  .option(
    '--meter',
    "a sampling generator reads each step's metric position (default: with --pretrain, as the default model does)",
  )
  .option('--no-meter', 'it does not')
  .option(
    '--data <folder>',
    "also time loading and encoding these MIDI files (and with --pretrain, the epoch's measurement)",
  )
  .addOption(
    new Option(
      '--compare [models]',
      "instead, time two models in turn in one process, and their ratios: the paper's generator and a sampling " +
        'one (output, the default), a sampling one without and with the metric position (meter), or the ' +
        'default model free and under every steering rule (steering)',
    )
      .choices(COMPARISON_KINDS)
      .preset('output')
      .conflicts(['output', 'meter', 'data', 'library', 'pretrain']),
  )
  .addOption(
    new Option(
      '--pretrain',
      "instead, time the pretraining step (all that the quick preset and the default model's recipe train) at " +
        "the default model's shape, its tokens per second, and with --data the measurement after each epoch",
    ).conflicts(['library']),
  )
  .option(
    '--library <corpus>',
    'instead, time eval and the dataset report over a library of thousands of files built from this corpus',
  )
  .option('--json', 'one JSON object on stdout')
  .addOption(backendOption())
  .action(runBench)

try {
  await program.parseAsync()
} catch (error) {
  // Bugs print their stack only when asked to; the user always gets one line.
  if (!isUserError(error) && process.env.CADENZA_DEBUG) console.error(error)
  process.stderr.write(`cadenza: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = USAGE_ERROR_EXIT_CODE
}
