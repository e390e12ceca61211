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
    if (optimizer instanceof tf.AdamOptimizer) restoreBiasCorrections(optimizer)
  }
}

/** The part of TensorFlow.js's Adam that holds its bias corrections, beta1^t and beta2^t. */
interface AdamInternals {
  beta1: number
  beta2: number
  accBeta1: tf.Variable
  accBeta2: tf.Variable
  iterations: number
}

/**
 * Adam's bias corrections as its own steps leave them. Each step multiplies them by beta in float32, but
 * setWeights computes them afresh as pow(beta, t + 1), which a GPU's pow (exp2 of a log2) rounds otherwise:
 * a resumed run would then drift from an uninterrupted one from its first step. The product of the steps is
 * reproduced exactly here, since a float32 product rounds the same everywhere.
 */
function restoreBiasCorrections(optimizer: tf.AdamOptimizer): void {
  const adam = optimizer as unknown as AdamInternals
  const power = (beta: number) => {
    let value = Math.fround(beta)
    for (let step = 0; step < adam.iterations; step++) value = Math.fround(value * Math.fround(beta))
    return value
  }
  tf.tidy(() => {
    adam.accBeta1.assign(tf.scalar(power(adam.beta1)))
    adam.accBeta2.assign(tf.scalar(power(adam.beta2)))
  })
}
