// Runs anywhere. MIDI bytes to a Piece (model.md sec. 1): every track merged, channel 10 skipped, times in
// quarter notes from the file's own resolution. Parsing is @tonejs/midi's; this module only decides what
// of a file is music for Cadenza.
import { Midi } from './tonejsMidi'
import { checkMidiStructure, MidiReadError, unwrapRiffMidi } from './midiStructure'
import { compareNotes, type NoteEvent, type Piece } from './piece'

/** MIDI channel 10 (index 9) is General MIDI percussion: no pitches to learn from. */
const PERCUSSION_CHANNEL = 9

/** Text events that start with this carry the recipe a Cadenza piece was made from. */
export const RECIPE_PREFIX = 'cadenza-recipe '

function parse(bytes: Uint8Array): Midi {
  const standardMidiFile = unwrapRiffMidi(bytes)
  checkMidiStructure(standardMidiFile)
  try {
    return new Midi(standardMidiFile)
  } catch (error) {
    // midi-file throws plain strings; keep only their first line.
    const detail = String(error instanceof Error ? error.message : error).split('\n')[0]
    throw new MidiReadError(`unreadable MIDI data (${detail})`)
  }
}

/**
 * Reads a Standard MIDI File (format 0, 1 or 2), bare or in a RIFF MIDI file, into a Piece. A file with no
 * notes gives a piece with no notes; callers that need music say so. Throws MidiReadError with a one-line
 * reason otherwise.
 *
 * @tonejs/midi pairs each note-on with the first later note-off of the same pitch on the same track, so
 * overlapping same-pitch notes each keep their own onset, a note-on and note-off on the same tick give a
 * zero-length note, and a note-on that is never released is dropped (as other MIDI libraries do).
 */
export function midiToPiece(bytes: Uint8Array): Piece {
  const midi = parse(bytes)
  const ppq = midi.header.ppq
  const notes: NoteEvent[] = []
  // @tonejs/midi splits tracks so that each holds one channel, so a track's channel is its notes' channel.
  for (const track of midi.tracks) {
    if (track.channel === PERCUSSION_CHANNEL) continue
    for (const note of track.notes) {
      notes.push({
        onset: note.ticks / ppq,
        length: note.durationTicks / ppq,
        pitch: note.midi,
        velocity: Math.round(note.velocity * 127),
      })
    }
  }
  notes.sort(compareNotes)

  const recipeEvent = midi.header.meta.find(
    (event) => event.type === 'text' && event.text.startsWith(RECIPE_PREFIX),
  )
  return {
    notes,
    tempos: midi.header.tempos.map((tempo) => ({ time: tempo.ticks / ppq, bpm: tempo.bpm })),
    timeSignatures: midi.header.timeSignatures.map((signature) => ({
      time: signature.ticks / ppq,
      numerator: signature.timeSignature[0],
      denominator: signature.timeSignature[1],
    })),
    ...(recipeEvent && { recipe: recipeEvent.text.slice(RECIPE_PREFIX.length) }),
  }
}
