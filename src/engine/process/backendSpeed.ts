// Node (engine). How fast each backend trains on this machine, for the automatic choice (backend.ts): a
// short adversarial step at a modest size, timed after a warm-up step (which pays for compiling a GPU's
// shaders), the median of three. Probing takes a second or two per backend, so each figure is kept in
// `backend-speed.json` in the config folder (configDir.ts) under a key naming the backend, its version and
// the hardware it ran on: a new machine, GPU or TensorFlow.js version is probed again, nothing else is.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { PRESETS, type Settings } from '../../shared/modelSettings'
import { median } from '../../shared/music/summary'
import { configDir } from '../configDir'
import { CrnnGan } from '../model/crnnGan'
import { createRandom } from '../random'

export const SPEED_FILE = 'backend-speed.json'

/** The paper's model at a third of its width and a quarter of its batch and length: big enough to tell a
 * GPU from a CPU, small enough that a CPU backend takes well under a second a step. */
const PROBE_SETTINGS: Settings = {
  model: { ...PRESETS.paper.model, hiddenUnits: 128 },
  training: { ...PRESETS.paper.training, batchSize: 8, sequenceLength: 16, freezeThreshold: 0 },
}
const TIMED_STEPS = 3

/** Milliseconds per training step on the current backend. */
export async function probeTrainingStep(): Promise<number> {
  const gan = new CrnnGan(PROBE_SETTINGS)
  try {
    const { batchSize: batch, sequenceLength: time } = PROBE_SETTINGS.training
    const random = createRandom(1, 'probe')
    const input = {
      real: random.fill(new Float32Array(batch * time * gan.width)).map((u) => 2 * u - 1),
      noise: random.fill(new Float32Array(batch * time * gan.noiseWidth)),
      batch,
      time,
    }
    const times: number[] = []
    for (let step = 0; step <= TIMED_STEPS; step++) {
      const start = performance.now()
      await gan.adversarialStep(input)
      if (step > 0) times.push(performance.now() - start)
    }
    return median(times)
  } finally {
    gan.dispose()
  }
}

const SpeedSchema = z.object({ stepMs: z.number().positive(), measuredAt: z.string() })
export type Speed = z.infer<typeof SpeedSchema>
const SpeedFileSchema = z.record(z.string(), SpeedSchema)

function speedFile(): string {
  return join(configDir(), SPEED_FILE)
}

/** Every kept figure; a missing or damaged file is no figures (they are measured again). */
function readSpeeds(): Record<string, Speed> {
  try {
    return SpeedFileSchema.parse(JSON.parse(readFileSync(speedFile(), 'utf8')))
  } catch {
    return {}
  }
}

/** The figure kept for `key`, or one measured by `probe` now and kept (a folder that cannot be written
 * only means measuring again next time). */
export async function trainingSpeed(key: string, probe: () => Promise<number>): Promise<Speed> {
  const kept = readSpeeds()[key]
  if (kept !== undefined) return kept
  const speed = { stepMs: Math.round(await probe()), measuredAt: new Date().toISOString() }
  try {
    mkdirSync(configDir(), { recursive: true })
    // Written whole and renamed into place, so that two engines starting at once never leave half a file.
    const partial = `${speedFile()}.${process.pid}.partial`
    writeFileSync(partial, `${JSON.stringify({ ...readSpeeds(), [key]: speed }, null, 2)}\n`)
    renameSync(partial, speedFile())
  } catch {
    // Not kept: the next start measures again.
  }
  return speed
}
