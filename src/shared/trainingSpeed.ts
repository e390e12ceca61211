// Runs anywhere. How fast training goes, in one unit wherever it is shown (the engine's step events, the
// CLI's progress bar, the studio's Train panel, `cadenza bench --pretrain`): tokens, the tones a training
// step processes, per second of training steps.

/** The tokens of one training step: every tone of every step of every sequence in the batch. */
export function tokensPerTrainingStep(
  batchSize: number,
  sequenceLength: number,
  tonesPerStep: number,
): number {
  return batchSize * sequenceLength * tonesPerStep
}

/** `tokens` processed in `seconds` of training, per second; 0 before any time has passed. */
export function tokensPerSecond(tokens: number, seconds: number): number {
  return seconds > 0 ? tokens / seconds : 0
}

/** As the progress lines show it, e.g. "3,139 tokens/s". */
export function describeTokensPerSecond(rate: number): string {
  return `${Math.round(rate).toLocaleString('en-US')} tokens/s`
}
