// Node, tests only. Fails the whole run at once, with one clear message, when the corpus is absent, and gives
// the run a temporary folder of its own (set before the test workers start, so they inherit it).
import { assertCorpusPresent } from './corpus'
import { useTemporaryRoot } from './temporaryRoot'

export default function setup(): () => void {
  assertCorpusPresent()
  return useTemporaryRoot()
}
