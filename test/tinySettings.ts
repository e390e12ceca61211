// Node, tests only. Settings for models small enough to train in seconds on two CPU cores.
import { PRESETS, type Settings } from '../src/shared/modelSettings'

export function tinySettings(
  training: Partial<Settings['training']> = {},
  model: Partial<Settings['model']> = {},
): Settings {
  return {
    model: { tonesPerStep: 3, hiddenUnits: 8, layers: 2, output: 'continuous', meter: false, ...model },
    training: {
      ...PRESETS.quick.training,
      batchSize: 4,
      sequenceLength: 8,
      curriculumStartLength: 4,
      stepsPerEpoch: 2,
      pretrainEpochs: 1,
      pretrainDiscriminatorEpochs: 0,
      epochs: 1,
      samplesPerEpoch: 1,
      ...training,
    },
  }
}
