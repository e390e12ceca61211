// Node (Electron main). Which folder of MIDI files a library run trains on, kept in the run's folder, so that
// resuming it (also after quitting the app) reads the same data without the renderer naming a path.
import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'

const SOURCE_FILE = 'training-source.json'
const SourceSchema = z.object({ dataDir: z.string().min(1) })

/** Written by a rename, so a crash leaves the whole file or none. */
export async function writeRunSource(runDir: string, dataDir: string): Promise<void> {
  const temp = join(runDir, `${SOURCE_FILE}.saving`)
  await writeFile(temp, `${JSON.stringify({ dataDir }, null, 2)}\n`)
  await rename(temp, join(runDir, SOURCE_FILE))
}

/** The run's data folder; throws one line for the user when the run has no record of it. */
export async function readRunSource(runDir: string): Promise<string> {
  try {
    return SourceSchema.parse(JSON.parse(await readFile(join(runDir, SOURCE_FILE), 'utf8'))).dataDir
  } catch {
    throw new Error('this checkpoint does not record the folder it trained on, so it cannot resume')
  }
}
