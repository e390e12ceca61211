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
    testTimeout: 60_000,
    // Several files train a model in beforeAll, which is a test's work and as slow on a busy machine.
    hookTimeout: 60_000,
  },
})
