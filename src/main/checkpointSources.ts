// Electron main (and Node tests). Where the checkpoint library's files come from for the shared checks of
// src/shared/checkpointFiles.ts: a folder on disk, or an archive's files in memory.
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { CheckpointSource } from '../shared/checkpointFiles'

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

async function absentAsUndefined<T>(pending: Promise<T>): Promise<T | undefined> {
  try {
    return await pending
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined
    throw error
  }
}

/** Reads the JSON files and only stats the weights, so listing a library stays cheap. */
export function folderSource(folder: string): CheckpointSource {
  return {
    read: (name) => absentAsUndefined(readFile(join(folder, name))),
    size: async (name) => {
      const info = await absentAsUndefined(stat(join(folder, name)))
      return info?.isFile() ? info.size : undefined
    },
  }
}

export function memorySource(files: ReadonlyMap<string, Uint8Array>): CheckpointSource {
  return {
    read: async (name) => files.get(name),
    size: async (name) => files.get(name)?.byteLength,
  }
}
