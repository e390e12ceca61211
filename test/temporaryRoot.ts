// Node, tests only. One temporary folder per test run, removed when the run ends: the tests, and the engines
// and tools they start, make their temporary files under os.tmpdir(), which follows these variables, so a
// run leaves nothing behind however its tests end.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Points os.tmpdir() of this process and of everything started after it at a fresh folder; returns its removal. */
export function useTemporaryRoot(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'cadenza-tests-'))
  // TMPDIR on Linux and macOS, TMP and TEMP on Windows.
  for (const name of ['TMPDIR', 'TMP', 'TEMP']) process.env[name] = root
  return () => rmSync(root, { recursive: true, force: true })
}
