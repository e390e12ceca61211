// Node. The engine as a child_process.fork child: the transport for tests and for hosts outside Electron.
// engineEntry.ts exits when its IPC channel closes, which is how end() asks it to: after a training's current
// step ([Note: host gone] in engineServer.ts).
import { fork, type ChildProcess, type ForkOptions } from 'node:child_process'
import type { EngineProcess } from './engineHost'

export interface NodeEngineProcess extends EngineProcess {
  readonly child: ChildProcess
}

/** Forks `entry` (the engine's entry module) with the given options, e.g. execArgv to load tsx. */
export function startNodeEngine(entry: string, options: ForkOptions = {}): NodeEngineProcess {
  const child = fork(entry, [], options)
  // A send to a process that has just died is reported here; the exit tells the host the rest.
  child.on('error', (error) => console.error('cadenza engine:', error))
  return {
    child,
    postMessage: (message) => child.send(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', (code, signal) => listener({ code, signal })),
    end: () => {
      if (child.connected) child.disconnect()
    },
    kill: () => child.kill('SIGKILL'),
  }
}
