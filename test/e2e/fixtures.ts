// Node, tests only. The end-to-end suite's fixtures: the test bridge (one per worker: the served renderer
// and the real engine), a fresh main-side session per test, and the page with the bridge's window.cadenza
// and the recording Web MIDI API installed before the app loads. Every test fails on a console error, a
// page error or a CSP violation (Chromium reports those on the console).
/* eslint-disable no-empty-pattern -- Playwright reads a fixture's dependencies from its first parameter's
   destructuring, so one that needs none must destructure nothing. */
import { test as base, expect, type Page } from 'playwright/test'
import { startBridge, type Bridge } from './bridge/bridgeServer'
import type { BridgeSession } from './bridge/bridgeSession'
import { pageScripts } from './bridge/pageScripts'
import type { FakeOutputInfo, MidiRecord } from './page/recordingMidi'

/** The page's stand-in for Electron's webUtils, from the test's side: the paths of dropped Files. */
export interface Drops {
  /** Scripts the paths of the next dropped Files, in order. */
  answer(...paths: string[]): Promise<void>
  /** The names of the dropped Files whose path was asked, in order. */
  asked(): Promise<string[]>
}

/** The page's fake MIDI system, from the test's side. */
export interface Midi {
  records(): Promise<MidiRecord[]>
  connect(info: FakeOutputInfo): Promise<void>
  disconnect(id: string): Promise<void>
  disconnectInput(id: string): Promise<void>
  /** Plays messages into an input, each with its timestamp in milliseconds of the page's performance.now(). */
  play(id: string, messages: [data: number[], timestamp: number][]): Promise<void>
  /** The page's performance.now(). */
  now(): Promise<number>
}

/**
 * How long a test may go without progress of its training, once it trains: while the work goes on the test
 * has time, so its limit detects a stall rather than guessing how fast this machine trains.
 */
const STALL_MS = 60_000

interface TestFixtures {
  /** The outputs plugged in when the page loads. */
  midiOutputs: FakeOutputInfo[]
  /** The inputs (keyboards) plugged in when the page loads. */
  midiInputs: FakeOutputInfo[]
  /** This test's main side: scripted dialogs and what was recorded. */
  session: BridgeSession
  /** Console errors, page errors and CSP violations, as they happen. */
  problems: string[]
  /** The studio, loaded. */
  page: Page
  midi: Midi
  drops: Drops
  /** Saves a screenshot of the page as an artifact of the test (test-results/, and the report). */
  saveScreenshot: (name: string) => Promise<void>
}

interface WorkerFixtures {
  bridge: Bridge
  scripts: Awaited<ReturnType<typeof pageScripts>>
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  bridge: [
    async ({}, use) => {
      const bridge = await startBridge()
      await use(bridge)
      await bridge.close()
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  scripts: [async ({}, use) => use(await pageScripts()), { scope: 'worker' }],
  midiOutputs: [
    [
      { id: 'test-synth-a', name: 'Test Synth A' },
      { id: 'test-synth-b', name: 'Test Synth B', manufacturer: 'Elsewhere' },
    ],
    { option: true },
  ],
  midiInputs: [[{ id: 'test-keys', name: 'Test Keys' }], { option: true }],
  session: async ({ bridge }, use, testInfo) => {
    const start = Date.now()
    const extend = () => testInfo.setTimeout(Math.max(testInfo.timeout, Date.now() - start + STALL_MS))
    await use(await bridge.openSession(extend))
    await bridge.closeSession()
  },
  problems: async ({}, use) => {
    const problems: string[] = []
    await use(problems)
    expect(problems, 'console errors, page errors or CSP violations').toEqual([])
  },
  page: async ({ page, bridge, session, scripts, midiOutputs, midiInputs, problems }, use) => {
    void session // opened before the page, so that the page's socket joins it
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`)
    })
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    await page.addInitScript(scripts.recordingMidi)
    await page.addInitScript(
      ({ outputs, inputs }) => {
        for (const output of outputs) window.cadenzaTestMidi.connect(output)
        for (const input of inputs) window.cadenzaTestMidi.connectInput(input)
      },
      { outputs: midiOutputs, inputs: midiInputs },
    )
    await page.addInitScript(scripts.cadenzaBridge)
    await page.goto(bridge.url)
    await use(page)
  },
  midi: async ({ page }, use) =>
    use({
      records: () => page.evaluate(() => window.cadenzaTestMidi.records()),
      connect: (info) => page.evaluate((info) => window.cadenzaTestMidi.connect(info), info),
      disconnect: (id) => page.evaluate((id) => window.cadenzaTestMidi.disconnect(id), id),
      disconnectInput: (id) => page.evaluate((id) => window.cadenzaTestMidi.disconnectInput(id), id),
      play: (id, messages) =>
        page.evaluate(([id, messages]) => window.cadenzaTestMidi.play(id, messages), [id, messages] as const),
      now: () => page.evaluate(() => performance.now()),
    }),
  drops: async ({ page }, use) =>
    use({
      answer: (...paths) => page.evaluate((paths) => window.cadenzaTestDrops.answer(...paths), paths),
      asked: () => page.evaluate(() => window.cadenzaTestDrops.asked()),
    }),
  saveScreenshot: async ({ page }, use, testInfo) =>
    use(async (name) => {
      const path = testInfo.outputPath(`${name}.png`)
      await page.screenshot({ path, fullPage: true })
      await testInfo.attach(name, { path, contentType: 'image/png' })
    }),
})

export { expect }
