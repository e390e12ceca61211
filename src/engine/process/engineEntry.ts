// Node (engine process). The engine as a process of its own, speaking src/shared/engineProtocol.ts with
// whoever started it: Electron main through utilityProcess.fork (messages arrive on process.parentPort as
// {data} events) or a plain Node host through child_process.fork (process.on('message'), process.send).
// The TensorFlow.js backend is chosen once, at start: the one named by CADENZA_BACKEND (see backend.ts),
// else the best that loads here. When the host is gone the engine winds down and exits with code 0
// ([Note: host gone] in engineServer.ts).
import type { EngineMessage } from '../../shared/engineProtocol'
import { selectBackend, type BackendName } from './backend'
import { EngineServer } from './engineServer'

/** The part of Electron's utility-process port used here, declared because the engine never imports electron. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void
  postMessage(message: unknown): void
}

function startServer(send: (message: EngineMessage) => void): EngineServer {
  // selectBackend refuses an unknown name, and the hello is answered with that refusal.
  const forced = (process.env.CADENZA_BACKEND || undefined) as BackendName | undefined
  return new EngineServer({
    send,
    backend: selectBackend(forced),
    // [Note: host gone] (engineServer.ts): the jobs have wound down; stderr is the host's log of the engine.
    onHostGone: (reason) => {
      process.stderr.write(`cadenza engine: ${reason}; exiting\n`)
      process.exit(0)
    },
  })
}

/** Electron's utility process: a post that throws (the port is closed) is the host gone; the server catches it. */
function serveParentPort(parentPort: ParentPort): EngineServer {
  const server = startServer((message) => parentPort.postMessage(message))
  parentPort.on('message', ({ data }) => server.handle(data))
  return server
}

/** child_process.fork's IPC channel. */
function serveChannel(send: NonNullable<NodeJS.Process['send']>): EngineServer {
  const server = startServer((message) =>
    // With a callback a failed write (EPIPE when the host has just closed the channel) is reported there,
    // not as an 'error' event on the process, which would end it in the middle of a step.
    send(message, undefined, undefined, (error: Error | null) => {
      if (error) server.hostGone(`a message to the host failed (${error.message})`)
    }),
  )
  process.on('message', (message) => server.handle(message))
  process.on('disconnect', () => server.hostGone('the host closed the channel'))
  return server
}

const { parentPort } = process as NodeJS.Process & { parentPort?: ParentPort }
const server = parentPort
  ? serveParentPort(parentPort)
  : process.send
    ? serveChannel(process.send.bind(process))
    : undefined
if (server) {
  // How Electron's utilityProcess.kill() asks the engine to exit (main's end()): it too stops after a step.
  process.once('SIGTERM', () => server.hostGone('the host asked the engine to stop (SIGTERM)'))
} else {
  process.stderr.write('cadenza engine: start it with utilityProcess.fork or child_process.fork\n')
  process.exitCode = 2
}
