// Browser. Where the player's notes go: the sampled piano and MIDI outputs are adapters of this one
// interface, and a group routes a piece to several of them at once. Times are seconds on the audio clock.
export interface OutputPort {
  noteOn(pitch: number, velocity: number, time: number): void
  noteOff(pitch: number, time: number): void
  /** Silences every note this port has started or will start, from `time` on (stop, loop jump, panic). */
  allNotesOff(time: number): void
}

export function groupOutput(ports: readonly OutputPort[]): OutputPort {
  return {
    noteOn: (pitch, velocity, time) => ports.forEach((port) => port.noteOn(pitch, velocity, time)),
    noteOff: (pitch, time) => ports.forEach((port) => port.noteOff(pitch, time)),
    allNotesOff: (time) => ports.forEach((port) => port.allNotesOff(time)),
  }
}
