// End-to-end tests: the built renderer in real Chromium (CHROMIUM_PATH, Debian's, or Playwright's own, as
// test/chromium.ts chooses; `npm test` provides one first), with the test bridge standing in for Electron's
// preload (test/e2e/bridge). One worker: the bridge serves one test's session at a time, and the engine is
// shared.
import { defineConfig } from 'playwright/test'
import { findChromium } from './test/chromium'
import { thisSystem } from './test/chromiumSystem'

export default defineConfig({
  testDir: 'test/e2e',
  // Not *.test.ts, which is vitest's.
  testMatch: '**/*.e2e.ts',
  globalSetup: './test/e2e/globalSetup.ts',
  outputDir: 'test-results',
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['./test/e2e/closingLineReporter.ts']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      // None found: Playwright's own default, whose error says how to install it.
      executablePath: findChromium(thisSystem) ?? undefined,
      args: [
        // Containers run as root, where Chromium's sandbox cannot start.
        '--no-sandbox',
        // The studio plays sound without a click first, as Electron lets it.
        '--autoplay-policy=no-user-gesture-required',
        // /dev/shm is small in containers; Chromium falls back to /tmp.
        '--disable-dev-shm-usage',
      ],
    },
    viewport: { width: 1280, height: 800 },
    screenshot: 'on',
    trace: 'off',
    video: 'off',
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
  },
})
