// Node, `npm test`'s first step (pretest, and test:e2e's). The end-to-end tests drive a real Chromium and
// the WebGPU tests run on the SwiftShader it ships: finds one, or installs one and says so in one line, or
// says in one line what to install and exits 1 (test/chromium.ts). Silent when one is there.
import { spawnSync } from 'node:child_process'
import { provideChromium, type CommandRunner } from '../test/chromium'
import { thisSystem } from '../test/chromiumSystem'

/** Output is kept for the line that says why a command failed, not shown: apt and npx print pages. */
const run: CommandRunner = ([program, ...args]) => {
  const result = spawnSync(program, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    // Past maxBuffer the command would be killed; apt's and Playwright's output stays far below this.
    maxBuffer: 64 * 1024 * 1024,
    // npx is a .cmd script on Windows, which only a shell runs.
    shell: process.platform === 'win32',
  })
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`
  return { ok: result.status === 0, output }
}

if (!provideChromium(thisSystem, run, (line) => console.log(line))) process.exitCode = 1
