// Node. `cadenza generate`: pieces from a checkpoint, written as MIDI with their recipe inside.
import { existsSync, statSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { selectBackend, type BackendName } from '../engine/backend'
import { generate, loadGenerator } from '../engine/generation'
import { readPieceFile } from '../engine/midiFiles'
import { resolveCheckpointDir } from '../engine/training'
import { MidiReadError } from '../shared/music/midiStructure'
import { pieceToMidi } from '../shared/music/pieceToMidi'
import { CliError } from './cliError'

export interface GenerateCommandOptions {
  checkpoint?: string
  seed: number
  temperature: number
  length: number
  count: number
  primer?: string
  out: string
  backend?: BackendName
}

/** The checkpoint to use; there is no default model yet. */
function checkpointFor(dir: string | undefined): string {
  if (dir === undefined) {
    throw new CliError(
      'no default model is installed yet; pass --checkpoint with a folder made by `cadenza train`',
    )
  }
  return resolveCheckpointDir(dir)
}

/** With a folder or several variations, one file per variation in that folder; otherwise the file itself. */
function outputPaths(out: string, count: number): string[] {
  const isFolder = count > 1 || !/\.midi?$/i.test(out) || (existsSync(out) && statSync(out).isDirectory())
  if (!isFolder) return [out]
  return Array.from({ length: count }, (_, i) => join(out, `variation-${String(i + 1).padStart(2, '0')}.mid`))
}

export async function runGenerate(options: GenerateCommandOptions): Promise<void> {
  const backend = await selectBackend(options.backend)
  const primer = options.primer
    ? await readPieceFile(options.primer).catch((error: unknown) => {
        if (error instanceof MidiReadError) throw new CliError(`${options.primer}: ${error.message}`)
        throw error
      })
    : undefined
  if (primer && primer.notes.length === 0) throw new CliError(`${options.primer}: the primer has no notes`)
  const model = await loadGenerator(checkpointFor(options.checkpoint))
  try {
    const pieces = generate(model, { ...options, primer })
    const paths = outputPaths(options.out, options.count)
    for (const [i, path] of paths.entries()) {
      if (paths.length > 1 || path !== options.out) await mkdir(options.out, { recursive: true })
      await writeFile(path, pieceToMidi(pieces[i]))
      process.stderr.write(`${path}: ${pieces[i].notes.length} notes\n`)
    }
    process.stderr.write(`backend: ${backend.name} (${backend.description})\n`)
  } finally {
    model.dispose()
  }
}
