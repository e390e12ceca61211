// Node (engine). The classifier two-sample test of model.md sec. 5b: how often a logistic regression on the
// windows' statistics tells a window of one set from a window of the other, on windows of pieces it did not
// train on. 0.5 means the sets cannot be told apart; 1, always. Used by `cadenza eval`, and meant to be
// measured per epoch by training, so it is deterministic and quick: about a second for a few thousand
// windows a set on plain JavaScript.
import * as tf from '@tensorflow/tfjs'
import { readValues } from './model/readValues'
import { chooseIndices, createRandom } from './random'

/** A set of windows: its pieces, each the feature vectors of its windows (all vectors of one length). */
export type WindowsByPiece = readonly (readonly (readonly number[])[])[]

export interface TwoSampleTestOptions {
  /** Cross-validation folds, each holding whole pieces (fewer when a set has fewer pieces). Default 5. */
  folds?: number
  /** Which windows of the larger set are kept. Default 'cadenza'. */
  seed?: string
}

export interface TwoSampleTestResult {
  /** The fraction of held-out windows classified as the set they came from. */
  accuracy: number
  /** Windows of each set it used: as many as the smaller set has. */
  windowsPerSet: number
  folds: number
}

const DEFAULT_FOLDS = 5
/**
 * Full-batch Adam steps. The loss is convex and the features standardized: on real windows 100 steps give
 * the accuracy that 400 do, to 0.001.
 */
const ITERATIONS = 100
const LEARNING_RATE = 0.1
/** A small ridge, so that sets that separate completely do not send the weights to infinity. */
const L2 = 1e-3

interface Row {
  features: readonly number[]
  /** 1 for the first set, 0 for the second. */
  label: number
  fold: number
}

/** A window as the test keeps it: which piece of its set it is from. */
interface Window {
  piece: number
  features: readonly number[]
}

/** `count` windows of `set` (all, or chosen by `seed`), grouped by piece; pieces left without one are gone. */
function keptWindows(set: WindowsByPiece, count: number, seed: string): Window[][] {
  const windows = set.flatMap((piece, p) => piece.map((features) => ({ piece: p, features })))
  const kept =
    count === windows.length
      ? windows
      : chooseIndices(createRandom(seed, 'two-sample test'), windows.length, count).map((i) => windows[i])
  const byPiece = new Map<number, Window[]>()
  for (const window of kept) {
    const piece = byPiece.get(window.piece)
    if (piece) piece.push(window)
    else byPiece.set(window.piece, [window])
  }
  return [...byPiece.values()]
}

/**
 * The windows labelled with their fold: pieces go, largest first, to the fold with the fewest windows so far
 * (scikit-learn's GroupKFold), so that no piece is both trained and tested on. Each fold gets a piece when
 * there are at least `folds` of them.
 */
function assignFolds(pieces: readonly Window[][], folds: number, label: number): Row[] {
  const sizes = new Array<number>(folds).fill(0)
  return [...pieces]
    .sort((a, b) => b.length - a.length)
    .flatMap((piece) => {
      const fold = sizes.indexOf(Math.min(...sizes))
      sizes[fold] += piece.length
      return piece.map(({ features }) => ({ features, label, fold }))
    })
}

/** Each column scaled to mean 0 and deviation 1 over `rows` (a column that does not vary, to 0). */
function standardizer(rows: readonly Row[]): (features: readonly number[]) => number[] {
  const columns = rows[0].features.length
  const mean = new Array<number>(columns).fill(0)
  const deviation = new Array<number>(columns).fill(0)
  for (const { features } of rows) features.forEach((x, c) => (mean[c] += x / rows.length))
  for (const { features } of rows)
    features.forEach((x, c) => (deviation[c] += (x - mean[c]) ** 2 / rows.length))
  const scale = deviation.map((variance) => (variance > 0 ? 1 / Math.sqrt(variance) : 0))
  return (features) => features.map((x, c) => (x - mean[c]) * scale[c])
}

/**
 * How many rows a logistic regression fitted on the other folds gives their own label. The folds' models
 * are fitted side by side, as one batch of `folds` weight vectors, each on its fold's standardization and
 * training rows: their gradients do not mix and Adam works element by element, so each is what fitting it
 * alone gives, for a fifth of the operations. The gradient of the mean logistic loss is the textbook
 * Xᵀ(σ(Xw + b) − y) / n, written out because it costs less than half of what differentiating the loss does.
 */
async function correctOnHeldOut(rows: readonly Row[], folds: number): Promise<number> {
  const columns = rows[0].features.length
  const foldIndices = Array.from({ length: folds }, (_, fold) => fold)
  const trainingRows = foldIndices.map((fold) => rows.filter((row) => row.fold !== fold))
  const weights = tf.tidy(() => tf.variable(tf.zeros([folds, columns, 1])))
  const bias = tf.tidy(() => tf.variable(tf.zeros([folds, 1, 1])))
  const optimizer = tf.train.adam(LEARNING_RATE)
  const [x, y, rowWeights] = tf.tidy(() => [
    // [folds x rows x columns]: every row, standardized as each fold's training rows are.
    tf.tensor3d(
      foldIndices.map((fold) => {
        const standardize = standardizer(trainingRows[fold])
        return rows.map((row) => standardize(row.features))
      }),
    ),
    tf.tensor3d(foldIndices.map(() => rows.map((row) => [row.label]))),
    // 1 / (the fold's training rows) for its training rows, 0 for the rows it holds out.
    tf.tensor3d(
      foldIndices.map((fold) => rows.map((row) => [row.fold !== fold ? 1 / trainingRows[fold].length : 0])),
    ),
  ])
  try {
    for (let i = 0; i < ITERATIONS; i++) {
      tf.tidy(() => {
        const residuals = x.matMul(weights).add(bias).sigmoid().sub(y).mul(rowWeights)
        optimizer.applyGradients({
          [weights.name]: x.matMul(residuals, true).add(weights.mul(2 * L2)),
          [bias.name]: residuals.sum(1, true),
        })
      })
    }
    // Read without blocking: WebGPU under Node reads no other way (readValues.ts).
    const values = await readValues(tf.tidy(() => x.matMul(weights).add(bias)))
    return rows.filter((row, i) => (values[row.fold * rows.length + i] > 0 ? 1 : 0) === row.label).length
  } finally {
    optimizer.dispose()
    tf.dispose([weights, bias, x, y, rowWeights])
  }
}

/**
 * The classifier two-sample test of `first` against `second`: as many windows of each (the larger set's
 * chosen by `seed`), cross-validated over folds of whole pieces, each window's features standardized by the
 * training folds. Null when a set has fewer than two pieces with windows, as then no fold can hold out a
 * piece of each. Runs on the current TensorFlow.js backend.
 */
export async function classifierTwoSampleTest(
  first: WindowsByPiece,
  second: WindowsByPiece,
  { folds = DEFAULT_FOLDS, seed = 'cadenza' }: TwoSampleTestOptions = {},
): Promise<TwoSampleTestResult | null> {
  const count = Math.min(first.flat().length, second.flat().length)
  const [kept1, kept2] = [keptWindows(first, count, seed), keptWindows(second, count, seed)]
  const k = Math.min(folds, kept1.length, kept2.length)
  if (k < 2) return null
  const all = [...assignFolds(kept1, k, 1), ...assignFolds(kept2, k, 0)]
  const correct = await correctOnHeldOut(all, k)
  return { accuracy: correct / all.length, windowsPerSet: count, folds: k }
}

/**
 * For a process that needs TensorFlow.js only for this test (`cadenza eval`): plain JavaScript, which
 * starts at once, gives the same figures on every machine and is fast enough for a few thousand windows.
 * Production mode keeps its advice to install the native backend off stderr.
 */
export async function useCpuForTwoSampleTests(): Promise<void> {
  tf.enableProdMode()
  await tf.setBackend('cpu')
}
