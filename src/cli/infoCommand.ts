// Node. `cadenza info`: what a checkpoint is, how it was trained and what it learned.
import { readCheckpointMeta } from '../engine/checkpointStore'
import { resolveCheckpointDir } from '../engine/training/training'
import { combinedDistance } from '../shared/bestEpoch'
import { checkpointTemperature, describeTemperature } from '../shared/checkpointMeta'
import { formatNumber, table } from './table'

/** A figure an epoch may lack, '-' then. */
const optional = (value: number | null) => (value === null ? '-' : formatNumber(value))

export async function runInfo(dir: string, options: { json?: boolean }): Promise<void> {
  const folder = resolveCheckpointDir(dir)
  const meta = await readCheckpointMeta(folder)
  if (options.json) {
    console.log(JSON.stringify(meta))
    return
  }
  const { model, training } = meta.settings
  const { report } = meta.dataset
  console.log(`${folder}: ${meta.kind} checkpoint, Cadenza ${meta.appVersion}, trained on ${meta.backend}`)
  console.log(`created ${meta.createdAt}, updated ${meta.updatedAt}`)
  console.log(
    `model: ${model.layers} layers of ${model.hiddenUnits} units, ${model.tonesPerStep} tones per step, ` +
      `${model.output === 'sampled' ? 'sampled' : "continuous (the paper's)"} output` +
      `${model.meter ? ', reads the metric position' : ''}; ` +
      `generates at temperature ${describeTemperature(checkpointTemperature(meta), meta.decoding?.temperatureScales, meta.decoding?.repetition)}`,
  )
  console.log(
    `training: ${training.optimizer}, batch ${training.batchSize}, sequence length ${training.sequenceLength}, seed ${training.seed}` +
      `${training.featureMatching ? ', feature matching' : ''}${training.labelSmoothing ? ', label smoothing' : ''}`,
  )
  console.log(
    `data: ${report.filesRead} files (${report.filesSkipped.length} skipped, ${report.heldOut.length} held out), ` +
      `${report.notes} notes, ${report.sequences} sequences`,
  )
  if (meta.history.length === 0) return
  console.log(
    table(
      [
        'epoch',
        'phase',
        'G loss',
        'D loss',
        'D accuracy',
        'realism',
        'rhythm overlap',
        'distance',
        'classifier',
        'at temperature',
        'unique_tones',
        'scale_consistency',
      ],
      meta.history.map((record) => [
        String(record.epoch),
        record.phase,
        optional(record.generatorLoss),
        optional(record.discriminatorLoss),
        optional(record.discriminatorAccuracy),
        optional(record.realismDistance),
        optional(record.rhythmOverlap),
        optional(combinedDistance(record)),
        optional(record.classifierAccuracy),
        record.temperature === null
          ? '-'
          : describeTemperature(record.temperature, record.temperatureScales, record.repetition),
        record.sampleStatistics ? formatNumber(record.sampleStatistics.unique_tones) : '-',
        record.sampleStatistics ? formatNumber(record.sampleStatistics.scale_consistency) : '-',
      ]),
    ),
  )
}
