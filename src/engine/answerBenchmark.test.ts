import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { selectBackend } from './process/backend'
import { CALL, timeAnswers } from './answerBenchmark'
import { generate, loadGenerator } from './generation'

/** The shipped default model, which `cadenza bench` times. */
const DEFAULT_MODEL_DIR = resolve(import.meta.dirname, '../../resources/default-model')

describe('timeAnswers', () => {
  it('times as many answers as asked, after a warm-up, each a continuation of the call', async () => {
    await selectBackend('wasm')
    const times = await timeAnswers(DEFAULT_MODEL_DIR, 2)
    expect(times.answer_ms).toHaveLength(2)
    expect(times.answer_ms_4_bars).toBeGreaterThan(0)
    const model = await loadGenerator(DEFAULT_MODEL_DIR)
    try {
      const [answer] = await generate(model, {
        seed: 1,
        temperature: 1,
        length: 4,
        lengthUnit: 'bars',
        count: 1,
        primer: CALL,
      })
      expect(answer.notes.length).toBeGreaterThan(CALL.notes.length)
      // Four bars after the call's bar: it ends by quarter 20.
      expect(Math.max(...answer.notes.map((note) => note.onset + note.length))).toBeLessThanOrEqual(20)
    } finally {
      model.dispose()
    }
  })
})
