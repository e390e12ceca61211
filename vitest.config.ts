// Node-side unit and integration tests (shared, engine, cli, main). Tests live beside the code.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    reporters: ['default', './test/closingLineReporter.ts'],
    testTimeout: 60_000,
  },
})
