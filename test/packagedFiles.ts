// Node, tests only. What electron-builder.yml puts into a packaged app, as electron-builder reads its file
// filters (minimatch patterns relative to their folder; a leading "!" excludes), so that tests can check that
// the files the app reads at run time are packaged where its code looks for them.
import { cpSync, readdirSync, type Stats } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import type { AppInfo } from 'app-builder-lib'
import type { FileMatcher } from 'app-builder-lib/out/fileMatcher'
import { getConfig } from 'app-builder-lib/out/util/config/config'
import { expandMacro } from 'app-builder-lib/out/util/macroExpander'
import type { Configuration } from 'electron-builder'
import { minimatch } from 'minimatch'

export const ROOT = join(import.meta.dirname, '..')

/** electron-builder.yml, loaded by the code electron-builder runs. */
export const builderConfig = (): Promise<Configuration> => getConfig(ROOT, null, null)

/** electron-builder's own, internal (so untyped), builder of the filter it copies node_modules through. */
const { getNodeModuleFileMatcher } = createRequire(import.meta.url)('app-builder-lib/out/fileMatcher') as {
  getNodeModuleFileMatcher(
    appDir: string,
    destination: string,
    macroExpander: (pattern: string) => string,
    platformSpecificBuildOptions: object,
    packager: { config: Configuration; debugLogger: { isEnabled: boolean } },
  ): FileMatcher
}

/** Whether electron-builder packages a file of node_modules (given by its absolute path) for `os` and `arch`. */
export function nodeModulesFilter(
  config: Configuration,
  os: 'win' | 'mac' | 'linux',
  arch: 'x64' | 'arm64',
): (file: string, stat: Stats) => boolean {
  const expand = (pattern: string) => expandMacro(pattern, arch, {} as AppInfo)
  const packager = { config, debugLogger: { isEnabled: false } }
  return getNodeModuleFileMatcher(ROOT, 'app', expand, config[os] ?? {}, packager).createFilter()
}

/** Whether `path` (relative, with "/") passes `patterns`: one of them matches and no "!" one does. */
export function passes(patterns: string[], path: string): boolean {
  const matches = (pattern: string) => minimatch(path, pattern, { dot: true })
  const excluded = patterns.filter((pattern) => pattern.startsWith('!')).map((pattern) => pattern.slice(1))
  return patterns.some((pattern) => !pattern.startsWith('!') && matches(pattern)) && !excluded.some(matches)
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)).split('\\').join('/'))
}

/** An extraResources entry as getConfig gives it: `to` is left out where it is the resources folder. */
interface ExtraResource {
  from: string
  to?: string
  filter?: string[]
}

/** Lays out the config's extraResources in `resourcesPath` as a packaged app has them. */
export function layOutExtraResources(config: Configuration, resourcesPath: string): void {
  for (const { from, to = '.', filter = ['**/*'] } of [
    config.extraResources ?? [],
  ].flat() as ExtraResource[]) {
    for (const file of filesUnder(join(ROOT, from)).filter((path) => passes(filter, path))) {
      cpSync(join(ROOT, from, file), join(resourcesPath, to, file))
    }
  }
}
