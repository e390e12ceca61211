// Builds the three Electron bundles: main (Node), preload (sandboxed, so CommonJS) and the Vue renderer.
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'
import { pianoSamples } from './scripts/pianoSamplesPlugin'

export default defineConfig({
  main: {
    // The file readers' worker threads load their module beside the engine's chunk (fileReader.ts).
    build: {
      rollupOptions: {
        input: { index: 'src/main/index.ts', readWorker: 'src/engine/data/readWorker.ts' },
        output: {
          entryFileNames: (chunk) => (chunk.name === 'readWorker' ? 'chunks/[name].js' : '[name].js'),
        },
      },
    },
  },
  preload: {
    build: { rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    plugins: [vue(), pianoSamples()],
  },
})
