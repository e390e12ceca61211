// Editing the current take with the keyboard: select all, transpose, delete, and undo/redo back through
// them; the saved take shows each state's notes exactly.
import { join } from 'node:path'
import type { Piece } from '../../src/shared/music/piece'
import { expect, test } from './fixtures'
import { expectDefaultModel, generate, notePixels, noteRows, outputDir, roll, savedPiece } from './studio'

test('select all, transpose and delete edit the take; undo and redo restore each state', async ({
  page,
  session,
  saveScreenshot,
}) => {
  await expectDefaultModel(page)
  const take = await generate(page)
  const folder = outputDir()
  let saves = 0
  const saved = () => savedPiece(session, take, join(folder, `take-${++saves}.mid`))
  const up = (piece: Piece) =>
    noteRows(piece).map(([onset, length, pitch, velocity]) => [onset, length, pitch + 1, velocity])

  const original = await saved()
  const count = original.notes.length

  await page.keyboard.press('Control+a')
  await expect(roll(page)).toHaveAttribute('data-selected', String(count))
  await saveScreenshot('selected')
  await page.keyboard.press('ArrowUp')
  const transposed = await saved()
  expect(noteRows(transposed)).toEqual(up(original))

  await page.keyboard.press('Delete')
  await expect(roll(page)).toHaveAttribute('data-notes', '0')
  await expect.poll(() => notePixels(page)).toBe(0)

  await page.keyboard.press('Control+z')
  await expect(roll(page)).toHaveAttribute('data-notes', String(count))
  expect(noteRows(await saved())).toEqual(noteRows(transposed))
  await page.keyboard.press('Control+z')
  expect(noteRows(await saved())).toEqual(noteRows(original))
  await expect.poll(() => notePixels(page)).toBeGreaterThan(100)

  await page.keyboard.press('Control+Shift+z')
  expect(noteRows(await saved())).toEqual(noteRows(transposed))
  await page.keyboard.press('Control+y')
  await expect(roll(page)).toHaveAttribute('data-notes', '0')
  await saveScreenshot('edited')
})

test('an edit while playing goes on playing the edited take', async ({ page }) => {
  await expectDefaultModel(page)
  await generate(page)
  await page.getByTestId('transport-play').click()
  const position = () => page.getByTestId('transport-time').getAttribute('data-quarters').then(Number)
  await expect.poll(position).toBeGreaterThan(0.5)
  await page.keyboard.press('Control+a')
  await page.keyboard.press('ArrowUp')
  await expect(page.getByTestId('undo')).toBeEnabled()
  // An update, not a load: playing goes on, and the playhead did not go back to the start.
  await expect(page.getByTestId('transport-play')).toHaveText('Pause')
  expect(await position()).toBeGreaterThan(0.5)
  await page.getByTestId('transport-stop').click()
})
