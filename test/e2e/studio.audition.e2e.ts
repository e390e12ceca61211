// Auditioning checkpoints in the library: the default model's short sample plays on the transport (its
// audio clock runs), the button turns into Stop and stops it; auditioning another checkpoint stops the one
// that plays.
import type { Page } from 'playwright/test'
import { DEFAULT_CHECKPOINT_ID } from '../../src/shared/checkpointEntry'
import { expect, test } from './fixtures'

/** Where the transport is, in quarters, from the audio clock (it reads it while hidden in another view). */
const position = async (page: Page) =>
  Number(await page.getByTestId('transport-time').getAttribute('data-quarters'))

test('auditions the default model: its sample plays on the transport until Stop, or until another starts', async ({
  page,
  saveScreenshot,
}) => {
  await page.getByTestId('view-checkpoints').click()
  const row = page.locator(`[data-checkpoint-id="${DEFAULT_CHECKPOINT_ID}"]`)
  const audition = row.getByTestId('checkpoint-audition')
  await expect(audition).toHaveText('Audition')

  await audition.click()
  await expect(audition).toHaveText('Stop')
  await expect.poll(() => position(page)).toBeGreaterThan(0.5)
  const early = await position(page)
  await expect.poll(() => position(page)).toBeGreaterThan(early)
  await saveScreenshot('auditioning')

  await audition.click()
  await expect(audition).toHaveText('Audition')
  await expect.poll(() => position(page)).toBe(0)
  await page.waitForTimeout(300)
  expect(await position(page)).toBe(0)

  // A copy of the default model is a checkpoint of the library's own: auditioning it stops the default's.
  await row.getByTestId('checkpoint-duplicate').click()
  const copy = page.getByTestId('checkpoint-row').filter({ hasText: 'copy' })
  await expect(copy).toHaveCount(1)
  await audition.click()
  await expect(audition).toHaveText('Stop')
  await copy.getByTestId('checkpoint-audition').click()
  await expect(audition).toHaveText('Audition')
  await expect(copy.getByTestId('checkpoint-audition')).toHaveText('Stop')
  await expect.poll(() => position(page)).toBeGreaterThan(0.5)
  await copy.getByTestId('checkpoint-audition').click()
  await expect(copy.getByTestId('checkpoint-audition')).toHaveText('Audition')
  await expect(page.getByTestId('message')).toHaveCount(0)
})
