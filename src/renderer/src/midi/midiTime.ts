// Browser (pure: the clocks are passed in). Audio-clock seconds to Web MIDI timestamps (milliseconds of
// performance.now()), so MIDI out lines up with what is heard from the piano.
/** The part of an AudioContext this needs; `getOutputTimestamp` tells when a context time reaches the speakers. */
export interface AudioClock {
  readonly currentTime: number
  getOutputTimestamp?(): { contextTime?: number; performanceTime?: number }
}

export function audioToMidiTime(context: AudioClock, performanceNow: () => number = () => performance.now()) {
  return (audioTime: number): number => {
    const stamp = context.getOutputTimestamp?.()
    // A context that has not started yet reports zeros; then only the clocks' offset is known.
    if (stamp?.contextTime && stamp.performanceTime) {
      return stamp.performanceTime + (audioTime - stamp.contextTime) * 1000
    }
    return performanceNow() + (audioTime - context.currentTime) * 1000
  }
}
