// Node, tests only. The suite runs the built renderer: build it when out/renderer is missing or older than
// what it is built from (test/freshBuild.ts). The run gets a temporary folder of its own, removed at its end.
import { buildWhenStale } from '../freshBuild'
import { useTemporaryRoot } from '../temporaryRoot'

export default function setup(): () => void {
  buildWhenStale('out/renderer/index.html', [
    'src/renderer',
    'src/shared',
    'electron.vite.config.ts',
    'package.json',
  ])
  return useTemporaryRoot()
}
