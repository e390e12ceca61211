// Play it in, on the page's recording Web MIDI API: a keyboard (a fake input the test plays into, with the
// timestamps it chooses) is recorded into a take timed from those timestamps, the pedal holding notes;
// thru sends the played bytes to the chosen output; an input unplugged mid-recording keeps the take and
// ends its held notes; Answer me answers a call after the gap, on a beat, continuing it, and ends every
// note it starts, in the key of the call; playing over an answer stops it with note-offs and starts a new
// call.
import { join } from 'node:path'
import type { Page } from 'playwright/test'
import { expect, test, type Midi } from './fixtures'
import { RESYNC_MS } from '../../src/renderer/src/midi/midiTime'
import { detectKey, keyName, scalePitchClasses } from '../../src/shared/music/steering'
import type { MidiRecord } from './page/recordingMidi'
import { expectDefaultModel, noteRows, outputDir, savedPiece } from './studio'

const NOTE_ON = 0x90
const NOTE_OFF = 0x80
const CONTROL_CHANGE = 0xb0
/** Test Synth A's channel; the keyboard plays on channel 1. */
const CHANNEL = 3
/** The recorder's default tempo: a quarter is 500 ms. */
const QUARTER_MS = 500
/** What survives a MIDI file's ticks and the timestamps' tolerance: 5 ms, in quarters. */
const WITHIN = 5 / QUARTER_MS
/** How far ahead live playback schedules (LivePlayback's default). */
const LOOKAHEAD_MS = 150

const kind = ({ data }: MidiRecord) => data[0] & 0xf0
const synthA = async (midi: Midi) =>
  (await midi.records()).filter((record) => record.output === 'test-synth-a')
/** The answer's messages: thru sends at once (timestamp 0), an answer is scheduled at its notes' times. */
const scheduled = (records: MidiRecord[]) => records.filter((record) => record.timestamp! > 0)
/** Whether a note-off of its key, or an all-notes-off, follows a note-on: sent after it, timed at or after it. */
const endedAfter = (sent: MidiRecord[], noteOn: MidiRecord) =>
  sent
    .slice(sent.indexOf(noteOn) + 1)
    .some(
      (record) =>
        record.timestamp! >= noteOn.timestamp! &&
        ((kind(record) === NOTE_OFF && record.data[1] === noteOn.data[1]) ||
          (kind(record) === CONTROL_CHANGE && record.data[1] === 123)),
    )
const input = (page: Page) => page.locator('[data-testid="midi-input"][data-input-id="test-keys"]')

/** Enables MIDI, listens to Test Keys, and sends thru (and answers) to Test Synth A on CHANNEL. */
async function setUp(page: Page): Promise<void> {
  await expectDefaultModel(page)
  await page.getByTestId('midi-enable').click()
  await expect(page.getByTestId('midi-input')).toHaveText([/Test Keys/])
  await input(page).getByTestId('midi-input-enabled').check()
  const synth = page.locator('[data-testid="midi-output"][data-output-id="test-synth-a"]')
  await synth.getByTestId('midi-output-enabled').check()
  await synth.getByTestId('midi-output-channel').selectOption(String(CHANNEL))
}

const on = (pitch: number, at: number): [number[], number] => [[NOTE_ON, pitch, 100], at]
const off = (pitch: number, at: number): [number[], number] => [[NOTE_OFF, pitch, 0], at]
const pedal = (down: boolean, at: number): [number[], number] => [[CONTROL_CHANGE, 64, down ? 127 : 0], at]

function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual).toHaveLength(expected.length)
  actual.forEach((row, i) =>
    row.forEach((value, j) => expect(value, `note ${i}, field ${j}`).toBeCloseTo(expected[i][j], 2)),
  )
}

test('a recording is timed from the messages, the pedal holds notes, thru sends the played bytes, and Quantize is an undoable edit', async ({
  page,
  midi,
  session,
  saveScreenshot,
}) => {
  await setUp(page)
  // Away from the MIDI panel's fields, where keys are typed rather than shortcuts.
  await page.getByTestId('app-summary').click()
  await page.keyboard.press('*')
  await expect(page.getByTestId('record')).toHaveAttribute('aria-pressed', 'true')
  // Handled all at once, long after they were played: only the timestamps can give the rhythm.
  const t = (await midi.now()) - 2000
  await midi.play('test-keys', [
    on(60, t),
    pedal(true, t + 100),
    off(60, t + 400),
    on(64, t + 502),
    off(64, t + 740),
    pedal(false, t + 1000),
    on(67, t + 1250),
    off(67, t + 1500),
  ])
  await expect(page.getByTestId('record-status')).toHaveAttribute('data-notes', '3')
  await expect(input(page).getByTestId('midi-input-activity')).toHaveAttribute('data-messages', '8')
  await saveScreenshot('recording')
  await page.keyboard.press('*')
  const take = page.getByTestId('take').last()
  await expect(take.getByTestId('take-recipe')).toHaveText('played in at 120 bpm')

  const folder = outputDir()
  const played = await savedPiece(session, take, join(folder, 'played.mid'))
  // [onset, length, pitch, velocity] in quarters: the pedal held C and E until it lifted at 1000 ms.
  expectClose(noteRows(played), [
    [0, 1000 / QUARTER_MS, 60, 100],
    [502 / QUARTER_MS, 498 / QUARTER_MS, 64, 100],
    [1250 / QUARTER_MS, 250 / QUARTER_MS, 67, 100],
  ])

  // Thru: the played bytes, at once, on the synth's channel.
  const thru = await synthA(midi)
  const status = (type: number) => type | (CHANNEL - 1)
  expect(thru).toEqual(
    [
      [status(NOTE_ON), 60, 100],
      [status(CONTROL_CHANGE), 64, 127],
      [status(NOTE_OFF), 60, 0],
      [status(NOTE_ON), 64, 100],
      [status(NOTE_OFF), 64, 0],
      [status(CONTROL_CHANGE), 64, 0],
      [status(NOTE_ON), 67, 100],
      [status(NOTE_OFF), 67, 0],
    ].map((data) => ({ output: 'test-synth-a', data, timestamp: 0 })),
  )

  await page.getByTestId('quantize').click()
  const quantized = await savedPiece(session, take, join(folder, 'quantized.mid'))
  expect(noteRows(quantized).map(([onset]) => onset)).toEqual([0, 1, 2.5])
  await page.keyboard.press('Control+z')
  const undone = await savedPiece(session, take, join(folder, 'undone.mid'))
  expect(noteRows(undone)).toEqual(noteRows(played))
})

test('an input unplugged while recording keeps the take and ends its held notes, there and on the outputs', async ({
  page,
  midi,
  session,
}) => {
  await setUp(page)
  await page.getByTestId('record').click()
  const t = (await midi.now()) - 1000
  await midi.play('test-keys', [on(60, t), on(62, t + 250), off(62, t + 500)])
  await expect(page.getByTestId('record-status')).toHaveAttribute('data-notes', '2')
  const before = await midi.now()
  await midi.disconnectInput('test-keys')
  const after = await midi.now()
  await expect(page.getByTestId('midi-input')).toHaveCount(0)
  // The held C ends on the synth.
  expect((await synthA(midi)).at(-1)).toEqual({
    output: 'test-synth-a',
    data: [NOTE_OFF | (CHANNEL - 1), 60, 0],
    timestamp: 0,
  })
  await page.getByTestId('record').click()
  const rows = noteRows(
    await savedPiece(session, page.getByTestId('take').last(), join(outputDir(), 'a.mid')),
  )
  expect(rows.map(([onset, , pitch]) => [onset, pitch])).toEqual([
    [0, 60],
    [0.5, 62],
  ])
  // C ended when its keyboard vanished, not when recording stopped.
  expect(rows[0][1]).toBeGreaterThanOrEqual((before - t) / QUARTER_MS - WITHIN)
  expect(rows[0][1]).toBeLessThanOrEqual((after - t) / QUARTER_MS + WITHIN)
})

/** Plays a call of four quarter notes that ends now; returns its first note's timestamp. */
async function playCall(midi: Midi, pitches = [60, 62, 64, 65]): Promise<number> {
  const t = (await midi.now()) - pitches.length * QUARTER_MS
  await midi.play(
    'test-keys',
    pitches.flatMap((pitch, i) => [on(pitch, t + i * QUARTER_MS), off(pitch, t + (i + 0.9) * QUARTER_MS)]),
  )
  return t
}

/** The beat on which the last answer started, from its take's recipe (1-based there). */
async function answerBeat(page: Page): Promise<number> {
  const recipe = await page.getByTestId('take').last().getByTestId('take-recipe').textContent()
  return Number(/answer from beat (\d+)/.exec(recipe ?? '')?.[1]) - 1
}

test('Answer me: after the gap the model continues the call on a beat, and ends every note it starts', async ({
  page,
  midi,
  session,
  saveScreenshot,
}) => {
  await setUp(page)
  await page.getByTestId('answer-on').check()
  await page.getByTestId('answer-bars').fill('2')
  const callStart = await playCall(midi)
  const callEnd = callStart + 3.9 * QUARTER_MS
  await expect(page.getByTestId('answer-status')).toHaveAttribute('data-phase', 'answering')
  await saveScreenshot('answering')
  const take = page.getByTestId('take').last()
  await expect(take.getByTestId('take-recipe')).toContainText('continues the call played in')
  await expect(page.getByTestId('answer-status')).toHaveAttribute('data-phase', 'listening')

  // The take: the call as played, then the answer from its beat, after the one-beat gap.
  const beat = await answerBeat(page)
  expect(beat * QUARTER_MS).toBeGreaterThanOrEqual(callEnd + QUARTER_MS - callStart)
  const exchange = noteRows(await savedPiece(session, take, join(outputDir(), 'exchange.mid')))
  expectClose(
    exchange.slice(0, 4).map(([onset, length, pitch]) => [onset, length, pitch]),
    [60, 62, 64, 65].map((pitch, i) => [i, 0.9, pitch]),
  )
  const answer = exchange.slice(4)
  expect(answer.length).toBeGreaterThan(0)
  expect(answer[0][0]).toBeCloseTo(beat, 2)

  // On the synth: the answer's notes at their times, from the beat on, and a note-off for each.
  const sent = scheduled(await synthA(midi))
  const noteOns = sent.filter((record) => kind(record) === NOTE_ON)
  expect(noteOns).toHaveLength(answer.length)
  expect(noteOns[0].timestamp! - (callStart + beat * QUARTER_MS)).toBeCloseTo(0, 0)
  const unmatched = [...noteOns]
  // How late the notes are sent: 0 but where a machine busy enough to stall the audio clock made the mapping
  // to MIDI time (midiTime.ts) follow it, later by more than RESYNC_MS, which moves every later note alike.
  let shift = 0
  for (const [onset, , pitch] of answer) {
    // The take's onsets come back through a MIDI file's ticks (about a millisecond each here), which can
    // also swap the order of notes less than a tick apart.
    const lateBy = (record: MidiRecord) => record.timestamp! - callStart - onset * QUARTER_MS - shift
    const candidates = unmatched.filter((record) => record.data[1] === pitch)
    const nearest = candidates.sort((a, b) => Math.abs(lateBy(a)) - Math.abs(lateBy(b)))[0]
    expect(nearest, `pitch ${pitch} at quarter ${onset}`).toBeDefined()
    const late = lateBy(nearest)
    expect(
      Math.abs(late) < 2 || late > RESYNC_MS,
      `pitch ${pitch} at quarter ${onset}, ${late} ms late`,
    ).toBe(true)
    if (late > RESYNC_MS) shift += late
    const [noteOn] = unmatched.splice(unmatched.indexOf(nearest), 1)
    expect(noteOn.data[0]).toBe(NOTE_ON | (CHANNEL - 1))
    expect(endedAfter(sent, noteOn), `pitch ${pitch} left sounding`).toBe(true)
  }
})

test("Answer me keeps to the call's key: a call in E major is answered in E major, and the bar names it", async ({
  page,
  midi,
  session,
}) => {
  // E major's arpeggio up and down through C#: four sharps, which the model left to itself does not keep to.
  const pitches = [64, 68, 71, 76, 73, 71, 68, 64]
  const key = detectKey(pitches.map((pitch) => ({ pitch, length: 0.9 })))
  expect(keyName(key)).toBe('E major')
  await setUp(page)
  await page.getByTestId('answer-on').check()
  await page.getByTestId('answer-bars').fill('2')
  await playCall(midi, pitches)
  await expect(page.getByTestId('answer-key')).toHaveText("in E major, the call's key")
  const take = page.getByTestId('take').last()
  await expect(take.getByTestId('take-recipe')).toContainText("in E major (the call's key)")

  const exchange = noteRows(await savedPiece(session, take, join(outputDir(), 'in-key.mid')))
  expect(exchange.slice(0, pitches.length).map(([, , pitch]) => pitch)).toEqual(pitches)
  const answer = exchange.slice(pitches.length)
  expect(answer.length).toBeGreaterThan(0)
  const scale = new Set(scalePitchClasses(key))
  expect(answer.filter(([, , pitch]) => !scale.has(pitch % 12))).toEqual([])
})

test('playing over an answer stops it with note-offs and answers the new call instead', async ({
  page,
  midi,
}) => {
  await setUp(page)
  await page.getByTestId('answer-on').check()
  await page.getByTestId('answer-bars').fill('16')
  await playCall(midi)
  await expect.poll(async () => scheduled(await synthA(midi)).length).toBeGreaterThan(2)
  await page.getByTestId('answer-bars').fill('1')
  const beforeCut = await midi.now()
  const secondCall = await playCall(midi, [67, 65])
  await expect(page.getByTestId('take')).toHaveCount(2)
  await expect(page.getByTestId('answer-status')).toHaveAttribute('data-phase', 'listening')

  const sent = scheduled(await synthA(midi))
  const secondBeat = await answerBeat(page)
  const secondStart = secondCall + secondBeat * QUARTER_MS
  const first = sent.filter((record) => record.timestamp! < secondStart - 1)
  // The first answer was cut when the new call began: nothing of it is timed later than the look-ahead
  // beyond its all-notes-off, and every note it started has a note-off (or the all-notes-off) after it.
  const firstOns = first.filter((record) => kind(record) === NOTE_ON)
  expect(firstOns.length).toBeGreaterThan(0)
  const allOff = sent.filter((record) => kind(record) === CONTROL_CHANGE && record.data[1] === 123)
  expect(allOff).toHaveLength(1)
  // Timed on the audio clock, whose mapping to MIDI time may lag the page's clock by up to RESYNC_MS.
  expect(allOff[0].timestamp!).toBeGreaterThanOrEqual(beforeCut - RESYNC_MS)
  expect(Math.max(...firstOns.map(({ timestamp }) => timestamp!))).toBeLessThanOrEqual(
    allOff[0].timestamp! + LOOKAHEAD_MS,
  )
  for (const note of firstOns) {
    expect(endedAfter(sent, note), `pitch ${note.data[1]} left sounding`).toBe(true)
  }
  // The second answer starts on its beat, after the second call's gap.
  const secondOns = sent.filter((record) => kind(record) === NOTE_ON && record.timestamp! >= secondStart - 1)
  expect(secondOns.length).toBeGreaterThan(0)
  expect(secondOns[0].timestamp! - secondStart).toBeCloseTo(0, 0)
})
