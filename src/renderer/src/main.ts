// Renderer entry and composition root: the one place where services are created and handed to the app.
import { createPinia } from 'pinia'
import * as Tone from 'tone'
import { createApp } from 'vue'
import App from './App.vue'
import { Piano } from './audio/piano'
import { MidiDeviceManager } from './midi/midiDevices'
import { audioToMidiTime } from './midi/midiTime'
import { loadMidiSettings, saveMidiSettings } from './midi/savedMidiSettings'
import { webmidiBackend } from './midi/webmidiBackend'
import { createPlayer } from './playback/createPlayer'
import { SERVICES, type Services } from './services'
import { useAppMessageStore } from './stores/appMessage'
import './theme.css'

const piano = new Piano()
const player = createPlayer()
// MIDI timestamps follow the same audio clock as the player, so MIDI out lines up with the piano.
const midi = new MidiDeviceManager(
  webmidiBackend(),
  audioToMidiTime(Tone.getContext().rawContext as AudioContext),
  loadMidiSettings(),
)

// The piece goes to the piano and every enabled MIDI output; outputs come and go with hot-plugging.
const route = () => player.setOutputs([piano.port, ...midi.ports()])
route()
midi.onChange(() => {
  route()
  saveMidiSettings(midi.savedSettings())
})
player.addTrack(midi.clockTrack)

const services: Services = { api: window.cadenza, player, piano, midi }

const pinia = createPinia()
createApp(App).provide(SERVICES, services).use(pinia).mount('#app')
// Without the samples the piano stays silent (MIDI out still plays): say so rather than fail unseen.
useAppMessageStore(pinia).reportFailure(piano.ready, 'The piano sounds could not be loaded')
