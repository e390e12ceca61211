// Steering through the Generate panel's Steer group: a take held to D minor, C3-C6 and straight sixteenths
// keeps every note there, says so in its recipe and file, and is re-made note for note with the panel
// steering nothing; density and the most keys at once are named and kept; a range dragged on the roll's
// keyboard is marked there and keeps the next take within it; the raw-output lane strikes the keys the scale
// ruled out; a take that continues a clip follows the key detected there; and the paper's generator refuses
// a grid in one line.
import { join } from 'node:path'
import type { Piece } from '../../src/shared/music/piece'
import { detectKey, keyLabel, keyName, scalePitchClasses, type Key } from '../../src/shared/music/steering'
import { KEYBOARD_WIDTH } from '../../src/renderer/src/pianoRoll/draw'
import { expect, test } from './fixtures'
import {
  at,
  expectDefaultModel,
  keyRangePixels,
  generate,
  noteRows,
  outputDir,
  ruledOutPixels,
  savedPiece,
  usePaperModel,
  view,
} from './studio'

const D_MINOR: Key = { tonic: 2, scale: 'minor' }
const inKey = (key: Key) => {
  const classes = new Set(scalePitchClasses(key))
  return (pitch: number) => classes.has(pitch % 12)
}
/** On a sixteenth, to what a MIDI file's ticks keep (noteRows' three decimals). */
const onSixteenth = (quarters: number) => Math.abs(quarters * 4 - Math.round(quarters * 4)) < 0.004
const offRule = (piece: Piece) =>
  piece.notes.filter(
    ({ onset, pitch }) => !inKey(D_MINOR)(pitch) || !onSixteenth(onset) || pitch < 48 || pitch > 84,
  )

test('a take in D minor, C3-C6, on sixteenths: every note keeps to it, the recipe says so, and Re-make repeats it', async ({
  page,
  session,
  saveScreenshot,
}) => {
  await expectDefaultModel(page)
  await page.getByTestId('seed').fill('4242')
  await page.getByTestId('length').fill('4')
  await page.getByTestId('length-unit').selectOption('bars')
  // Off at first: the model as it is.
  await generate(page)
  // `generate` gives the last take, whichever that is by then: these stay on theirs.
  const free = page.getByTestId('take').nth(0)
  await expect(free.getByTestId('take-recipe')).toHaveText(/seed 4242 · temperature 0.80 · 4 bars$/)

  await page.getByTestId('steer-key').selectOption('2')
  await page.getByTestId('steer-scale').selectOption('minor')
  await page.getByTestId('steer-grid').selectOption('straight')
  // Enter in the range takes it, and generates.
  await page.getByTestId('steer-range').fill('c3 - c6')
  await page.getByTestId('steer-range').press('Enter')
  await expect(page.getByTestId('take')).toHaveCount(2)
  const steered = page.getByTestId('take').nth(1)
  await expect(steered.getByTestId('take-recipe')).toContainText('4 bars · in D minor, C3-C6, sixteenths')
  // The typed range reads back as the studio names keys.
  await expect(page.getByTestId('steer-range')).toHaveValue('C3-C6')
  await saveScreenshot('steered')

  const folder = outputDir()
  const freePiece = await savedPiece(session, free, join(folder, 'free.mid'))
  const piece = await savedPiece(session, steered, join(folder, 'steered.mid'))
  expect(piece.notes.length).toBeGreaterThan(8)
  expect(offRule(piece)).toEqual([])
  // The same seed unsteered goes where the steering did not let it.
  expect(offRule(freePiece).length).toBeGreaterThan(0)
  expect(JSON.parse(piece.recipe!).steering).toEqual({
    key: D_MINOR,
    range: { lowest: 48, highest: 84 },
    grid: 'straight',
  })

  // With the panel steering nothing again, Re-make still makes the take as it was steered.
  await page.getByTestId('steer-key').selectOption('')
  await page.getByTestId('steer-range').fill('')
  await page.getByTestId('steer-range').blur()
  await page.getByTestId('steer-grid').selectOption('')
  await steered.getByTestId('take-remake').click()
  await expect(page.getByTestId('take')).toHaveCount(3)
  const remade = page.getByTestId('take').last()
  await expect(remade.getByTestId('take-recipe')).toContainText('in D minor, C3-C6, sixteenths')
  const again = await savedPiece(session, remade, join(folder, 'remade.mid'))
  expect(noteRows(again)).toEqual(noteRows(piece))
  expect(again.recipe).toBe(piece.recipe)
  // And a Generate now is the model's own again.
  const unsteered = await generate(page)
  await expect(unsteered.getByTestId('take-recipe')).not.toContainText('D minor')
})

test('density, the most keys at once and repetition: named in the recipe, chords kept small, and an emptied density is off', async ({
  page,
  session,
}) => {
  await expectDefaultModel(page)
  await page.getByTestId('seed').fill('5')
  await page.getByTestId('length').fill('2')
  await page.getByTestId('length-unit').selectOption('bars')
  await page.getByTestId('steer-density').fill('6')
  await page.getByTestId('steer-chord').selectOption('2')
  await page.getByTestId('steer-repetition').fill('0.5')
  await generate(page)
  const dense = page.getByTestId('take').nth(0)
  await expect(dense.getByTestId('take-recipe')).toContainText(
    '6 notes a bar, at most 2 keys at once, repetition 0.5',
  )
  const piece = await savedPiece(session, dense, join(outputDir(), 'small-chords.mid'))
  expect(JSON.parse(piece.recipe!).steering).toEqual({ density: 6, maxChord: 2, repetition: 0.5 })
  const perOnset = new Map<number, number>()
  for (const { onset } of piece.notes) perOnset.set(onset, (perOnset.get(onset) ?? 0) + 1)
  expect(Math.max(...perOnset.values())).toBeLessThanOrEqual(2)

  await page.getByTestId('steer-density').fill('')
  await page.getByTestId('steer-density').blur()
  await expect(page.getByTestId('steer-density')).toHaveValue('')
  const next = await generate(page)
  await expect(next.getByTestId('take-recipe')).toContainText('· at most 2 keys at once, repetition 0.5')
  await expect(next.getByTestId('take-recipe')).not.toContainText('notes a bar')
})

test("a range dragged on the roll's keyboard is marked there, named in the panel, and keeps the next take within it", async ({
  page,
  session,
}) => {
  await expectDefaultModel(page)
  await page.getByTestId('seed').fill('31')
  await generate(page)
  expect(await keyRangePixels(page)).toBe(0)
  // An octave and a fifth below the top of the view, dragged downwards.
  const { topPitch } = await view(page)
  const [highest, lowest] = [topPitch - 8, topPitch - 27]
  const keyboard = async (pitch: number) => ({
    x: (await at(page, 0, pitch)).x - KEYBOARD_WIDTH / 2,
    y: (await at(page, 0, pitch)).y,
  })
  const [from, to] = [await keyboard(highest), await keyboard(lowest)]
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await page.mouse.move(to.x, to.y, { steps: 5 })
  await page.mouse.up()
  const name = `${keyLabel(lowest)}-${keyLabel(highest)}`
  await expect(page.getByTestId('steer-range')).toHaveValue(name)
  await expect.poll(() => keyRangePixels(page)).toBeGreaterThan(0)

  const take = await generate(page)
  await expect(take.getByTestId('take-recipe')).toContainText(name)
  const piece = await savedPiece(session, take, join(outputDir(), 'ranged.mid'))
  expect(piece.notes.length).toBeGreaterThan(0)
  expect(piece.notes.filter(({ pitch }) => pitch < lowest || pitch > highest)).toEqual([])
})

test("the raw-output lane strikes the keys the scale ruled out, and a free take's has none", async ({
  page,
}) => {
  await expectDefaultModel(page)
  await page.getByTestId('seed').fill('77')
  await generate(page)
  await page.getByTestId('raw-output').click()
  await expect(page.getByTestId('raw-output')).toHaveAttribute('aria-pressed', 'true')
  // Drawn with the lane: poll until the frame with it is on the canvas.
  await expect.poll(() => ruledOutPixels(page)).toBe(0)

  await page.getByTestId('steer-key').selectOption('2')
  await page.getByTestId('steer-scale').selectOption('minor')
  await generate(page)
  await expect.poll(() => ruledOutPixels(page)).toBeGreaterThan(0)
})

test('a take that continues a clip follows the key detected in it, and names it', async ({
  page,
  session,
}) => {
  await expectDefaultModel(page)
  await page.getByTestId('seed').fill('9')
  await page.getByTestId('length').fill('2')
  await page.getByTestId('length-unit').selectOption('bars')
  const clip = await generate(page)
  const folder = outputDir()
  const clipPiece = await savedPiece(session, clip, join(folder, 'clip.mid'))
  const key = detectKey(clipPiece.notes)

  // "The clip's" key needs a clip to continue from.
  await expect(page.locator('[data-testid="steer-key"] option[value="primer"]')).toBeDisabled()
  await page.getByTestId('primer').selectOption({ label: 'Take 1' })
  await page.getByTestId('steer-key').selectOption('primer')
  await expect(page.getByTestId('steer-key-followed')).toHaveText(`follows the clip: ${keyName(key)}`)
  const continued = await generate(page)
  await expect(continued.getByTestId('take-recipe')).toContainText(`in ${keyName(key)} (the clip's key)`)

  const piece = await savedPiece(session, continued, join(folder, 'continued.mid'))
  expect(JSON.parse(piece.recipe!).steering).toEqual({ key: 'primer' })
  const clipEnd = Math.max(...clipPiece.notes.map((note) => note.onset))
  const added = piece.notes.filter((note) => note.onset > clipEnd)
  expect(added.length).toBeGreaterThan(0)
  expect(added.filter((note) => !inKey(key)(note.pitch))).toEqual([])
})

test("the paper's generator refuses a grid in one line, as other generation errors show", async ({
  page,
  session,
}) => {
  await usePaperModel(page, session)
  await page.getByTestId('steer-grid').selectOption('straight')
  await page.getByTestId('generate').click()
  await expect(page.getByTestId('message')).toHaveText(
    /Generation failed: .*the paper's generator takes a key and a range, not a grid/,
  )
  await expect(page.getByTestId('take')).toHaveCount(0)
})
