// Node (engine; a worker thread of fileReader.ts). Runs one file task on the bytes the reader sent.
import { runTask, type FileTaskName, type TaskAnswer, type TaskOptions } from './fileTasks'

export interface WorkerJob<K extends FileTaskName> {
  task: K
  bytes: Uint8Array
  options: TaskOptions<K>
}

export default function readJob<K extends FileTaskName>({
  task,
  bytes,
  options,
}: WorkerJob<K>): TaskAnswer<K> {
  return runTask(task, bytes, options)
}
