// Node, tests only. Tests that run the built app (out/) build it first when it is missing or older than what
// it is built from, so that running them alone never tests a stale build (`npm test` has just built it).
import { execSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')

/** The newest modification time among a file or a folder's files, tests (which are not built) left out. */
function newest(path: string): number {
  const stats = statSync(path)
  if (!stats.isDirectory()) return path.endsWith('.test.ts') ? 0 : stats.mtimeMs
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))))
}

/** Runs `npm run build` unless `built` (relative to the root) is newer than every one of `sources`. */
export function buildWhenStale(built: string, sources: string[]): void {
  const output = join(ROOT, built)
  const stale =
    !existsSync(output) ||
    statSync(output).mtimeMs < Math.max(...sources.map((source) => newest(join(ROOT, source))))
  if (stale) execSync('npm run build', { cwd: ROOT, stdio: 'inherit' })
}
