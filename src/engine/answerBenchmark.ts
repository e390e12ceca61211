// Node (engine). The studio's Answer me, timed as the engine serves it: from the request to the generated
// piece of a 4-bar answer to a one-bar call, loading the generator as every generate request does. The
// studio schedules the answer's first note ANSWER_LEAD_MS (30 ms) after that, on the next beat.
import type { GenerateRequest } from '../shared/generateRequest'
import { median } from '../shared/music/summary'
import type { Piece } from '../shared/music/piece'
import { generate, loadGenerator } from './generation'

export const ANSWER_BARS = 4

/** A call as a keyboard player might play it: a bar of eighths up the C major scale at 120 bpm. */
export const CALL: Piece = {
  notes: [60, 62, 64, 65, 67, 69, 71, 72].map((pitch, i) => ({
    onset: i / 2,
    length: 0.45,
    pitch,
    velocity: 90,
  })),
  tempos: [{ time: 0, bpm: 120 }],
  timeSignatures: [{ time: 0, numerator: 4, denominator: 4 }],
}

export interface AnswerTimes {
  /** Median milliseconds of the timed answers (after one that warms up). */
  answer_ms_4_bars: number
  answer_ms: number[]
}

/** Times `runs` answers of the generator in `modelDir`, after a warm-up answer that pays one-time costs. */
export async function timeAnswers(modelDir: string, runs = 5): Promise<AnswerTimes> {
  const times: number[] = []
  for (let run = 0; run <= runs; run++) {
    const request: GenerateRequest = {
      seed: run,
      temperature: 1,
      length: ANSWER_BARS,
      lengthUnit: 'bars',
      count: 1,
      primer: CALL,
    }
    const start = performance.now()
    const model = await loadGenerator(modelDir)
    try {
      await generate(model, request)
    } finally {
      model.dispose()
    }
    if (run > 0) times.push(performance.now() - start)
  }
  return { answer_ms_4_bars: Math.round(median(times)), answer_ms: times.map(Math.round) }
}
