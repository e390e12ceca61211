// Runs anywhere. Which file names are MIDI files, for folders searched, dialogs and drops alike: Standard
// MIDI Files, and RIFF MIDI files (.rmi), whose Standard MIDI File midiStructure.ts takes out.
/** What Cadenza writes: Standard MIDI Files. */
export const STANDARD_MIDI_EXTENSIONS = ['mid', 'midi'] as const
/** What Cadenza reads. */
export const MIDI_EXTENSIONS = [...STANDARD_MIDI_EXTENSIONS, 'rmi'] as const

const dotted = MIDI_EXTENSIONS.map((extension) => `.${extension}`)
/** ".mid, .midi or .rmi", for messages. */
export const MIDI_EXTENSION_NAMES = `${dotted.slice(0, -1).join(', ')} or ${dotted.at(-1)}`

const MIDI_FILE_NAME = new RegExp(`\\.(${MIDI_EXTENSIONS.join('|')})$`, 'i')

/** Whether a file name (or path) ends with a MIDI extension, in any letter case. */
export const isMidiFileName = (name: string): boolean => MIDI_FILE_NAME.test(name)
