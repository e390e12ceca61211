// Browser code's tests. MIDI inputs without hardware: a keyboard the test plays into with timestamps, and a
// backend whose inputs the test plugs in and out.
import type { MidiBackend } from '../midi/midiDevices'
import type { MidiInputDevice } from '../midi/midiInputs'

export function fakeInput(id: string, name = id) {
  const listeners = new Set<(data: readonly number[], timestamp: number) => void>()
  const device: MidiInputDevice & { play(data: number[], timestamp: number): void; listening(): number } = {
    id,
    name,
    listen(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    play: (data, timestamp) => listeners.forEach((listener) => listener(data, timestamp)),
    listening: () => listeners.size,
  }
  return device
}

export function fakeInputBackend(initial: MidiInputDevice[]) {
  let inputs = [...initial]
  const listeners = new Set<() => void>()
  const changed = () => listeners.forEach((listener) => listener())
  const backend: MidiBackend & {
    unplug(device: MidiInputDevice): void
    plug(device: MidiInputDevice): void
  } = {
    enable: async () => {},
    outputs: () => [],
    inputs: () => inputs,
    onPortsChanged(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    plug(device) {
      inputs = [...inputs, device]
      changed()
    },
    unplug(device) {
      inputs = inputs.filter((input) => input !== device)
      changed()
    },
  }
  return backend
}
