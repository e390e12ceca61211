// Node, tests only. Which Chromium the end-to-end and WebGPU tests use, where its SwiftShader is, and how
// `npm test` provides one on a machine that has none (scripts/provideChromium.ts). Pure: every look at the
// machine and every command goes through ChromiumSystem and CommandRunner, so each branch is tested
// without installing anything (test/chromiumSystem.ts is the real machine).
import { dirname, join } from 'node:path'

/** Debian's chromium package: a shell script that runs the browser in DEBIAN_CHROMIUM_FOLDER. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium'
/** Where Debian's browser and its libraries (SwiftShader, a Vulkan loader) really are. */
const DEBIAN_CHROMIUM_FOLDER = '/usr/lib/chromium'

export interface ChromiumSystem {
  /** CHROMIUM_PATH, when set. */
  chosen: string | undefined
  /** Where Playwright keeps its own Chromium once installed; null where it has none for this system. */
  playwrightChromium: string | null
  platform: NodeJS.Platform
  isRoot: boolean
  exists(path: string): boolean
  /** The path with its symbolic links resolved; the path itself when it cannot be. */
  realpath(path: string): string
}

/** Runs a command (program and arguments) to its end: whether it succeeded, and what it printed. */
export type CommandRunner = (command: readonly string[]) => { ok: boolean; output: string }

/** CHROMIUM_PATH, else Debian's, else Playwright's own: the first that is there (CHROMIUM_PATH always). */
export function findChromium(system: ChromiumSystem): string | null {
  if (system.chosen) return system.chosen
  const candidates = [DEBIAN_CHROMIUM, system.playwrightChromium]
  return candidates.find((path): path is string => path !== null && system.exists(path)) ?? null
}

export interface SwiftShader {
  /** The Vulkan ICD file that names SwiftShader's library, for VK_ICD_FILENAMES. */
  icd: string
  /** The Vulkan loader shipped beside it, for the machines that have none of their own. */
  loader: string
}

/**
 * The software Vulkan GPU that Chromium ships beside its binary: Debian's under /usr/lib/chromium (its
 * /usr/bin/chromium is a wrapper script), Chrome for Testing's in its own folder. Null when absent.
 */
export function swiftShaderBeside(chromium: string, system: ChromiumSystem): SwiftShader | null {
  const binary = system.realpath(chromium)
  const folders = [dirname(binary), ...(binary === DEBIAN_CHROMIUM ? [DEBIAN_CHROMIUM_FOLDER] : [])]
  for (const folder of folders) {
    const found = { icd: join(folder, 'vk_swiftshader_icd.json'), loader: join(folder, 'libvulkan.so.1') }
    if (system.exists(found.icd) && system.exists(found.loader)) return found
  }
  return null
}

interface Installer {
  /** What it installs, as a person would ask for it. */
  what: string
  commands: string[][]
}

const APT: Installer = {
  what: "Debian's chromium package (apt-get install chromium)",
  commands: [
    ['apt-get', 'update'],
    ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', 'chromium'],
  ],
}
const PLAYWRIGHT: Installer = {
  what: "Playwright's Chromium (npx playwright install chromium)",
  commands: [['npx', 'playwright', 'install', 'chromium']],
}

/** What can install a Chromium here, in the order tried: apt where it can run as root, then Playwright. */
export function installers(system: ChromiumSystem): Installer[] {
  const sudo = system.isRoot ? [] : ['sudo']
  const apt =
    system.platform === 'linux' &&
    system.exists('/usr/bin/apt-get') &&
    (system.isRoot || system.exists('/usr/bin/sudo'))
  return [
    ...(apt ? [{ ...APT, commands: APT.commands.map((command) => [...sudo, ...command]) }] : []),
    PLAYWRIGHT,
  ]
}

/** Runs the commands in turn up to the first that fails, and says which failed and why; null when none. */
function runAll(commands: readonly string[][], run: CommandRunner): string | null {
  for (const command of commands) {
    const { ok, output } = run(command)
    if (!ok) return `${command.join(' ')} failed: ${output.trim().split('\n').pop()?.trim() || 'no output'}`
  }
  return null
}

/**
 * Makes sure findChromium finds a Chromium, installing one where none is there; says in one line what it
 * installs, or what to install where nothing could be. Silent when one is there. Whether one is there now.
 */
export function provideChromium(
  system: ChromiumSystem,
  run: CommandRunner,
  say: (line: string) => void,
): boolean {
  if (system.chosen && !system.exists(system.chosen)) {
    say(`CHROMIUM_PATH is ${system.chosen}, which does not exist: point it at a Chromium, or unset it.`)
    return false
  }
  if (findChromium(system)) return true
  for (const installer of installers(system)) {
    say(`No Chromium for the tests: installing ${installer.what}.`)
    const failure = runAll(installer.commands, run)
    // One that ran but left no Chromium where the tests look (a snap stub, say) is no better than a failure.
    if (failure === null && findChromium(system)) return true
    if (failure !== null) say(failure)
  }
  say(
    'No Chromium for the tests, and none could be installed: install the chromium package or run ' +
      '`npx playwright install chromium`, or set CHROMIUM_PATH to a Chromium.',
  )
  return false
}
