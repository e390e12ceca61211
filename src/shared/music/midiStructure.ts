// Runs anywhere. Checks a Standard MIDI File's chunk layout before it is parsed, so that empty, cut-off
// and non-MIDI files get a reason a person understands instead of a parser's garbage or exception, and
// takes the Standard MIDI File out of a RIFF MIDI file (RMID). This walks chunk headers only; the events
// themselves are parsed by @tonejs/midi.

/** A file that cannot be read as MIDI; `message` is one line a person understands. */
export class MidiReadError extends Error {
  override name = 'MidiReadError'
}

const HEADER_CHUNK_BYTES = 14

function chunkId(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4))
}

function uint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) >>> 0) + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3]
}

function uint16(bytes: Uint8Array, at: number): number {
  return (bytes[at] << 8) + bytes[at + 1]
}

/** RIFF's sizes are little-endian, where MIDI's are big-endian. */
function uint32LittleEndian(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0
}

const RIFF_HEADER_BYTES = 12

/**
 * The Standard MIDI File inside a RIFF MIDI file (`.rmi`, and `.mid` files some Windows tools save so):
 * "RIFF", its size, "RMID", then chunks, of which `data` holds the file. Other bytes are returned as
 * they are. Throws MidiReadError for a RIFF file that is not MIDI or holds none.
 */
export function unwrapRiffMidi(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 4 || chunkId(bytes, 0) !== 'RIFF') return bytes
  if (bytes.length < RIFF_HEADER_BYTES) throw new MidiReadError('truncated: the RIFF header is incomplete')
  const form = chunkId(bytes, 8)
  if (form !== 'RMID') throw new MidiReadError(`not a MIDI file (a RIFF file of type "${form}", not "RMID")`)
  // Chunks to the end of the bytes: some writers get the RIFF size wrong, and the data chunk says its own.
  for (let at = RIFF_HEADER_BYTES; at + 8 <= bytes.length;) {
    const length = uint32LittleEndian(bytes, at + 4)
    const start = at + 8
    if (chunkId(bytes, at) === 'data') {
      const remaining = bytes.length - start
      if (length > remaining) {
        throw new MidiReadError(
          `truncated: the RIFF data chunk declares ${length} bytes but only ${remaining} remain`,
        )
      }
      return bytes.subarray(start, start + length)
    }
    at = start + length + (length % 2) // chunks start on even offsets
  }
  throw new MidiReadError('a RIFF MIDI file (RMID) without a data chunk')
}

/** Throws MidiReadError when the bytes are not a complete Standard MIDI File that we can time. */
export function checkMidiStructure(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new MidiReadError('the file is empty')
  if (bytes.length < 4 || chunkId(bytes, 0) !== 'MThd') {
    throw new MidiReadError('not a MIDI file (it does not start with an MThd header)')
  }
  if (bytes.length < HEADER_CHUNK_BYTES) throw new MidiReadError('truncated: the MIDI header is incomplete')

  const headerLength = uint32(bytes, 4)
  const format = uint16(bytes, 8)
  const trackCount = uint16(bytes, 10)
  const division = uint16(bytes, 12)
  if (headerLength < 6) throw new MidiReadError(`damaged MIDI header (length ${headerLength}, expected 6)`)
  if (format > 2) throw new MidiReadError(`unknown MIDI format ${format} (only 0, 1 and 2 exist)`)
  if (division & 0x8000)
    throw new MidiReadError('SMPTE time division is not supported (only ticks per quarter)')
  if (division === 0) throw new MidiReadError('damaged MIDI header (0 ticks per quarter note)')
  if (trackCount === 0) throw new MidiReadError('the MIDI header declares no tracks')

  let at = 8 + headerLength
  for (let track = 1; track <= trackCount; track++) {
    if (at + 8 > bytes.length) {
      throw new MidiReadError(
        `truncated: the header declares ${trackCount} tracks but the file ends after ${track - 1}`,
      )
    }
    const id = chunkId(bytes, at)
    if (id !== 'MTrk') throw new MidiReadError(`damaged: found "${id}" where track ${track} should start`)
    const length = uint32(bytes, at + 4)
    const remaining = bytes.length - at - 8
    if (length > remaining) {
      throw new MidiReadError(
        `truncated: track ${track} of ${trackCount} declares ${length} bytes but only ${remaining} remain`,
      )
    }
    at += 8 + length
  }
}
