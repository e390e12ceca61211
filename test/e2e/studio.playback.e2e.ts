// Playing a take through the transport: the audio clock runs and the playhead moves on the roll, pause holds
// the position, stop goes back to the start, the space bar plays and stops; Export WAV writes the take as
// audible WAV.
import { join } from 'node:path'
import type { Page } from 'playwright/test'
import { expect, test } from './fixtures'
import { expectDefaultModel, generate, outputDir, playheadPixels, saveThrough } from './studio'

const position = async (page: Page) =>
  Number(await page.getByTestId('transport-time').getAttribute('data-quarters'))

test('Play runs the audio clock and moves the playhead; pause holds it, stop goes back to the start', async ({
  page,
  saveScreenshot,
}) => {
  await expectDefaultModel(page)
  await generate(page)
  expect(await playheadPixels(page)).toBe(0)

  await page.getByTestId('transport-play').click()
  await expect(page.getByTestId('transport-play')).toHaveText('Pause')
  await expect.poll(() => position(page)).toBeGreaterThan(0.5)
  const early = await position(page)
  await expect.poll(() => position(page)).toBeGreaterThan(early)
  // The playhead is drawn on the roll, from the same clock.
  await expect.poll(() => playheadPixels(page)).toBeGreaterThan(0)
  await saveScreenshot('playing')

  await page.getByTestId('transport-play').click()
  await expect(page.getByTestId('transport-play')).toHaveText('Play')
  const paused = await position(page)
  expect(paused).toBeGreaterThan(early)
  await page.waitForTimeout(300)
  expect(await position(page)).toBe(paused)

  await page.getByTestId('transport-stop').click()
  await expect.poll(() => position(page)).toBe(0)
})

test('the space bar plays and stops, but not while typing in a field, and never clicks the focused button', async ({
  page,
}) => {
  await expectDefaultModel(page)
  // The Generate button keeps the focus after the click.
  await generate(page)
  await page.keyboard.press(' ')
  await expect(page.getByTestId('transport-play')).toHaveText('Pause')
  await page.keyboard.press(' ')
  await expect(page.getByTestId('transport-play')).toHaveText('Play')
  await expect.poll(() => position(page)).toBe(0)
  await expect(page.getByTestId('take')).toHaveCount(1)

  await page.getByTestId('seed').focus()
  await page.keyboard.press(' ')
  await page.waitForTimeout(300)
  await expect(page.getByTestId('transport-play')).toHaveText('Play')
})

test('the transport loops, scales the tempo and toggles the metronome while playing', async ({ page }) => {
  await expectDefaultModel(page)
  await generate(page)
  await page.getByTestId('transport-loop-from').fill('1')
  await page.getByTestId('transport-loop-to').fill('1')
  await page.getByTestId('transport-loop').click()
  await expect(page.getByTestId('transport-loop')).toHaveAttribute('aria-pressed', 'true')
  await page.getByTestId('transport-tempo').fill('2')
  await page.getByTestId('transport-metronome').click()
  await expect(page.getByTestId('transport-metronome')).toHaveAttribute('aria-pressed', 'true')

  await page.getByTestId('transport-play').click()
  // Twice as fast, one bar (4 quarters) looped: the playhead comes back round to the start of the bar.
  await expect.poll(() => position(page)).toBeGreaterThan(3)
  await expect.poll(() => position(page)).toBeLessThan(1)
  await page.getByTestId('transport-stop').click()
})

test('Export WAV renders the take on the piano and writes audible 16-bit WAV where the user says', async ({
  page,
  session,
}) => {
  await expectDefaultModel(page)
  const take = await generate(page)
  const file = join(outputDir(), 'take.wav')
  const bytes = await saveThrough(session, take.getByTestId('take-export-wav'), file)
  expect(session.dialogsAsked.map(({ title }) => title)).toEqual(['Export WAV'])

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const text = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4))
  expect([text(0), text(8)]).toEqual(['RIFF', 'WAVE'])
  expect(view.getUint32(4, true)).toBe(bytes.length - 8)
  // The chunks after the header: fmt (PCM, 16 bits) and data.
  const chunks = new Map<string, { at: number; size: number }>()
  for (let at = 12; at + 8 <= bytes.length; at += 8 + view.getUint32(at + 4, true)) {
    chunks.set(text(at), { at: at + 8, size: view.getUint32(at + 4, true) })
  }
  const fmt = chunks.get('fmt ')!
  expect(view.getUint16(fmt.at, true)).toBe(1)
  const channels = view.getUint16(fmt.at + 2, true)
  const sampleRate = view.getUint32(fmt.at + 4, true)
  expect(view.getUint16(fmt.at + 14, true)).toBe(16)
  const data = chunks.get('data')!
  const samples = data.size / 2
  // Seconds of audio, and how loud it gets: a silent render would be all zeros.
  expect(samples / channels / sampleRate).toBeGreaterThan(1)
  let peak = 0
  for (let i = 0; i < samples; i++) peak = Math.max(peak, Math.abs(view.getInt16(data.at + i * 2, true)))
  expect(peak).toBeGreaterThan(1000)
})
