// Pausing through the studio's UI on real files: a paused training says so, keeps its figures and makes
// no step until it is continued, then finishes every epoch; and Stop ends a paused one at once, which Resume
// then takes on to its end.
import { describeTokensPerSecond } from '../../src/shared/trainingSpeed'
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
  await expect(line).toContainText(/^Paused · .* · step \d+ of 60 · [1-9][\d,]* tokens\/s · .* left$/)
  // The engine tells of the pause between steps, so nothing moves while paused.
  const held = await line.textContent()
  const bar = await page.getByTestId('train-progress-bar').getAttribute('value')
  await saveScreenshot('paused')
  await expect(line).toHaveText(held!)
  await expect(page.getByTestId('train-progress-bar')).toHaveAttribute('value', bar!)

  await pause.click()
  await expect(line).not.toContainText('Paused')
  await session.trainingEnded(1)
  await expect(page.getByTestId('train-outcome')).toHaveText('Finished: 3 epochs.')
  // No step came between the pause and the continue, and the first after it was the next one: none was skipped.
  const events = session.trainingEvents(1)
  const at = (paused: boolean) =>
    events.findIndex((event) => event.type === 'paused' && event.paused === paused)
  const [paused, continued] = [at(true), at(false)]
  expect(paused).toBeGreaterThan(0)
  expect(continued).toBe(paused + 1)
  const steps = events.flatMap((event) => (event.type === 'step' ? [event] : []))
  const stepsBefore = events.slice(0, paused).filter((event) => event.type === 'step').length
  const [last, next] = [steps[stepsBefore - 1], steps[stepsBefore]]
  // The speed held beside the time left is the engine's, of the last step before the pause.
  expect(held).toContain(`${describeTokensPerSecond(last.tokensPerSecond)} · `)
  expect(next.step === 1 ? [next.epoch, last.step] : [next.epoch, next.step]).toEqual(
    next.step === 1 ? [last.epoch + 1, last.steps] : [last.epoch, last.step + 1],
  )

  // Stop works while paused, and keeps what the run had finished.
  await page.getByTestId('train-start').click()
  await expect(line).toContainText('step')
  await pause.click()
  await expect(line).toContainText('Paused')
  await page.getByTestId('train-stop').click()
  await session.trainingEnded(2)
  await expect(page.getByTestId('train-outcome')).toHaveText(/^Stopped after \d epochs?\.$/)

  // Resume goes on with the stopped run to its planned end.
  await page.getByTestId('train-resume').click()
  await session.trainingEnded(3)
  await expect(page.getByTestId('train-outcome')).toHaveText('Finished: 3 epochs.')
  await expect(page.getByTestId('train-resume')).toHaveCount(0)
})
