// The studio's first end-to-end checks: the built renderer loads in Chromium under the app's CSP, and
// window.cadenza reaches the real handler table and the real engine through the test bridge; the recording
// Web MIDI API records what the page sends.
import { once } from 'node:events'
import { WebSocket } from 'ws'
import { DEFAULT_CHECKPOINT_ID } from '../../src/shared/checkpointEntry'
import { BRIDGE_PATH, type InvokeMessage } from './bridge/wire'
import { expect, test } from './fixtures'

test('the built renderer loads under the CSP, without errors, and shows the version', async ({
  page,
  bridge,
  problems,
  saveScreenshot,
}) => {
  await expect(page.getByText(`Version ${bridge.appVersion}`)).toBeVisible()
  await saveScreenshot('loaded')
  expect(problems).toEqual([])
})

test('window.cadenza answers from main and the engine: app info and the checkpoint library', async ({
  page,
  bridge,
}) => {
  expect(await page.evaluate(() => window.cadenza.appInfo())).toEqual({
    version: bridge.appVersion,
    backend: expect.objectContaining({ name: 'wasm' }),
  })
  const checkpoints = await page.evaluate(() => window.cadenza.listCheckpoints())
  expect(checkpoints.map(({ id, status }) => ({ id, status }))).toEqual([
    { id: DEFAULT_CHECKPOINT_ID, status: 'ready' },
  ])
})

test('generation from the default model is seeded: the same seed gives the same notes', async ({ page }) => {
  const generate = () =>
    page.evaluate(
      (id) => window.cadenza.generate(id, { seed: 3, temperature: 1, length: 64, count: 1 }),
      DEFAULT_CHECKPOINT_ID,
    )
  const [piece] = await generate()
  expect(piece.notes.length).toBeGreaterThan(0)
  const [again] = await generate()
  expect(again.notes).toEqual(piece.notes)
})

test("main's validation runs, and its errors reach the page worded as Electron words them", async ({
  page,
}) => {
  const message = await page.evaluate(() =>
    window.cadenza.generate('default', { seed: 3, temperature: 5, length: 64, count: 1 }).then(
      () => 'resolved',
      (error: Error) => error.message,
    ),
  )
  expect(message).toBe(
    "Error invoking remote method 'cadenza:generate': Error: cadenza:generate: invalid argument 2.temperature: Too big: expected number to be <=2",
  )
})

test("main's sender check runs: a call from another origin is refused and logged", async ({
  bridge,
  session,
}) => {
  const address = new URL(BRIDGE_PATH, bridge.url)
  address.protocol = 'ws:'
  const socket = new WebSocket(address, { origin: 'http://elsewhere.example' })
  await once(socket, 'open')
  const call: InvokeMessage = { id: 1, channel: 'cadenza:appInfo', args: [] }
  socket.send(JSON.stringify(call))
  const [reply] = await once(socket, 'message')
  socket.close()
  expect(JSON.parse(String(reply))).toEqual({
    type: 'error',
    id: 1,
    message: 'cadenza:appInfo: refused: not called by the studio window',
  })
  expect(session.logged).toEqual(['cadenza:appInfo: refused a call from http://elsewhere.example'])
})

test('dialogs answer as the test scripts them, and are recorded', async ({ page, session }) => {
  session.answerDialogs(session.userData, undefined)
  expect(await page.evaluate(() => window.cadenza.pickMidiFolder())).toBe(session.userData)
  expect(await page.evaluate(() => window.cadenza.importCheckpoint())).toBeNull()
  expect(session.dialogsAsked.map(({ title }) => title)).toEqual([
    'Choose a folder of MIDI files',
    'Import checkpoint',
  ])
})

test('the recording Web MIDI API records the bytes and timestamps sent, and plugs outputs in and out', async ({
  page,
  midi,
}) => {
  const midiAccess = await page.evaluateHandle(async () => {
    const access = await navigator.requestMIDIAccess()
    const changes: string[] = []
    access.onstatechange = (event) => {
      const { port } = event as MIDIConnectionEvent
      changes.push(`${port?.id} ${port?.state}`)
    }
    return { access, changes, synth: access.outputs.get('test-synth-b')! }
  })
  const outputs = () =>
    midiAccess.evaluate(({ access }) => [...access.outputs.values()].map(({ id, name }) => ({ id, name })))
  expect(await outputs()).toEqual([
    { id: 'test-synth-a', name: 'Test Synth A' },
    { id: 'test-synth-b', name: 'Test Synth B' },
  ])

  await midiAccess.evaluate(({ access, synth }) => {
    synth.send([0x91, 60, 100], 1500.5)
    synth.send(new Uint8Array([0x81, 60, 0]), 2000)
    access.outputs.get('test-synth-a')!.send([0xb0, 123, 0])
  })
  expect(await midi.records()).toEqual([
    { output: 'test-synth-b', data: [0x91, 60, 100], timestamp: 1500.5 },
    { output: 'test-synth-b', data: [0x81, 60, 0], timestamp: 2000 },
    { output: 'test-synth-a', data: [0xb0, 123, 0], timestamp: undefined },
  ])

  await midi.disconnect('test-synth-b')
  await midi.connect({ id: 'test-synth-c', name: 'Hot-plugged' })
  expect(await outputs()).toEqual([
    { id: 'test-synth-a', name: 'Test Synth A' },
    { id: 'test-synth-c', name: 'Hot-plugged' },
  ])
  expect(await midiAccess.evaluate(({ changes }) => changes)).toEqual([
    // Sending opened the two ports; then B was unplugged and C plugged in.
    'test-synth-b connected',
    'test-synth-a connected',
    'test-synth-b disconnected',
    'test-synth-c connected',
  ])
  const refused = await midiAccess.evaluate(({ synth }) => {
    try {
      synth.send([0x91, 62, 100])
      return 'sent'
    } catch (error) {
      return (error as DOMException).name
    }
  })
  expect(refused).toBe('InvalidStateError')
})
