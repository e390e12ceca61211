// Training through the studio's UI on real files: the dataset report names the broken file, a tiny model
// trains with progress and chart points arriving, and the new checkpoint can be generated from, renamed
// and deleted in the library.
import { expect, test } from './fixtures'
import { generate, rollNotes } from './studio'
import { datasetFolder, setKnobs, TINY } from './training'

test('trains a tiny model from the UI, then generates from it, renames it and deletes it', async ({
  page,
  session,
  saveScreenshot,
}) => {
  await page.getByTestId('view-train').click()
  await expect(page.getByTestId('train-backend')).toContainText('WebAssembly')
  // The bridge's engine is told its backend (CADENZA_BACKEND), and the panel says so.
  await expect(page.getByTestId('train-backend-reason')).toHaveText('forced')

  session.answerDialogs(datasetFolder())
  await page.getByTestId('train-pick-folder').click()
  const report = page.getByTestId('dataset-report')
  await expect(report).toBeVisible()
  await expect(page.getByTestId('dataset-files-read')).toContainText('3')
  await expect(page.getByTestId('dataset-skipped')).toHaveCount(1)
  await expect(page.getByTestId('dataset-skipped')).toContainText('broken.mid')

  await setKnobs(page, TINY)
  await page.getByTestId('train-name').fill('Tiny Mozart')
  await page.getByTestId('train-start').click()

  // Progress and chart points arrive while it trains, and it ends on its own after every epoch.
  await expect(page.getByTestId('train-progress')).toBeVisible()
  await session.trainingEnded(1)
  await expect(page.getByTestId('train-outcome')).toHaveText('Finished: 3 epochs.')
  await expect(page.getByTestId('chart-losses')).toBeVisible()
  // Every epoch is measured against the user's music; the closest epoch's samples say so.
  await expect(page.getByTestId('chart-statistic')).toHaveValue('realism distance')
  await expect(page.getByTestId('epoch-sample-closest').first()).toHaveText('closest to your music')
  await saveScreenshot('trained')

  // The run is in the library: generate from it, rename it, delete it.
  await page.getByTestId('view-checkpoints').click()
  const named = page.getByTestId('checkpoint-row').filter({ hasText: 'Tiny Mozart' })
  await expect(named).toHaveCount(1)
  // From here on by id: renaming turns the name into a field.
  const row = page.locator(`[data-checkpoint-id="${await named.getAttribute('data-checkpoint-id')}"]`)
  await expect(row.getByTestId('checkpoint-epochs')).toContainText('3')
  await row.getByTestId('checkpoint-use').click()
  await page.getByTestId('view-generate').click()
  await expect(page.getByTestId('checkpoint')).toHaveValue((await row.getAttribute('data-checkpoint-id'))!)
  await generate(page)
  expect(await rollNotes(page)).toBeGreaterThan(0)

  await page.getByTestId('view-checkpoints').click()
  await row.getByTestId('checkpoint-rename').click()
  await row.getByTestId('checkpoint-rename-input').fill('Little Mozart')
  await row.getByTestId('checkpoint-rename-save').click()
  await expect(row.getByTestId('checkpoint-name')).toHaveText('Little Mozart')
  await row.getByTestId('checkpoint-delete').click()
  await row.getByTestId('checkpoint-delete-confirm').click()
  await expect(row).toHaveCount(0)
  // The shipped model stays.
  await expect(page.locator('[data-checkpoint-id="default"]')).toHaveCount(1)
})
