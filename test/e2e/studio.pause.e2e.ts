// Pausing through the studio's UI on real files: a paused training says so, keeps its figures and makes
// no step until it is continued, then finishes every epoch; and Stop ends a paused one at once, which Resume
// then takes on to its end.
import { expect, test } from './fixtures'
import { pickDataset, setKnobs, TINY } from './training'

test('pauses a training, continues it to its end, and stops one while paused, then resumes it', async ({
  page,
  session,
  saveScreenshot,
}) => {
  await pickDataset(page, session)
  // More steps per epoch than TINY's, so that the training is still under way when the button is clicked.
  await setKnobs(page, { ...TINY, 'knob-training-stepsPerEpoch': 60 })
  await page.getByTestId('train-name').fill('Paused Mozart')
  await page.getByTestId('train-start').click()

  const line = page.getByTestId('train-progress-line')
  const pause = page.getByTestId('train-pause')
  await expect(line).toContainText('step')
  await expect(pause).toHaveText('Pause')
  await pause.click()
  await expect(pause).toHaveText('Continue')
  await expect(line).toContainText(/^Paused · .* · step \d+ of 60 · .* tokens\/s · .* left$/)
  // The engine tells of the pause between steps, so no step comes after it.
  const held = await line.textContent()
  const bar = await page.getByTestId('train-progress-bar').getAttribute('value')
  await page.waitForTimeout(1500)
  await expect(line).toHaveText(held!)
  await expect(page.getByTestId('train-progress-bar')).toHaveAttribute('value', bar!)
  await saveScreenshot('paused')

  await pause.click()
  await expect(line).not.toContainText('Paused')
  await expect(page.getByTestId('train-outcome')).toHaveText('Finished: 3 epochs.')

  // Stop works while paused, and keeps what the run had finished.
  await page.getByTestId('train-start').click()
  await expect(line).toContainText('step')
  await pause.click()
  await expect(line).toContainText('Paused')
  await page.getByTestId('train-stop').click()
  await expect(page.getByTestId('train-outcome')).toHaveText(/^Stopped after \d epochs?\.$/)

  // Resume goes on with the stopped run to its planned end.
  await page.getByTestId('train-resume').click()
  await expect(page.getByTestId('train-outcome')).toHaveText('Finished: 3 epochs.')
  await expect(page.getByTestId('train-resume')).toHaveCount(0)
})
