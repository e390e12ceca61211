import { describe, expect, it } from 'vitest'
import {
  DEBIAN_CHROMIUM,
  findChromium,
  provideChromium,
  swiftShaderBeside,
  type ChromiumSystem,
  type CommandRunner,
} from './chromium'

const PLAYWRIGHT = '/home/me/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome'

/** A machine of the given files (and symbolic links, link to target) that nothing is installed on. */
function machine(options: Partial<ChromiumSystem> & { files?: string[]; links?: Record<string, string> }) {
  const files = new Set(options.files ?? [])
  const links = options.links ?? {}
  const system: ChromiumSystem = {
    chosen: undefined,
    playwrightChromium: PLAYWRIGHT,
    platform: 'linux',
    isRoot: false,
    exists: (path) => files.has(path) || path in links,
    realpath: (path) => links[path] ?? path,
    ...options,
  }
  return { system, files }
}

/** Records the commands run; each succeeds, and `installs` adds its files, unless it is in `failing`. */
function runner(
  files: Set<string>,
  installs: Record<string, string[]> = {},
  failing: Record<string, string> = {},
) {
  const ran: string[] = []
  const run: CommandRunner = (command) => {
    const line = command.join(' ')
    ran.push(line)
    if (line in failing) return { ok: false, output: failing[line] }
    for (const file of installs[line] ?? []) files.add(file)
    return { ok: true, output: 'lots of output\n' }
  }
  return { run, ran }
}

function provide(system: ChromiumSystem, run: CommandRunner) {
  const said: string[] = []
  const ok = provideChromium(system, run, (line) => said.push(line))
  return { ok, said }
}

const APT_INSTALL = 'env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium'
const NPX_INSTALL = 'npx playwright install chromium'

describe('findChromium', () => {
  it('takes CHROMIUM_PATH first, then Debian’s, then Playwright’s own, where each is there', () => {
    const everything = [DEBIAN_CHROMIUM, PLAYWRIGHT]
    expect(findChromium(machine({ files: everything, chosen: '/opt/c/chrome' }).system)).toBe('/opt/c/chrome')
    expect(findChromium(machine({ files: everything }).system)).toBe(DEBIAN_CHROMIUM)
    expect(findChromium(machine({ files: [PLAYWRIGHT] }).system)).toBe(PLAYWRIGHT)
    expect(findChromium(machine({ files: [] }).system)).toBeNull()
    expect(findChromium(machine({ files: [], playwrightChromium: null }).system)).toBeNull()
  })
})

describe('swiftShaderBeside', () => {
  it('finds Debian’s under /usr/lib/chromium, behind its /usr/bin/chromium script', () => {
    const { system } = machine({
      files: [
        DEBIAN_CHROMIUM,
        '/usr/lib/chromium/vk_swiftshader_icd.json',
        '/usr/lib/chromium/libvulkan.so.1',
      ],
    })
    expect(swiftShaderBeside(DEBIAN_CHROMIUM, system)).toEqual({
      icd: '/usr/lib/chromium/vk_swiftshader_icd.json',
      loader: '/usr/lib/chromium/libvulkan.so.1',
    })
  })

  it('finds Chrome for Testing’s beside its binary, through a symbolic link to it', () => {
    const folder = '/home/me/.cache/ms-playwright/chromium-1255/chrome-linux64'
    const { system } = machine({
      files: [PLAYWRIGHT, `${folder}/vk_swiftshader_icd.json`, `${folder}/libvulkan.so.1`],
      links: { '/usr/local/bin/chrome': PLAYWRIGHT },
    })
    const expected = { icd: `${folder}/vk_swiftshader_icd.json`, loader: `${folder}/libvulkan.so.1` }
    expect(swiftShaderBeside(PLAYWRIGHT, system)).toEqual(expected)
    expect(swiftShaderBeside('/usr/local/bin/chrome', system)).toEqual(expected)
  })

  it('is null where the ICD file or the Vulkan loader is missing', () => {
    const icdOnly = machine({ files: [DEBIAN_CHROMIUM, '/usr/lib/chromium/vk_swiftshader_icd.json'] })
    expect(swiftShaderBeside(DEBIAN_CHROMIUM, icdOnly.system)).toBeNull()
    const elsewhere = machine({ files: ['/opt/c/chrome', '/usr/lib/chromium/vk_swiftshader_icd.json'] })
    expect(swiftShaderBeside('/opt/c/chrome', elsewhere.system)).toBeNull()
  })
})

describe('provideChromium', () => {
  it('runs nothing and says nothing where a Chromium is there', () => {
    const { system, files } = machine({ files: [DEBIAN_CHROMIUM], isRoot: true })
    const { run, ran } = runner(files)
    expect(provide(system, run)).toEqual({ ok: true, said: [] })
    expect(ran).toEqual([])
  })

  it('stops at a CHROMIUM_PATH that is not there rather than installing another', () => {
    const { system, files } = machine({ files: ['/usr/bin/apt-get'], isRoot: true, chosen: '/opt/c/chrome' })
    const { run, ran } = runner(files)
    expect(provide(system, run)).toEqual({
      ok: false,
      said: ['CHROMIUM_PATH is /opt/c/chrome, which does not exist: point it at a Chromium, or unset it.'],
    })
    expect(ran).toEqual([])
  })

  it('installs Debian’s package as root, and says so in one line', () => {
    const { system, files } = machine({ files: ['/usr/bin/apt-get'], isRoot: true })
    const { run, ran } = runner(files, { [APT_INSTALL]: [DEBIAN_CHROMIUM] })
    expect(provide(system, run)).toEqual({
      ok: true,
      said: ["No Chromium for the tests: installing Debian's chromium package (apt-get install chromium)."],
    })
    expect(ran).toEqual(['apt-get update', APT_INSTALL])
  })

  it('installs it with sudo where sudo is there', () => {
    const { system, files } = machine({ files: ['/usr/bin/apt-get', '/usr/bin/sudo'] })
    const { run, ran } = runner(files, { [`sudo ${APT_INSTALL}`]: [DEBIAN_CHROMIUM] })
    expect(provide(system, run).ok).toBe(true)
    expect(ran).toEqual(['sudo apt-get update', `sudo ${APT_INSTALL}`])
  })

  it('installs Playwright’s where apt cannot run: another system, or no root and no sudo', () => {
    for (const system of [
      machine({ files: [], platform: 'darwin' }),
      machine({ files: ['/usr/bin/apt-get'], isRoot: false }),
    ]) {
      const { run, ran } = runner(system.files, { [NPX_INSTALL]: [PLAYWRIGHT] })
      expect(provide(system.system, run)).toEqual({
        ok: true,
        said: [
          "No Chromium for the tests: installing Playwright's Chromium (npx playwright install chromium).",
        ],
      })
      expect(ran).toEqual([NPX_INSTALL])
    }
  })

  it('falls back to Playwright’s when apt fails, or installs nothing where the tests look', () => {
    const failing = machine({ files: ['/usr/bin/apt-get'], isRoot: true })
    const failed = runner(
      failing.files,
      { [NPX_INSTALL]: [PLAYWRIGHT] },
      { 'apt-get update': 'E: no network\n' },
    )
    const result = provide(failing.system, failed.run)
    expect(result.ok).toBe(true)
    expect(result.said[1]).toBe('apt-get update failed: E: no network')
    expect(failed.ran).toEqual(['apt-get update', NPX_INSTALL])

    const stub = machine({ files: ['/usr/bin/apt-get'], isRoot: true })
    const stubbed = runner(stub.files, { [NPX_INSTALL]: [PLAYWRIGHT] })
    expect(provide(stub.system, stubbed.run).ok).toBe(true)
    expect(stubbed.ran).toEqual(['apt-get update', APT_INSTALL, NPX_INSTALL])
  })

  it('says what to install, and fails, where nothing can be installed', () => {
    const { system, files } = machine({ files: [], platform: 'win32' })
    const { run } = runner(files, {}, { [NPX_INSTALL]: 'Error: getaddrinfo ENOTFOUND\n' })
    expect(provide(system, run)).toEqual({
      ok: false,
      said: [
        "No Chromium for the tests: installing Playwright's Chromium (npx playwright install chromium).",
        'npx playwright install chromium failed: Error: getaddrinfo ENOTFOUND',
        'No Chromium for the tests, and none could be installed: install the chromium package or run ' +
          '`npx playwright install chromium`, or set CHROMIUM_PATH to a Chromium.',
      ],
    })
  })
})
