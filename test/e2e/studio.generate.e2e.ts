// Generating through the studio's UI: a first run finds the default model chosen, Generate draws the take's
// notes on the piano roll, Re-make gives the same notes from the same seed, Save as .mid writes a file that
// reads back as the take, a picked MIDI file is continued, fewer tones per step thin the chords out, and a
// chosen meter is kept.
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { midiToPiece } from '../../src/shared/music/midiToPiece'
import type { Piece } from '../../src/shared/music/piece'
import { corpusFile } from '../corpus'
import { expect, test } from './fixtures'
import {
  expectDefaultModel,
  usePaperModel,
  generate,
  notePixels,
  noteRows,
  outputDir,
  rollNotes,
  savedPiece,
} from './studio'

test('first run: Generate with the default model draws the take on the piano roll', async ({
  page,
  saveScreenshot,
}) => {
  await expectDefaultModel(page)
  await expect(page.getByText('Generate a take to see it here.')).toBeVisible()
  expect(await notePixels(page)).toBe(0)
  // The temperature starts at the model's own, and says so until it is moved.
  const temperature = page.getByTestId('temperature')
  await expect(temperature).toHaveValue('0.8')
  await expect(page.getByTestId('temperature-origin')).toHaveText("the model's own")
  await saveScreenshot('first-run')

  await generate(page)
  expect(await rollNotes(page)).toBeGreaterThan(0)
  // The notes are drawn in their velocity colours: many pixels of them, where there were none.
  await expect.poll(() => notePixels(page)).toBeGreaterThan(100)
  await expect(page.getByTestId('take-recipe').last()).toContainText('temperature 0.80')
  await saveScreenshot('generated')

  await temperature.fill('1.2')
  await expect(page.getByTestId('temperature-origin')).toHaveCount(0)
  await page.getByTestId('temperature-reset').click()
  await expect(temperature).toHaveValue('0.8')
})

test('Re-make runs the same recipe again: the same seed gives the same notes, and Save as .mid writes them', async ({
  page,
  session,
}) => {
  await expectDefaultModel(page)
  await page.getByTestId('seed').fill('4242')
  const first = await generate(page)
  const notes = await rollNotes(page)
  await first.getByTestId('take-remake').click()
  await expect(page.getByTestId('take')).toHaveCount(2)
  const remade = page.getByTestId('take').last()
  await expect(remade).toHaveClass(/current/)
  expect(await rollNotes(page)).toBe(notes)

  const folder = outputDir()
  const original = await savedPiece(session, first, join(folder, 'first.mid'))
  const again = await savedPiece(session, remade, join(folder, 'remade.mid'))
  // The file holds every note of the take, as the roll counts them, and the re-make holds the same ones.
  expect(original.notes).toHaveLength(notes)
  expect(noteRows(again)).toEqual(noteRows(original))
  expect(session.dialogsAsked.map(({ title }) => title)).toEqual(['Save as MIDI', 'Save as MIDI'])
  await expect(first.getByTestId('take-recipe')).toContainText('4242')
})

test('a MIDI file picked as the primer is continued: the take starts with its notes', async ({
  page,
  session,
  saveScreenshot,
}) => {
  const file = corpusFile('sonata-ish/364sonat_c3.mid')
  const primer = midiToPiece(new Uint8Array(readFileSync(file)))
  await expectDefaultModel(page)
  session.answerDialogs(file)
  await page.getByTestId('primer-pick').click()
  await expect(page.getByTestId('primer')).toHaveValue('file')
  await page.getByTestId('length').fill('32')

  const take = await generate(page)
  expect(await rollNotes(page)).toBeGreaterThan(primer.notes.length)
  await saveScreenshot('continued')

  const result = await savedPiece(session, take, join(outputDir(), 'continued.mid'))
  // Onset, pitch and velocity: the generated part may end before a long primer note does, cutting it short.
  const heads = (piece: typeof primer) =>
    noteRows(piece).map(([onset, , pitch, velocity]) => [onset, pitch, velocity])
  const [rows, primerRows] = [heads(result), heads(primer)]
  // Every note of the primer is there, and nothing new comes before the primer's last note starts.
  const key = (row: number[]) => row.join(' ')
  const resultKeys = rows.map(key)
  for (const row of primerRows) expect(resultKeys).toContain(key(row))
  const lastOnset = Math.max(...primerRows.map(([onset]) => onset))
  const before = (all: number[][]) => all.filter(([onset]) => onset < lastOnset)
  expect(before(rows)).toEqual(before(primerRows))
})

test('one tone per step: the recipe line says so, and the take has at most one note per model step', async ({
  page,
  session,
  saveScreenshot,
}) => {
  const STEPS = 64
  await usePaperModel(page, session)
  const tones = page.getByTestId('tones-per-step')
  // The paper's model has three tones per step, and a take gets all of them unless told otherwise.
  await expect(tones).toHaveValue('3')
  await page.getByTestId('seed').fill('4242')
  await page.getByTestId('length').fill(String(STEPS))
  // `generate` gives the last take, whichever that is by then: these stay on theirs.
  await generate(page)
  const all = page.getByTestId('take').nth(0)
  await tones.selectOption('1')
  await generate(page)
  const one = page.getByTestId('take').nth(1)
  await expect(one.getByTestId('take-recipe')).toContainText('64 steps · 1 tone per step')
  await expect(all.getByTestId('take-recipe')).not.toContainText('per step')
  await saveScreenshot('one-tone-per-step')

  const folder = outputDir()
  const allPiece = await savedPiece(session, all, join(folder, 'all.mid'))
  const onePiece = await savedPiece(session, one, join(folder, 'one.mid'))
  expect(JSON.parse(onePiece.recipe!)).toMatchObject({ seed: 4242, length: STEPS, tonesPerStep: 1 })
  // The same noise makes chords with every tone (about 1.7 notes a step, as in the corpus the model learned
  // from), and one note a step at most with one: two notes of this take can start together only
  // where two steps do.
  expect(allPiece.notes.length).toBeGreaterThan(1.3 * STEPS)
  expect(onePiece.notes.length).toBeGreaterThan(0)
  expect(onePiece.notes.length).toBeLessThanOrEqual(STEPS)
  // What is left are notes the model made, the loudest of each step: none is new. Onset, pitch and velocity:
  // a file cuts a note short where the next of its key starts, and those differ once notes are left out.
  const heads = (piece: Piece) =>
    noteRows(piece).map(([onset, , pitch, velocity]) => `${onset} ${pitch} ${velocity}`)
  const allHeads = new Set(heads(allPiece))
  expect(heads(onePiece).filter((head) => !allHeads.has(head))).toEqual([])

  // Re-make repeats the limit with the rest of the recipe.
  await one.getByTestId('take-remake').click()
  await expect(page.getByTestId('take')).toHaveCount(3)
  const remade = page.getByTestId('take').last()
  await expect(remade.getByTestId('take-recipe')).toContainText('1 tone per step')
  const again = await savedPiece(session, remade, join(folder, 'remade.mid'))
  expect(noteRows(again)).toEqual(noteRows(onePiece))
})

test('a meter chosen in the panel: the take keeps its bars, is written in it, and Re-make keeps it', async ({
  page,
  session,
  saveScreenshot,
}) => {
  await expectDefaultModel(page)
  await page.getByTestId('seed').fill('4242')
  await page.getByTestId('length').fill('4')
  await page.getByTestId('length-unit').selectOption('bars')
  await page.getByTestId('meter').selectOption('3/4')
  const take = await generate(page)
  await expect(take.getByTestId('take-recipe')).toContainText('4 bars · in 3/4')
  await saveScreenshot('three-four')

  const folder = outputDir()
  const piece = await savedPiece(session, take, join(folder, 'waltz.mid'))
  expect(piece.timeSignatures).toEqual([{ time: 0, numerator: 3, denominator: 4 }])
  expect(JSON.parse(piece.recipe!)).toMatchObject({ seed: 4242, length: 4, lengthUnit: 'bars', meter: '3/4' })
  // Four bars of three quarters.
  expect(piece.notes.length).toBeGreaterThan(0)
  expect(piece.notes.every((note) => note.onset < 12 && note.onset + note.length <= 12)).toBe(true)

  // Back to 4/4 in the panel; Re-make still makes the take in its own meter.
  await page.getByTestId('meter').selectOption('4/4')
  await take.getByTestId('take-remake').click()
  await expect(page.getByTestId('take')).toHaveCount(2)
  const remade = page.getByTestId('take').last()
  await expect(remade.getByTestId('take-recipe')).toContainText('in 3/4')
  const again = await savedPiece(session, remade, join(folder, 'remade.mid'))
  expect(noteRows(again)).toEqual(noteRows(piece))
  expect(again.timeSignatures).toEqual(piece.timeSignatures)
})
