// Node. `cadenza export`: a generator-only copy of a checkpoint, for shipping and sharing (the studio's
// default model is made this way).
import { exportGenerator } from '../engine/checkpointStore'
import { resolveCheckpointDir } from '../engine/training/training'

export async function runExport(dir: string, options: { out: string; repetition?: number }): Promise<void> {
  await exportGenerator(resolveCheckpointDir(dir), options.out, { repetition: options.repetition })
  console.log(`${options.out}: generator exported`)
}
