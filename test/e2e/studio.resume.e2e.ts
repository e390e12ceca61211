// Resuming through the studio's UI after the engine crashes mid-training: the crash is told in words, the
// engine comes back, Resume goes on from the last saved epoch to the end, and the run stays in the library.
// Then an epoch's sample opens as a take on the piano roll, with no raw model output to show and no recipe to
// re-make it from, and is saved and continued like any take.
import { join } from 'node:path'
import { expect, test } from './fixtures'
import { generate, outputDir, rollNotes, savedPiece } from './studio'
import { pickDataset, setKnobs, TINY } from './training'

test('resumes a training after an engine crash, and opens an epoch sample as a take', async ({
  page,
  session,
  saveScreenshot,
}) => {
  await pickDataset(page, session)
  // One pretraining epoch and five adversarial ones: the crash after the first leaves most to do.
  await setKnobs(page, { ...TINY, 'knob-training-epochs': 5 })
  await page.getByTestId('train-name').fill('Crashing Mozart')
  session.killEngineAfterEpoch(1)
  await page.getByTestId('train-start').click()

  // The crash ends the first training; the error is told of it.
  await session.trainingEnded(1)
  const error = page.getByTestId('train-error')
  await expect(error).toContainText('The engine stopped during training')
  await expect(error).toContainText('Resume goes on from it')
  await saveScreenshot('crashed')

  // Nothing is lost: the run is in the library with its first epoch, and can resume from there too.
  await page.getByTestId('view-checkpoints').click()
  const row = page.getByTestId('checkpoint-row').filter({ hasText: 'Crashing Mozart' })
  await expect(row.getByTestId('checkpoint-epochs')).toBeVisible()
  await expect(row.getByTestId('checkpoint-resume')).toBeVisible()

  await session.engineReady()
  await page.getByTestId('view-train').click()
  await page.getByTestId('train-resume').click()
  await expect(error).toHaveCount(0)
  await session.trainingEnded(2)
  await expect(page.getByTestId('train-outcome')).toHaveText('Finished: 6 epochs.')
  // The history goes on from before the crash: the first epoch's samples and the last one's.
  const samples = page.getByTestId('epoch-sample')
  await expect(samples.and(page.locator('[data-epoch="1"]')).first()).toBeVisible()
  await expect(samples.and(page.locator('[data-epoch="6"]')).first()).toBeVisible()
  await saveScreenshot('resumed')

  await page.getByTestId('view-checkpoints').click()
  await expect(row.getByTestId('checkpoint-epochs')).toHaveText('6 epochs')
  await expect(row.getByTestId('checkpoint-resume')).toHaveCount(0)

  // The last epoch's first sample plays with a click, and opens as a take on the roll.
  await page.getByTestId('view-train').click()
  const last = samples.first()
  await expect(last).toContainText('Epoch 6 sample 1')
  await last.getByTestId('epoch-sample-play').click()
  await last.getByTestId('epoch-sample-open').click()
  await page.getByTestId('view-generate').click()
  const sample = page.getByTestId('take').last()
  await expect(sample).toContainText('Epoch 6 sample 1')
  // Training drew it from noise of its own: there is no recipe to make it again, and the take says so.
  await expect(sample.getByTestId('take-recipe')).toHaveText('sample of epoch 6 · Crashing Mozart')
  await expect(sample.getByTestId('take-remake')).toBeDisabled()
  await expect(sample.getByTestId('take-remake')).toHaveAttribute('title', /no recipe/)
  await expect(page.getByTestId('reroll')).toBeDisabled()
  await expect(page.getByTestId('reroll')).toHaveAttribute('title', /no recipe/)
  await expect.poll(() => rollNotes(page)).toBeGreaterThan(0)
  // Read back from its MIDI file, a sample has notes but not the model's raw outputs to show beside them.
  const rawOutput = page.getByTestId('raw-output')
  await expect(rawOutput).toBeDisabled()
  await expect(rawOutput).toHaveAttribute('title', /read from a MIDI file/)

  // Otherwise it is a take like any other: it saves as .mid, and Generate continues it.
  const saved = await savedPiece(session, sample, join(outputDir(), 'sample.mid'))
  expect(saved.notes).toHaveLength(await rollNotes(page))
  await page.getByTestId('primer').selectOption({ label: 'Epoch 6 sample 1' })
  const continued = await generate(page)
  await expect(continued.getByTestId('take-recipe')).toContainText('continues Epoch 6 sample 1')
  await expect(continued.getByTestId('take-remake')).toBeEnabled()
})
