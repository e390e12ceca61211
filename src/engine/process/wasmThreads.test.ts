// Runs `cadenza train` and `generate` in child processes, once on every core and once on one thread: the
// WebAssembly backend's threads must not change a single bit, or a checkpoint and a seed would make
// another piece on a machine with another number of cores.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cadenzaWith } from '../../../test/cadenzaCli'
import { SONATA_DIR } from '../../../test/corpus'
import { THREADS_VARIABLE } from './wasmThreads'

/** Wide enough that the threads share the matrix products (a tiny model's could fit in one thread's tile). */
const SIZES = ['--hidden', '64', '--batch', '8', '--seq-len', '16', '--steps-per-epoch', '2']
const SCHEDULE = ['--pretrain-epochs', '1', '--pretrain-d-epochs', '1', '--epochs', '1']
/** Forced: where an optional native package is installed, the automatic choice may be another backend. */
const WASM = ['--backend', 'wasm']

async function trainAndGenerate(variables: NodeJS.ProcessEnv) {
  const out = join(mkdtempSync(join(tmpdir(), 'cadenza-threads-')), 'run')
  const trained = await cadenzaWith(
    variables,
    'train',
    '--data',
    SONATA_DIR,
    '--out',
    out,
    ...SIZES,
    ...SCHEDULE,
    ...WASM,
  )
  expect(trained.code, trained.stderr).toBe(0)
  const takes = join(out, 'takes')
  const generated = await cadenzaWith(
    variables,
    'generate',
    '--checkpoint',
    out,
    '--count',
    '4',
    '--length',
    '128',
    '--seed',
    '5',
    ...WASM,
    '--out',
    `${takes}/`,
  )
  expect(generated.code, generated.stderr).toBe(0)
  const read = (file: string) => readFileSync(file).toString('base64')
  return {
    backend: trained.stderr.split('\n')[0],
    weights: ['generator', 'discriminator'].map((net) => read(join(out, 'checkpoint', `${net}.weights.bin`))),
    takes: readdirSync(takes).map((file) => read(join(takes, file))),
  }
}

describe('the WebAssembly backend on every core', () => {
  it('trains and generates the same bits as on one thread', async () => {
    const [everyCore, oneThread] = await Promise.all([
      trainAndGenerate({}),
      trainAndGenerate({ [THREADS_VARIABLE]: '1' }),
    ])
    const cores = Math.min(cpus().length, 8)
    const reason = 'forced'
    expect(everyCore.backend).toBe(
      `backend: wasm (WebAssembly (CPU, ${cores === 1 ? 'one thread' : `${cores} threads`})): ${reason}`,
    )
    expect(oneThread.backend).toBe(`backend: wasm (WebAssembly (CPU, one thread)): ${reason}`)
    expect(everyCore.takes).toHaveLength(4)
    expect(everyCore.weights).toEqual(oneThread.weights)
    expect(everyCore.takes).toEqual(oneThread.takes)
    // Two trainings side by side, each epoch of the quick preset's sampling G measured at six temperatures.
  }, 180_000)
})
