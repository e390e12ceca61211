// Node, tests only. The result inside an engine's reply, typed by the request it answers; any other reply
// fails the test with the whole message, so that an engine error shows its name and message.
import type { EngineMessage, JobResult, ResultOf } from '../src/shared/engineProtocol'

export function resultOf<T extends JobResult['type']>(reply: EngineMessage, type: T): ResultOf<T> {
  if (reply.type !== 'result' || reply.result.type !== type) {
    throw new Error(`expected a ${type} result, got ${JSON.stringify(reply)}`)
  }
  return reply.result as ResultOf<T>
}
