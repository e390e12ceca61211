// Node (engine). Both optimizers' state (Adam's moments and step count) as one named tensor map for the
// checkpoint, and back. TensorFlow.js matches an optimizer's state to variables by position, not by name,
// so entries are saved under their position and restored in the same order.
import * as tf from '@tensorflow/tfjs'
import type { CrnnGan } from '../model/crnnGan'

type Owner = 'generator' | 'discriminator'

function optimizers(gan: CrnnGan): [Owner, tf.Optimizer][] {
  return [
    ['generator', gan.generatorOptimizer],
    ['discriminator', gan.discriminatorOptimizer],
  ]
}

/** Copies of the state; the caller disposes them. */
export async function optimizerState(gan: CrnnGan): Promise<tf.NamedTensorMap> {
  const state: tf.NamedTensorMap = {}
  for (const [owner, optimizer] of optimizers(gan)) {
    const weights = await optimizer.getWeights()
    weights.forEach(({ tensor }, position) => {
      // The step count is a fresh tensor; the moments are the optimizer's own variables.
      state[`${owner}/${position}`] = position === 0 ? tensor : tf.clone(tensor)
    })
  }
  return state
}

export async function restoreOptimizers(gan: CrnnGan, state: tf.NamedTensorMap): Promise<void> {
  for (const [owner, optimizer] of optimizers(gan)) {
    const entries = Object.entries(state)
      .filter(([name]) => name.startsWith(`${owner}/`))
      .map(([name, tensor]) => ({ position: Number(name.slice(owner.length + 1)), name, tensor }))
      .sort((a, b) => a.position - b.position)
    await optimizer.setWeights(entries.map(({ name, tensor }) => ({ name, tensor })))
  }
}
