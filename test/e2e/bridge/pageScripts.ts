// Node, tests only. The scripts injected into the page before the app's own (page.addInitScript), bundled
// from TypeScript with esbuild: the bridge's window.cadenza and the recording Web MIDI API.
import { resolve } from 'node:path'
import { build } from 'esbuild'

const PAGE_DIR = resolve(import.meta.dirname, '../page')

async function bundle(entry: string): Promise<string> {
  const { outputFiles } = await build({
    entryPoints: [resolve(PAGE_DIR, entry)],
    bundle: true,
    format: 'iife',
    target: 'chrome120',
    write: false,
  })
  return outputFiles[0].text
}

export async function pageScripts() {
  const [cadenzaBridge, recordingMidi] = await Promise.all([
    bundle('cadenzaBridge.ts'),
    bundle('recordingMidi.ts'),
  ])
  return { cadenzaBridge, recordingMidi }
}
