// The piano roll and the takes list with the mouse: re-rolling chosen bars keeps the notes before them,
// dragging a note moves it (undoably), a take dragged out is written as a .mid file for the OS drag, a take
// of over ten thousand notes draws only the notes in view, and the raw-output lane shows what the model
// produced over the notes.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { midiToPiece } from '../../src/shared/music/midiToPiece'
import type { Piece } from '../../src/shared/music/piece'
import { RULER_HEIGHT } from '../../src/renderer/src/pianoRoll/draw'
import { corpusFile } from '../corpus'
import { expect, test } from './fixtures'
import {
  at,
  expectDefaultModel,
  usePaperModel,
  generate,
  notePixels,
  noteRows,
  outputDir,
  rawPixels,
  roll,
  rollNotes,
  savedPiece,
  view,
} from './studio'

const key = (row: number[]) => row.join(' ')
/**
 * Onset, pitch and velocity of each note. Not the length: in a MIDI file a note that overlaps a later one of
 * the same pitch ends where the file pairs its note-off, so a change after a note can change its length.
 */
const heads = (piece: Piece) => noteRows(piece).map(([onset, , pitch, velocity]) => [onset, pitch, velocity])

test('Re-roll these bars: a new take that keeps every note before the bars and changes them', async ({
  page,
  session,
  saveScreenshot,
}) => {
  await expectDefaultModel(page)
  await page.getByTestId('seed').fill('777')
  // Long enough to span several bars, however densely the model writes.
  await page.getByTestId('length').fill('128')
  const first = await generate(page)
  const folder = outputDir()
  const original = await savedPiece(session, first, join(folder, 'original.mid'))
  // The bar (4/4) in which the middle note starts: notes come before it and in it.
  const middle = original.notes[Math.floor(original.notes.length / 2)].onset
  const [start, end] = [Math.floor(middle / 4) * 4, Math.floor(middle / 4) * 4 + 4]

  await expect(page.getByTestId('reroll')).toBeDisabled()
  const box = (await roll(page).boundingBox())!
  const rulerY = box.y + RULER_HEIGHT / 2
  const { x: from } = await at(page, start + 0.5, 60)
  const { x: to } = await at(page, end - 0.5, 60)
  await page.mouse.move(from, rulerY)
  await page.mouse.down()
  await page.mouse.move(to, rulerY, { steps: 4 })
  await page.mouse.up()
  await expect(page.getByTestId('reroll')).toBeEnabled()
  await saveScreenshot('bars-chosen')
  await page.getByTestId('reroll').click()
  await expect(page.getByTestId('take')).toHaveCount(2)
  const rerolled = page.getByTestId('take').last()
  await expect(rerolled).toContainText('re-roll of Take 1')

  const again = await savedPiece(session, rerolled, join(folder, 'rerolled.mid'))
  const before = (rows: number[][]) => rows.filter(([onset]) => onset < start)
  const inside = (rows: number[][]) => rows.filter(([onset]) => onset >= start && onset < end)
  expect(before(heads(original)).length).toBeGreaterThan(0)
  expect(before(heads(again))).toEqual(before(heads(original)))
  expect(inside(heads(again))).not.toEqual(inside(heads(original)))
})

test('dragging a note moves it to a sixteenth and rows up; undo puts it back', async ({ page, session }) => {
  await expectDefaultModel(page)
  const take = await generate(page)
  const folder = outputDir()
  const original = await savedPiece(session, take, join(folder, 'original.mid'))
  // The first note starts the piece, so it is in view; grab it just inside its left edge.
  const note = original.notes[0]
  const grab = await at(page, note.onset, note.pitch)
  const { pixelsPerQuarter, pixelsPerPitch } = await view(page)
  await page.mouse.move(grab.x + 1, grab.y)
  await page.mouse.down()
  await page.mouse.move(grab.x + 1 + 2 * pixelsPerQuarter, grab.y - 3 * pixelsPerPitch, { steps: 5 })
  await page.mouse.up()
  await expect(page.getByTestId('undo')).toBeEnabled()

  const moved = heads(await savedPiece(session, take, join(folder, 'moved.mid')))
  const rows = heads(original)
  const [onset, pitch, velocity] = rows[0]
  const target = [Math.round((onset + 2) * 4) / 4, pitch + 3, velocity]
  const expected = [...rows.slice(1), target].map(key).sort()
  expect(moved.map(key).sort()).toEqual(expected)

  await page.keyboard.press('Control+z')
  expect(noteRows(await savedPiece(session, take, join(folder, 'undone.mid')))).toEqual(noteRows(original))
})

test('a take dragged out of the window is written as a .mid file of the take for the OS drag', async ({
  page,
  session,
}) => {
  await expectDefaultModel(page)
  const take = await generate(page)
  await take.getByRole('button', { name: /Take 1/ }).dispatchEvent('dragstart')
  await expect.poll(() => session.drags.length).toBe(1)
  const dragged = midiToPiece(new Uint8Array(readFileSync(session.drags[0])))
  const saved = await savedPiece(session, take, join(outputDir(), 'saved.mid'))
  expect(dragged.notes.length).toBeGreaterThan(0)
  expect(noteRows(dragged)).toEqual(noteRows(saved))
})

test('a take of over ten thousand notes scrolls and zooms, drawing only the notes in view', async ({
  page,
  session,
  saveScreenshot,
}) => {
  // A long real piece continued by one step: the take holds all of its notes. The paper's model reads it three
  // tones a step, a third of the steps the default model's one tone a step would take.
  const file = corpusFile('sonata-ish/mozk467a.mid')
  await usePaperModel(page, session)
  session.answerDialogs(file)
  await page.getByTestId('primer-pick').click()
  await expect(page.getByTestId('primer')).toHaveValue('file')
  await page.getByTestId('length').fill('1')
  await generate(page)
  expect(await rollNotes(page)).toBeGreaterThan(10_000)
  await expect.poll(() => notePixels(page)).toBeGreaterThan(100)

  const drawn = async () => Number(await roll(page).getAttribute('data-drawn-notes'))
  const centre = await at(page, 8, 60)
  await page.mouse.move(centre.x, centre.y)
  const zoomBefore = (await view(page)).pixelsPerQuarter
  await page.keyboard.down('Control')
  await page.mouse.wheel(0, -400)
  await page.keyboard.up('Control')
  await expect.poll(async () => (await view(page)).pixelsPerQuarter).toBeGreaterThan(zoomBefore)
  await page.keyboard.down('Shift')
  await page.mouse.wheel(0, 2000)
  await page.keyboard.up('Shift')
  await expect.poll(async () => (await view(page)).startQuarter).toBeGreaterThan(0)
  await saveScreenshot('zoomed')
  // Zoomed in, a frame draws the few notes in view, not the piece.
  await expect.poll(drawn).toBeGreaterThan(0)
  expect(await drawn()).toBeLessThan(500)
})

test("the raw-output lane draws the model's raw tones over the notes, and R hides it again", async ({
  page,
  saveScreenshot,
}) => {
  await expectDefaultModel(page)
  await generate(page)
  const toggle = page.getByTestId('raw-output')
  const drawnRaw = async () => Number(await roll(page).getAttribute('data-drawn-raw'))
  await expect(toggle).toBeEnabled()
  await expect(toggle).toHaveAttribute('aria-pressed', 'false')
  expect(await drawnRaw()).toBe(0)
  expect(await rawPixels(page)).toBe(0)

  await toggle.click()
  await expect(toggle).toHaveAttribute('aria-pressed', 'true')
  await expect.poll(drawnRaw).toBeGreaterThan(0)
  await expect.poll(() => rawPixels(page)).toBeGreaterThan(0)
  await saveScreenshot('raw-output')

  await page.keyboard.press('r')
  await expect(toggle).toHaveAttribute('aria-pressed', 'false')
  await expect.poll(drawnRaw).toBe(0)
  expect(await rawPixels(page)).toBe(0)
})
