// Renderer entry and composition root: the one place where services are created and handed to the app.
import { createPinia } from 'pinia'
import * as Tone from 'tone'
import { createApp } from 'vue'
import App from './App.vue'
import { clickOutputPort } from './audio/clickOutputPort'
import { toneClickSound } from './audio/clickSound'
import { Piano } from './audio/piano'
import { Thru } from './live/thru'
import { MidiDeviceManager } from './midi/midiDevices'
import { MidiInputs } from './midi/midiInputs'
import { audioToMidiTime } from './midi/midiTime'
import {
  loadInputSettings,
  loadMidiSettings,
  loadThruSettings,
  saveInputSettings,
  saveMidiSettings,
  saveThruSettings,
} from './midi/savedMidiSettings'
import { webmidiBackend } from './midi/webmidiBackend'
import { createPlayer, toneEvery } from './playback/createPlayer'
import { LivePlayback } from './playback/livePlayback'
import { SERVICES, type Services } from './services'
import { useAppMessageStore } from './stores/appMessage'
import './theme.css'

const piano = new Piano()
const player = createPlayer()
const context = Tone.getContext()
const audioNow = () => context.currentTime
// MIDI timestamps follow the same audio clock as the player, so MIDI out lines up with the piano.
const toMidiTime = audioToMidiTime(context.rawContext as AudioContext)
const backend = webmidiBackend()
const midi = new MidiDeviceManager(backend, toMidiTime, loadMidiSettings())
const inputs = new MidiInputs(backend, () => performance.now(), loadInputSettings())

// The piece goes to the piano and every enabled MIDI output; outputs come and go with hot-plugging.
const route = () => player.setOutputs([piano.port, ...midi.ports()])
route()
midi.onChange((state) => {
  route()
  saveMidiSettings(midi.savedSettings())
  // Enabling MIDI (a user action, as it may ask for permission) opens the inputs too.
  if (state.status.kind === 'on') inputs.start()
})
player.addTrack(midi.clockTrack)

inputs.onChange(() => saveInputSettings(inputs.savedSettings()))
const thru = new Thru(
  { piano: piano.port, now: audioNow, sendToOutputs: (data) => midi.thru(data) },
  loadThruSettings(),
  saveThruSettings,
)
inputs.listen(thru)
// Answers go where the transport's notes go.
const live = new LivePlayback({
  now: audioNow,
  every: toneEvery,
  toMidiTime,
  ports: () => [piano.port, ...midi.ports()],
  clicks: clickOutputPort(toneClickSound()),
})

const services: Services = { api: window.cadenza, player, piano, midi, inputs, thru, live }

const pinia = createPinia()
createApp(App).provide(SERVICES, services).use(pinia).mount('#app')
// Without the samples the piano stays silent (MIDI out still plays): say so rather than fail unseen.
useAppMessageStore(pinia).reportFailure(piano.ready, 'The piano sounds could not be loaded')
