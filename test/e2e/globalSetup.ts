// Node, tests only. The suite runs the built renderer: build it when out/renderer is missing or older than
// what it is built from, so `npm run test:e2e` never tests a stale build (`npm test` has just built it). The
// run gets a temporary folder of its own, removed at its end.
import { execSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { useTemporaryRoot } from '../temporaryRoot'

const ROOT = resolve(import.meta.dirname, '../..')
const SOURCES = ['src/renderer', 'src/shared', 'electron.vite.config.ts', 'package.json']

/** The newest modification time among a file or a folder's files. */
function newest(path: string): number {
  const stats = statSync(path)
  if (!stats.isDirectory()) return stats.mtimeMs
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))))
}

export default function setup(): () => void {
  const built = join(ROOT, 'out/renderer/index.html')
  const stale =
    !existsSync(built) ||
    statSync(built).mtimeMs < Math.max(...SOURCES.map((source) => newest(join(ROOT, source))))
  if (stale) execSync('npm run build', { cwd: ROOT, stdio: 'inherit' })
  return useTemporaryRoot()
}
