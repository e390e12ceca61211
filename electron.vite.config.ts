// Builds the three Electron bundles: main (Node), preload (sandboxed, so CommonJS) and the Vue renderer.
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'
import { pianoSamples } from './scripts/pianoSamplesPlugin'

export default defineConfig({
  main: {},
  preload: {
    build: { rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    plugins: [vue(), pianoSamples()],
  },
})
