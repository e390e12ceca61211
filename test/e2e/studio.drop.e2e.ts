// Dropping a folder of MIDI files on the Train panel: the drop zone shows while a drag is over the panel, the
// dropped folder's report appears as a picked one's does, and a dropped file is refused in words. The drops
// are DataTransfers of Files as Chromium makes them for a folder (empty, without a type); their paths are
// what Electron's webUtils would give, scripted.
import { basename, join } from 'node:path'
import type { Page } from 'playwright/test'
import { expect, test } from './fixtures'
import { datasetFolder } from './training'

/** A drag from the desktop of one File named `name`, made in the page. */
const dragOf = (page: Page, name: string) =>
  page.evaluateHandle((name) => {
    const dataTransfer = new DataTransfer()
    dataTransfer.items.add(new File([], name))
    return dataTransfer
  }, name)

test('a folder dropped on the Train panel is read like a picked one; a dropped file is refused', async ({
  page,
  drops,
  saveScreenshot,
}) => {
  await page.getByTestId('view-train').click()
  const panel = page.getByTestId('train-panel')
  const zone = page.getByTestId('train-drop-zone')
  const folder = datasetFolder()
  await drops.answer(folder)

  const dataTransfer = await dragOf(page, basename(folder))
  await panel.dispatchEvent('dragover', { dataTransfer })
  await expect(zone).toBeVisible()
  await saveScreenshot('dragging')
  await panel.dispatchEvent('dragleave', { dataTransfer })
  await expect(zone).toBeHidden()

  await panel.dispatchEvent('dragover', { dataTransfer })
  await panel.dispatchEvent('drop', { dataTransfer })
  await expect(zone).toBeHidden()
  await expect(page.getByTestId('dataset-report')).toBeVisible()
  await expect(page.getByTestId('dataset-files-read')).toContainText('3')
  await expect(page.getByTestId('dataset-skipped')).toContainText('broken.mid')
  await expect(page.getByTestId('train-folder')).toHaveText(folder)
  await expect(page.getByTestId('train-name')).toHaveValue(basename(folder))
  expect(await drops.asked()).toEqual([basename(folder)])

  // A .mid file is not a folder: main says so, and the folder read before stays.
  const file = join(folder, 'mozk545a.mid')
  await drops.answer(file)
  await panel.dispatchEvent('drop', { dataTransfer: await dragOf(page, 'mozk545a.mid') })
  await expect(page.getByTestId('train-error')).toContainText(
    `${file} is not a folder: drop a folder of MIDI files`,
  )
  await expect(page.getByTestId('train-folder')).toHaveText(folder)
  expect(await drops.asked()).toEqual([basename(folder), 'mozk545a.mid'])
  // The panel kept both drops: neither became the Generate panel's primer, which a drop elsewhere would.
  await expect(page.getByTestId('message')).toHaveCount(0)
  await expect(page.getByTestId('primer')).toHaveValue('')
})
