// Node, tests only. RIFF MIDI files (RMID) as Windows tools write them, made from Standard MIDI Files: a
// RIFF header, optional chunks, the `data` chunk holding the file, and an INFO list after it.

/** One RIFF chunk: its id, its little-endian size, its bytes, and a pad byte after an odd size. */
export function riffChunk(id: string, data: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(8 + data.length + (data.length % 2))
  chunk.set(new TextEncoder().encode(id), 0)
  new DataView(chunk.buffer).setUint32(4, data.length, true)
  chunk.set(data, 8)
  return chunk
}

/** A RIFF file of `form` with these chunks; RIFF's size counts the form type and the chunks. */
export function riffFile(form: string, chunks: Uint8Array[]): Uint8Array {
  const body = concat([new TextEncoder().encode(form), ...chunks])
  return riffChunk('RIFF', body)
}

/** `smf` as a RIFF MIDI file: the chunks `before` first, then its data chunk and an INFO list. */
export function riffMidi(smf: Uint8Array, before: Uint8Array[] = []): Uint8Array {
  const info = riffChunk('LIST', concat([new TextEncoder().encode('INFO'), riffChunk('INAM', text('A'))]))
  return riffFile('RMID', [...before, riffChunk('data', smf), info])
}

const text = (value: string) => new TextEncoder().encode(`${value}\0`)

function concat(parts: Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) {
    whole.set(part, at)
    at += part.length
  }
  return whole
}
