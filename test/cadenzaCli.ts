// Node, tests only. Runs the real `cadenza` command line in a child process, as a user would.
import { execFile } from 'node:child_process'
import { resolve } from 'node:path'

export const CADENZA = resolve(import.meta.dirname, '../bin/cadenza.js')

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

export function cadenza(...args: string[]): Promise<CliRun> {
  return cadenzaWith({}, ...args)
}

/** `cadenza` with these variables added to the environment. */
export function cadenzaWith(variables: NodeJS.ProcessEnv, ...args: string[]): Promise<CliRun> {
  const options = { maxBuffer: 64 << 20, env: { ...process.env, ...variables } }
  return new Promise((done) => {
    execFile(process.execPath, [CADENZA, ...args], options, (error, stdout, stderr) => {
      done({ code: error ? Number(error.code) : 0, stdout, stderr })
    })
  })
}
