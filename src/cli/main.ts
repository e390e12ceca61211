// Node. The `cadenza` command line: parses arguments and hands each command to its module.
import { Command, InvalidArgumentError } from 'commander'
import { APP_VERSION } from '../shared/appVersion'
import { CliError } from './cliError'
import { runEval } from './evalCommand'

const USAGE_ERROR_EXIT_CODE = 2

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
  .argument('<paths...>', 'MIDI files, or folders searched recursively for .mid and .midi files')
  .option('--json', 'one JSON object per line on stdout, nothing else there')
  .option(
    '--window <tones>',
    'measure each run of this many tones separately (runs are numbered from 0)',
    positiveInteger,
  )
  .option(
    '--real <folder>',
    'real pieces to compare the given (generated) files with: prints the realism distance',
  )
  .option(
    '--train <folder>',
    'training pieces: prints the longest run of pitches each given file copies from them',
  )
  .addHelpText(
    'after',
    '\nWith --real, pieces are cut into windows of --window tones (200 if not given) on both sides.\n' +
      'Exit status: 0 when every file was read, 1 when any file could not be, 2 for a usage error.',
  )
  .action(runEval)

try {
  await program.parseAsync()
} catch (error) {
  // Bugs print their stack only when asked to; the user always gets one line.
  if (!(error instanceof CliError) && process.env.CADENZA_DEBUG) console.error(error)
  process.stderr.write(`cadenza: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = USAGE_ERROR_EXIT_CODE
}
