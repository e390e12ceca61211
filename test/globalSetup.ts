// Node, tests only. Fails the whole run at once, with one clear message, when the corpus is absent; builds the
// main, engine and preload bundles when they are stale, for the test of the built app's wiring
// (src/main/index.test.ts); and gives the run a temporary folder of its own (set before the test workers
// start, so they inherit it), which is also the engine's config folder, so that the timed backends of
// automatic selection (backendSpeed.ts) are never read from or written to the user's.
import { tmpdir } from 'node:os'
import { assertCorpusPresent } from './corpus'
import { buildWhenStale } from './freshBuild'
import { CONFIG_DIR_VARIABLE } from '../src/engine/configDir'
import { useTemporaryRoot } from './temporaryRoot'

export default function setup(): () => void {
  assertCorpusPresent()
  buildWhenStale('out/main/index.js', [
    'src/main',
    'src/engine',
    'src/shared',
    'src/preload',
    'electron.vite.config.ts',
    'package.json',
  ])
  const removeTemporaryRoot = useTemporaryRoot()
  process.env[CONFIG_DIR_VARIABLE] = tmpdir()
  return removeTemporaryRoot
}
