// Node, tests only. Fails the whole run at once, with one clear message, when the corpus is absent.
import { assertCorpusPresent } from './corpus'

export default function setup(): void {
  assertCorpusPresent()
}
