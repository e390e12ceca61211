// Browser (pure: the clocks are passed in). Audio-clock seconds to Web MIDI timestamps (milliseconds of
// performance.now()), so MIDI out lines up with what is heard from the piano.
/** The part of an AudioContext this needs; `getOutputTimestamp` tells when a context time reaches the speakers. */
export interface AudioClock {
  readonly currentTime: number
  getOutputTimestamp?(): { contextTime?: number; performanceTime?: number }
}

/** Milliseconds the clocks' measured offset must move by before the mapping follows it. */
export const RESYNC_MS = 20

export function audioToMidiTime(context: AudioClock, performanceNow: () => number = () => performance.now()) {
  // Both clocks are read in steps of an audio buffer, so each reading of their offset jitters by some
  // milliseconds (and a context that has just started reports no output timestamp yet). Following every
  // reading would swap notes a few milliseconds apart on the synth: one offset is kept, and moved only when
  // the clocks have truly moved apart (a jump, or slow drift adding up).
  let offset: number | null = null
  return (audioTime: number): number => {
    const stamp = context.getOutputTimestamp?.()
    // A context that has not started yet reports zeros; then only the clocks' offset is known.
    const measured =
      stamp?.contextTime && stamp.performanceTime
        ? stamp.performanceTime - stamp.contextTime * 1000
        : performanceNow() - context.currentTime * 1000
    if (offset === null || Math.abs(measured - offset) > RESYNC_MS) offset = measured
    return offset + audioTime * 1000
  }
}
