// Runs anywhere. @tonejs/midi ships CommonJS only, and Node's ESM loader cannot see its named exports,
// so they are taken from the default export here, once, for every module that reads or writes MIDI.
import tonejsMidi from '@tonejs/midi'

export const { Midi } = tonejsMidi
export type Midi = InstanceType<typeof Midi>
