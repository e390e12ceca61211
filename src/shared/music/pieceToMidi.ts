// Runs anywhere. A Piece to Standard MIDI File bytes: one piano track, tempo, time signature and the
// optional recipe as a text event, written by @tonejs/midi at its resolution of 480 ticks per quarter.
import { Midi } from './tonejsMidi'
import { RECIPE_PREFIX } from './midiToPiece'
import type { Piece } from './piece'

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
  // A note-on while the same key still sounds would be cut short by the earlier note's note-off in most
  // players, so an earlier note of the same pitch ends where the next one starts. A zero-length note is
  // given one tick: its note-off could otherwise be sorted before its note-on.
  const nextOnsetTicks = new Map<number, number>()
  const written: { ticks: number; durationTicks: number; midi: number; velocity: number }[] = []
  for (let i = piece.notes.length - 1; i >= 0; i--) {
    const note = piece.notes[i]
    const start = ticks(note.onset)
    const nextStart = nextOnsetTicks.get(note.pitch) ?? Infinity
    const end = Math.min(ticks(note.onset + note.length), nextStart)
    written.push({
      ticks: start,
      durationTicks: Math.max(1, end - start),
      midi: note.pitch,
      velocity: note.velocity / 127,
    })
    nextOnsetTicks.set(note.pitch, start)
  }
  for (const note of written.reverse()) track.addNote(note)
  return midi.toArray()
}
