// Node (engine process). The engine as a process of its own, speaking src/shared/engineProtocol.ts with
// whoever started it: Electron main through utilityProcess.fork (messages arrive on process.parentPort as
// {data} events) or a plain Node host through child_process.fork (process.on('message'), process.send).
// The TensorFlow.js backend is chosen once, at start: the one named by CADENZA_BACKEND (see backend.ts),
// else the best that loads here.
import type { EngineMessage } from '../shared/engineProtocol'
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
  return new EngineServer({ send, backend: selectBackend(forced) })
}

const { parentPort } = process as NodeJS.Process & { parentPort?: ParentPort }
if (parentPort) {
  const server = startServer((message) => parentPort.postMessage(message))
  parentPort.on('message', ({ data }) => server.handle(data))
} else if (process.send) {
  const server = startServer((message) => process.send?.(message))
  process.on('message', (message) => server.handle(message))
  // With its host gone no one can see the results; a training keeps its last complete checkpoint.
  process.on('disconnect', () => process.exit(0))
} else {
  process.stderr.write('cadenza engine: start it with utilityProcess.fork or child_process.fork\n')
  process.exitCode = 2
}
