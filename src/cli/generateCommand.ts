// Node. `cadenza generate`: pieces from a checkpoint, written as MIDI with their recipe inside.
import { existsSync, statSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { selectBackend, type BackendName } from '../engine/process/backend'
import { generate, loadGenerator, variationFileName } from '../engine/generation'
import { readPieceFile } from '../engine/data/midiFiles'
import { resolveCheckpointDir } from '../engine/training/training'
import { checkpointTemperature } from '../shared/checkpointMeta'
import { MAX_BARS } from '../shared/generateRequest'
import type { Meter } from '../shared/music/meter'
import { MidiReadError } from '../shared/music/midiStructure'
import { pieceToMidi } from '../shared/music/pieceToMidi'
import { CliError } from './cliError'
import { backendLine } from './backendLine'
import { steeringOf, type SteeringOptions } from './steeringOptions'

export interface GenerateCommandOptions extends SteeringOptions {
  checkpoint?: string
  seed: number
  /** Without it, the checkpoint's own temperature. */
  temperature?: number
  /** Steps; ignored when `bars` is given. */
  length: number
  /** As typed: checked here, so that any bad value gets the CLI's one-line error. */
  bars?: string
  count: number
  /** As typed, like `bars`; more than the model has is refused by the engine. */
  tonesPerStep?: string
  primer?: string
  meter?: Meter
  out: string
  backend?: BackendName
}

/** The generator Cadenza ships, trained on the corpus named in the README. */
export const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../../resources/default-model', import.meta.url))

/** With a folder or several variations, one file per variation in that folder; otherwise the file itself. */
function outputPaths(out: string, count: number): string[] {
  const isFolder = count > 1 || !/\.midi?$/i.test(out) || (existsSync(out) && statSync(out).isDirectory())
  if (!isFolder) return [out]
  return Array.from({ length: count }, (_, i) => join(out, variationFileName(i)))
}

function barCount(value: string): number {
  const bars = Number(value)
  if (!/^\d+$/.test(value) || bars < 1 || bars > MAX_BARS) {
    throw new CliError(`--bars: expected a whole number from 1 to ${MAX_BARS}`)
  }
  return bars
}

function toneCount(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new CliError('--tones-per-step: expected a whole number of 1 or more')
  }
  return Number(value)
}

export async function runGenerate(options: GenerateCommandOptions): Promise<void> {
  const tonesPerStep = options.tonesPerStep === undefined ? undefined : toneCount(options.tonesPerStep)
  const length =
    options.bars === undefined
      ? { length: options.length, lengthUnit: 'steps' as const }
      : { length: barCount(options.bars), lengthUnit: 'bars' as const }
  const backend = await selectBackend(options.backend)
  const primer = options.primer
    ? await readPieceFile(options.primer).catch((error: unknown) => {
        if (error instanceof MidiReadError) throw new CliError(`${options.primer}: ${error.message}`)
        throw error
      })
    : undefined
  if (primer && primer.notes.length === 0) throw new CliError(`${options.primer}: the primer has no notes`)
  const model = await loadGenerator(
    options.checkpoint ? resolveCheckpointDir(options.checkpoint) : DEFAULT_MODEL_DIR,
  )
  try {
    const { seed, count, meter } = options
    const temperature = options.temperature ?? checkpointTemperature(model.meta)
    const steering = steeringOf(options)
    const request = { seed, temperature, count, primer, tonesPerStep, meter, steering, ...length }
    const pieces = await generate(model, request)
    const paths = outputPaths(options.out, options.count)
    for (const [i, path] of paths.entries()) {
      if (paths.length > 1 || path !== options.out) await mkdir(options.out, { recursive: true })
      await writeFile(path, pieceToMidi(pieces[i]))
      process.stderr.write(`${path}: ${pieces[i].notes.length} notes\n`)
    }
    const whose = options.temperature === undefined ? " (the checkpoint's)" : ''
    process.stderr.write(`temperature: ${temperature}${whose}\n`)
    process.stderr.write(backendLine(backend))
  } finally {
    model.dispose()
  }
}
