// Node (engine). Which files a training run holds out, so that the model can be measured on pieces it never
// saw. Each file's fate comes from the seed and its own name, never from the order files are found in, so
// a split is the same on every machine, and adding a file to the data moves few others.
import { createRandom } from '../random'

/** The `fraction` of `names` (at least one, but never every one) with the lowest seeded keys. */
export function chooseHeldOut(names: readonly string[], fraction: number, seed: number): Set<string> {
  if (fraction === 0) return new Set()
  const count = Math.min(names.length - 1, Math.max(1, Math.round(fraction * names.length)))
  const keyed = names.map((name) => ({ name, key: createRandom(seed, 'holdout', name).next() }))
  // Names break ties, so that the input order cannot matter even then.
  keyed.sort((a, b) => a.key - b.key || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return new Set(keyed.slice(0, count).map(({ name }) => name))
}
