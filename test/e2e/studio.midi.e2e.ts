// MIDI out through the studio's panel, on the page's recording Web MIDI API: enabling lists the outputs, the
// chosen one gets the take's notes on its channel, Stop leaves no note hanging and sends nothing after, an
// output unplugged mid-play leaves the routing without an error, and the settings survive a reload.
import type { Page } from 'playwright/test'
import { expect, test, type Midi } from './fixtures'
import type { MidiRecord } from './page/recordingMidi'
import { expectDefaultModel, generate } from './studio'

const NOTE_ON = 0x90
const NOTE_OFF = 0x80
const CONTROL_CHANGE = 0xb0
const CHANNEL = 3

const output = (page: Page, id: string) => page.locator(`[data-testid="midi-output"][data-output-id="${id}"]`)
const kind = ({ data }: MidiRecord) => data[0] & 0xf0
const noteOns = (records: MidiRecord[]) => records.filter((record) => kind(record) === NOTE_ON)
const sentTo = async (midi: Midi, id: string) =>
  (await midi.records()).filter((record) => record.output === id)

/** Enables MIDI and sends the player's notes to Test Synth A on CHANNEL. */
async function routeToSynthA(page: Page): Promise<void> {
  await page.getByTestId('midi-enable').click()
  await expect(page.getByTestId('midi-output')).toHaveText([/Test Synth A/, /Test Synth B/])
  await output(page, 'test-synth-a').getByTestId('midi-output-enabled').check()
  await output(page, 'test-synth-a').getByTestId('midi-output-channel').selectOption(String(CHANNEL))
}

test('the chosen output plays the take on its channel, and Stop ends every note it started', async ({
  page,
  midi,
  saveScreenshot,
}) => {
  await expectDefaultModel(page)
  await expect(page.getByTestId('midi-panic')).toBeVisible()
  await routeToSynthA(page)
  // A fixed seed: a take of a random one can be all chords, two onsets in all (seed 1409109634 was).
  await page.getByTestId('seed').fill('4242')
  await generate(page)
  await saveScreenshot('midi-out')
  await page.getByTestId('transport-play').click()
  // Notes of more than one onset (a take can start with a chord of several).
  const onsetsSent = async () =>
    new Set(noteOns(await sentTo(midi, 'test-synth-a')).map(({ timestamp }) => timestamp)).size
  await expect.poll(onsetsSent).toBeGreaterThan(2)
  await page.getByTestId('transport-stop').click()
  await expect(page.getByTestId('transport-play')).toHaveText('Play')
  const atStop = await midi.records()
  // Nothing more is sent once stopped, however long the look-ahead was.
  await page.waitForTimeout(500)
  expect(await midi.records()).toEqual(atStop)

  // Test Synth B was left off; A got notes and the all-notes-off on its channel only.
  expect(atStop.filter((record) => record.output === 'test-synth-b')).toEqual([])
  const sent = atStop.filter((record) => record.output === 'test-synth-a')
  const status = (type: number) => type | (CHANNEL - 1)
  expect(new Set(sent.map(({ data }) => data[0]))).toEqual(
    new Set([status(NOTE_ON), status(NOTE_OFF), status(CONTROL_CHANGE)]),
  )
  const onTimes = noteOns(sent).map(({ timestamp }) => timestamp!)
  expect(onTimes).toEqual([...onTimes].sort((a, b) => a - b))
  expect(onTimes.at(-1)!).toBeGreaterThan(onTimes[0])

  // In time order, each pitch's last message is a note-off, or an all-notes-off comes at or after it.
  const inTime = [...sent].sort((a, b) => a.timestamp! - b.timestamp!)
  const allOff = inTime.filter((record) => kind(record) === CONTROL_CHANGE && record.data[1] === 123)
  expect(allOff.length).toBeGreaterThan(0)
  const lastByPitch = new Map<number, MidiRecord>()
  for (const record of inTime) if (kind(record) !== CONTROL_CHANGE) lastByPitch.set(record.data[1], record)
  for (const last of lastByPitch.values()) {
    const ended = kind(last) === NOTE_OFF || allOff.some(({ timestamp }) => timestamp! >= last.timestamp!)
    expect(ended, `pitch ${last.data[1]} left sounding`).toBe(true)
  }
})

test('an output unplugged while playing leaves the routing without an error; playing goes on', async ({
  page,
  midi,
}) => {
  await expectDefaultModel(page)
  await routeToSynthA(page)
  await generate(page)
  await page.getByTestId('transport-play').click()
  await expect.poll(async () => noteOns(await sentTo(midi, 'test-synth-a')).length).toBeGreaterThan(2)

  await midi.disconnect('test-synth-a')
  await expect(page.getByTestId('midi-output')).toHaveText([/Test Synth B/])
  const atUnplug = (await sentTo(midi, 'test-synth-a')).length
  const position = () => page.getByTestId('transport-time').getAttribute('data-quarters').then(Number)
  const then = await position()
  await expect.poll(position).toBeGreaterThan(then + 0.5)
  expect(await sentTo(midi, 'test-synth-a')).toHaveLength(atUnplug)
  await expect(page.getByTestId('transport-play')).toHaveText('Pause')
  // The fixture fails the test on any console or page error, e.g. a send to the vanished port.
})

test("a hot-plugged output appears, Panic silences every channel, and the outputs' settings survive a reload", async ({
  page,
  midi,
}) => {
  await routeToSynthA(page)
  await output(page, 'test-synth-b').getByTestId('midi-output-clock').check()
  await midi.connect({ id: 'test-synth-c', name: 'Test Synth C' })
  await expect(page.getByTestId('midi-output')).toHaveText([/Test Synth A/, /Test Synth B/, /Test Synth C/])

  await page.getByTestId('midi-panic').click()
  const panicked = await sentTo(midi, 'test-synth-c')
  expect(panicked.map(({ data }) => data)).toEqual(
    Array.from({ length: 16 }, (_, channel) => [CONTROL_CHANGE | channel, 123, 0]),
  )

  await page.reload()
  await page.getByTestId('midi-enable').click()
  await expect(output(page, 'test-synth-a').getByTestId('midi-output-enabled')).toBeChecked()
  await expect(output(page, 'test-synth-a').getByTestId('midi-output-channel')).toHaveValue(String(CHANNEL))
  await expect(output(page, 'test-synth-b').getByTestId('midi-output-clock')).toBeChecked()
  await expect(output(page, 'test-synth-b').getByTestId('midi-output-enabled')).not.toBeChecked()
})
