// Runs anywhere. A Piece to Standard MIDI File bytes: one piano track, tempo, time signature and the
// optional recipe as a text event, written by @tonejs/midi at its resolution of 480 ticks per quarter.
import { Midi } from './tonejsMidi'
import { RECIPE_PREFIX } from './midiToPiece'
import { endedAtRestrike, type Piece } from './piece'

/** Ticks per quarter note of exported files (the @tonejs/midi default); times are rounded to it. */
export const EXPORT_PPQ = 480

const ACOUSTIC_GRAND_PIANO = 0

export function pieceToMidi(piece: Piece, trackName = 'Cadenza'): Uint8Array {
  const midi = new Midi()
  const ticks = (quarters: number): number => Math.max(0, Math.round(quarters * EXPORT_PPQ))

  for (const tempo of piece.tempos) midi.header.tempos.push({ ticks: ticks(tempo.time), bpm: tempo.bpm })
  for (const signature of piece.timeSignatures) {
    midi.header.timeSignatures.push({
      ticks: ticks(signature.time),
      timeSignature: [signature.numerator, signature.denominator],
    })
  }
  if (piece.recipe !== undefined) {
    midi.header.meta.push({ type: 'text', ticks: 0, text: RECIPE_PREFIX + piece.recipe })
  }
  midi.header.update()

  const track = midi.addTrack()
  track.name = trackName
  track.instrument.number = ACOUSTIC_GRAND_PIANO
  // A zero-length note is given one tick: its note-off could otherwise be sorted before its note-on.
  for (const note of endedAtRestrike(piece.notes)) {
    const start = ticks(note.onset)
    track.addNote({
      ticks: start,
      durationTicks: Math.max(1, ticks(note.onset + note.length) - start),
      midi: note.pitch,
      velocity: note.velocity / 127,
    })
  }
  return midi.toArray()
}
