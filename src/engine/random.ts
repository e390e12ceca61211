// Node (engine). Seeded random numbers: the seed is the only source of randomness in training and
// generation, so the same seed gives the same batches, the same noise and the same notes.
import seedrandom from 'seedrandom'

export interface Random {
  /** Uniform in [0, 1). */
  next(): number
  /** Fills `array` with uniform values in [0, 1). */
  fill(array: Float32Array): Float32Array
}

/** A stream for one purpose, e.g. createRandom(seed, 'noise', variation): the parts are joined into the key. */
export function createRandom(...key: (string | number)[]): Random {
  const generate = seedrandom.alea(key.join('/'))
  return {
    next: generate,
    fill(array) {
      for (let i = 0; i < array.length; i++) array[i] = generate()
      return array
    },
  }
}

/** `count` of the indices `0..total - 1`, chosen by `random` (a shuffle's first ones), in ascending order. */
export function chooseIndices(random: Random, total: number, count: number): number[] {
  const indices = Array.from({ length: total }, (_, i) => i)
  for (let i = total - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1))
    ;[indices[i], indices[j]] = [indices[j], indices[i]]
  }
  return indices.slice(0, count).sort((a, b) => a - b)
}
