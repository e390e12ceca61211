// Browser (WEBMIDI.js). The MIDI manager's backend on WEBMIDI.js: `WebMidi.enable()` asks for Web MIDI access
// (navigator.requestMIDIAccess, so tests can install a recording one), `WebMidi.outputs` and
// `WebMidi.inputs` list the ports, and its connected/disconnected events report hot-plugging.
import { WebMidi, type Input, type Output } from 'webmidi'
import type { MidiBackend, MidiOutputDevice } from './midiDevices'
import type { MidiInputDevice } from './midiInputs'

/** Whether the Web MIDI port behind a WEBMIDI.js Output (kept private there) has clear(). */
const canClear = (output: Output) =>
  typeof (output as unknown as { _midiOutput: { clear?: unknown } })._midiOutput.clear === 'function'

export function webmidiBackend(): MidiBackend {
  // One adapter per WEBMIDI.js Output, so the manager can tell a known output from a new one.
  const adapters = new WeakMap<Output, MidiOutputDevice>()
  const adapt = (output: Output): MidiOutputDevice => {
    let device = adapters.get(output)
    if (!device) {
      device = {
        id: output.id,
        name: output.name,
        send: (data, timestamp) => void output.send(data, { time: timestamp }),
        // Chromium's (so Electron's) MIDIOutput has no clear(), where WEBMIDI.js's clear() only warns: a
        // port that believed its queued note-ons cleared would leave them sounding after a stop.
        ...(canClear(output) && { clear: () => void output.clear() }),
      }
      adapters.set(output, device)
    }
    return device
  }
  const inputAdapters = new WeakMap<Input, MidiInputDevice>()
  const adaptInput = (input: Input): MidiInputDevice => {
    let device = inputAdapters.get(input)
    if (!device) {
      device = {
        id: input.id,
        name: input.name,
        listen(listener) {
          // The event's timestamp is the Web MIDI message's own (when the driver received it).
          const forward = (event: { message: { data: number[] }; timestamp: number }) =>
            listener(event.message.data, event.timestamp)
          input.addListener('midimessage', forward)
          return () => input.removeListener('midimessage', forward)
        },
      }
      inputAdapters.set(input, device)
    }
    return device
  }
  return {
    async enable() {
      if (!WebMidi.enabled) await WebMidi.enable()
    },
    outputs: () => WebMidi.outputs.filter((output) => output.state === 'connected').map(adapt),
    inputs: () => WebMidi.inputs.filter((input) => input.state === 'connected').map(adaptInput),
    onPortsChanged(listener) {
      WebMidi.addListener('connected', listener)
      WebMidi.addListener('disconnected', listener)
      return () => {
        WebMidi.removeListener('connected', listener)
        WebMidi.removeListener('disconnected', listener)
      }
    },
    disable: () => void WebMidi.disable(),
  }
}
