// The lint configuration enforces architecture.md's layers: each case would be an error in review.
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint()

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return result.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((m) => m.message)
}

describe('layer rules', () => {
  it.each([
    ['src/shared/music/x.ts', "import { readFile } from 'node:fs'"],
    ['src/shared/music/x.ts', "import { app } from 'electron'"],
    ['src/shared/music/x.ts', "import * as tf from '@tensorflow/tfjs'"],
    ['src/shared/music/x.ts', "import { ref } from 'vue'"],
    ['src/shared/music/x.ts', "import { findMidiFiles } from '../../engine/data/midiFiles'"],
    ['src/engine/x.ts', "import { app } from 'electron'"],
    ['src/engine/x.ts', "import * as Tone from 'tone'"],
    ['src/main/x.ts', "import { findMidiFiles } from '../engine/data/midiFiles'"],
    ['src/main/x.ts', "import * as tf from '@tensorflow/tfjs-core'"],
    ['src/main/x.ts', "import training from '../engine/training/training?modulePath'"],
    ['src/main/x.ts', "import { EngineServer } from '../engine/process/engineEntry'"],
    ['src/preload/x.ts', "import { readFile } from 'fs'"],
    ['src/renderer/src/x.ts', "import { ipcRenderer } from 'electron'"],
    ['src/renderer/src/x.ts', "import { join } from 'node:path'"],
    ['src/renderer/src/x.ts', "import { host } from '../../main/host'"],
    ['src/cli/x.ts', "import { WebMidi } from 'webmidi'"],
  ])('%s may not: %s', async (file, code) => {
    expect(await importErrors(file, code)).toHaveLength(1)
  })

  it.each([
    ['src/shared/music/x.test.ts', "import { readFile } from 'node:fs'"],
    ['src/engine/x.ts', "import { midiToPiece } from '../shared/music/midiToPiece'"],
    ['src/engine/x.ts', "import * as tf from '@tensorflow/tfjs'"],
    ['src/main/x.ts', "import { app } from 'electron'"],
    ['src/main/x.ts', "import engineBundle from '../engine/process/engineEntry?modulePath'"],
    ['src/renderer/src/x.ts', "import * as Tone from 'tone'"],
    ['src/cli/x.ts', "import { findMidiFiles } from '../engine/data/midiFiles'"],
  ])('%s may: %s', async (file, code) => {
    expect(await importErrors(file, code)).toEqual([])
  })
})
