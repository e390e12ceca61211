// Node, tests only: the engine as src/engine/process/engineEntry.test.ts forks it to take its utility-process path.
// It gives the process Electron's process.parentPort, carried over child_process's channel, then starts the
// engine's entry. After a SIGUSR2 from the test, postMessage throws, as a port whose other end is gone may.
// (A wrapper rather than an --import, which the engine's WebAssembly worker threads would inherit.)
type Listener = (event: { data: unknown }) => void
const listeners: Listener[] = []
/** As Electron's port does, messages wait for the first listener: the entry starts after the host's hello. */
const queued: unknown[] = []
let closed = false

process.on('message', (message) => {
  if (listeners.length === 0) queued.push(message)
  for (const listener of listeners) listener({ data: message })
})
process.once('SIGUSR2', () => (closed = true))

Object.assign(process, {
  parentPort: {
    on: (_event: 'message', listener: Listener) => {
      listeners.push(listener)
      for (const message of queued.splice(0)) listener({ data: message })
    },
    postMessage: (message: object) => {
      if (closed) throw new Error('the port is closed')
      process.send?.(message)
    },
  },
})

void import('../src/engine/process/engineEntry')
