// Node, tests only. Driving the studio the way a user does, and reading back what it shows and writes: the
// piano roll's pixels, the files saved through scripted dialogs.
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Locator, Page } from 'playwright/test'
import { DEFAULT_CHECKPOINT_ID } from '../../src/shared/checkpointEntry'
import { midiToPiece } from '../../src/shared/music/midiToPiece'
import type { Piece } from '../../src/shared/music/piece'
import { COLOURS, KEYBOARD_WIDTH, RULER_HEIGHT, velocityColour } from '../../src/renderer/src/pianoRoll/draw'
import type { Viewport } from '../../src/renderer/src/pianoRoll/viewport'
import type { BridgeSession } from './bridge/bridgeSession'
import { expect } from './fixtures'

type Rgb = readonly [number, number, number]

/** Every colour a note can be drawn in: one per velocity, and the selected notes' white. */
const NOTE_COLOURS: Rgb[] = [
  ...Array.from(
    { length: 127 },
    (_, i) =>
      velocityColour(i + 1)
        .match(/\d+/g)!
        .map(Number) as unknown as Rgb,
  ),
  hex(COLOURS.selectedNote),
]

function hex(colour: string): Rgb {
  const value = parseInt(colour.slice(1), 16)
  return [value >> 16, (value >> 8) & 0xff, value & 0xff]
}

/** The piano roll's canvas. */
export const roll = (page: Page) => page.getByTestId('piano-roll')

/** How many of the canvas's pixels are exactly one of `colours`. */
async function countPixels(page: Page, colours: readonly Rgb[]): Promise<number> {
  return roll(page).evaluate((element, colours) => {
    const canvas = element as HTMLCanvasElement
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
    const wanted = new Set(colours.map(([r, g, b]) => (r << 16) | (g << 8) | b))
    let count = 0
    for (let i = 0; i < data.length; i += 4) {
      if (wanted.has((data[i] << 16) | (data[i + 1] << 8) | data[i + 2])) count++
    }
    return count
  }, colours)
}

/** Pixels of notes drawn on the piano roll. */
export const notePixels = (page: Page) => countPixels(page, NOTE_COLOURS)
/** Pixels of the playhead. */
export const playheadPixels = (page: Page) => countPixels(page, [hex(COLOURS.playhead)])
/** Pixels of the raw-output lane's sounding tones and their links to the rows they snapped to. */
export const rawPixels = (page: Page) => countPixels(page, [hex(COLOURS.rawTone)])
/** Pixels of the strikes through keys the steering ruled out, in the raw-output lane. */
export const ruledOutPixels = (page: Page) => countPixels(page, [hex(COLOURS.rawRuledOut)])

type View = Pick<Viewport, 'startQuarter' | 'pixelsPerQuarter' | 'topPitch' | 'pixelsPerPitch'>

/** The roll's view as its last frame drew it. */
export async function view(page: Page): Promise<View> {
  return JSON.parse((await roll(page).getAttribute('data-view')) ?? '{}') as View
}

/** The page position of a quarter and a pitch row's middle on the roll. */
export async function at(page: Page, quarter: number, pitch: number): Promise<{ x: number; y: number }> {
  const box = (await roll(page).boundingBox())!
  const { startQuarter, pixelsPerQuarter, topPitch, pixelsPerPitch } = await view(page)
  return {
    x: box.x + KEYBOARD_WIDTH + (quarter - startQuarter) * pixelsPerQuarter,
    y: box.y + RULER_HEIGHT + (topPitch - pitch + 0.5) * pixelsPerPitch,
  }
}

/** Pixels of the strip that marks the steering's range on the keyboard. */
export const keyRangePixels = (page: Page) => countPixels(page, [hex(COLOURS.keyRange)])

/** Waits for the default model to be chosen, as it is on a first run. */
export async function expectDefaultModel(page: Page): Promise<void> {
  await expect(page.getByTestId('checkpoint')).toHaveValue(DEFAULT_CHECKPOINT_ID)
}

/**
 * Puts the paper's continuous generator, as Cadenza shipped it before sampling (three tones per step), in
 * the session's library as a plain checkpoint folder, and chooses it for generation.
 */
export async function usePaperModel(page: Page, session: BridgeSession): Promise<void> {
  const fixture = resolve(import.meta.dirname, '../fixtures/paper-model')
  cpSync(fixture, join(session.userData, 'checkpoints', 'paper-model'), { recursive: true })
  // The Checkpoints view reads the library again each time it is shown.
  await page.getByTestId('view-checkpoints').click()
  await page.getByTestId('view-generate').click()
  await page.getByTestId('checkpoint').selectOption('paper-model')
}

/**
 * Presses Generate and waits for the take it makes, which opens in the piano roll: for as long as the
 * generation takes (a long primer on a busy machine can take a while), within the test's own limit.
 */
export async function generate(page: Page): Promise<Locator> {
  const before = await page.getByTestId('take').count()
  await page.getByTestId('generate').click()
  await expect(page.getByTestId('take')).toHaveCount(before + 1, { timeout: 0 })
  await expect(page.getByTestId('generate')).toBeEnabled()
  return page.getByTestId('take').last()
}

/** How many notes the piano roll holds. */
export async function rollNotes(page: Page): Promise<number> {
  return Number(await roll(page).getAttribute('data-notes'))
}

/** A fresh folder for the files a test saves. */
export const outputDir = () => mkdtempSync(join(tmpdir(), 'cadenza-e2e-out-'))

/** Clicks `button`, answering the save dialog with `file`, and returns the bytes written there. */
export async function saveThrough(
  session: BridgeSession,
  button: Locator,
  file: string,
): Promise<Uint8Array> {
  session.answerDialogs(file)
  await button.click()
  await expect.poll(() => existsSync(file) && readFileSync(file).length > 0).toBe(true)
  return new Uint8Array(readFileSync(file))
}

/** A take saved with its Save .mid button, read back. */
export async function savedPiece(session: BridgeSession, take: Locator, file: string): Promise<Piece> {
  return midiToPiece(await saveThrough(session, take.getByTestId('take-save'), file))
}

/** Notes as [onset, length, pitch, velocity], to three decimals: what survives a MIDI file's ticks. */
export function noteRows(piece: Piece): number[][] {
  const round = (value: number) => Math.round(value * 1000) / 1000
  return piece.notes.map(({ onset, length, pitch, velocity }) => [
    round(onset),
    round(length),
    pitch,
    velocity,
  ])
}
