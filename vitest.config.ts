// Node-side unit and integration tests (shared, engine, cli, main). Tests live beside the code.
import { defineConfig } from 'vitest/config'
import { pianoSamples } from './scripts/pianoSamplesPlugin'

export default defineConfig({
  // The renderer's modules that import the piano's recordings are unit-tested too.
  plugins: [pianoSamples()],
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    reporters: ['default', './test/closingLineReporter.ts'],
    // Bounds, not waits: tests and their set-up train tiny models, which a busy machine can slow a lot.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
