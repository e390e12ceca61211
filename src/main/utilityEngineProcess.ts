// Electron main. The engine as an Electron utility process: the production transport of engineHost.ts.
// `modulePath` is the engine bundle's path (electron-vite's `?modulePath` import).
import { utilityProcess } from 'electron'
import type { EngineProcess } from './engineHost'

export function startUtilityEngine(modulePath: string): EngineProcess {
  const child = utilityProcess.fork(modulePath, [], { serviceName: 'Cadenza engine' })
  return {
    postMessage: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    // Electron reports only a code, also for a process ended by a signal.
    onExit: (listener) => child.once('exit', (code) => listener({ code, signal: null })),
    // SIGTERM on POSIX, which the engine takes as its host gone: a training stops after its current step.
    end: () => child.kill(),
    kill: () => {
      // Electron's kill() is the polite one; a signal by pid is what forces it.
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL')
    },
  }
}
