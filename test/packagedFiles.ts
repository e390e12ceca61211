// Node, tests only. What electron-builder.yml puts into a packaged app, as electron-builder reads its file
// filters (minimatch patterns relative to their folder; a leading "!" excludes), so that tests can check that
// the files the app reads at run time are packaged where its code looks for them.
import { cpSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { getConfig } from 'app-builder-lib/out/util/config/config'
import type { Configuration } from 'electron-builder'
import { minimatch } from 'minimatch'

export const ROOT = join(import.meta.dirname, '..')

/** electron-builder.yml, loaded by the code electron-builder runs. */
export const builderConfig = (): Promise<Configuration> => getConfig(ROOT, null, null)

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
