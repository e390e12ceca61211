// Node (Electron main). What a library run trains on and how: its folder of MIDI files and its settings, kept
// in the run's folder from the start, so that resuming it (also after quitting the app, and also when it was
// stopped before its first checkpoint) reads the same data without the renderer naming a path.
import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { SettingsSchema } from '../shared/modelSettings'

const SOURCE_FILE = 'training-source.json'
const RunSourceSchema = z.object({ dataDir: z.string().min(1), settings: SettingsSchema })
export type RunSource = z.infer<typeof RunSourceSchema>

/** Written by a rename, so a crash leaves the whole file or none. */
export async function writeRunSource(runDir: string, source: RunSource): Promise<void> {
  const temp = join(runDir, `${SOURCE_FILE}.saving`)
  await writeFile(temp, `${JSON.stringify(source, null, 2)}\n`)
  await rename(temp, join(runDir, SOURCE_FILE))
}

/** The run's folder and settings; throws one line for the user when the run has no record of them. */
export async function readRunSource(runDir: string): Promise<RunSource> {
  try {
    return RunSourceSchema.parse(JSON.parse(await readFile(join(runDir, SOURCE_FILE), 'utf8')))
  } catch {
    throw new Error('this checkpoint does not record the folder it trained on, so it cannot resume')
  }
}
