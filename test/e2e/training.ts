// Node, tests only. Training through the Train panel: a dataset folder of real files, and the knobs of a
// model small enough to train in seconds on two cores.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright/test'
import type { BridgeSession } from './bridge/bridgeSession'
import { corpusFile } from '../corpus'
import { expect } from './fixtures'

/** Three real Mozart movements and one file that is not MIDI. */
export function datasetFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'cadenza-e2e-data-'))
  for (const name of ['mozk545a.mid', 'mozk545b.mid', 'mozk545c.mid']) {
    copyFileSync(corpusFile(`sonata-ish/${name}`), join(folder, name))
  }
  writeFileSync(join(folder, 'broken.mid'), 'this is not a MIDI file')
  return folder
}

/** Opens the Train view and picks a datasetFolder() in the folder dialog, up to its report. */
export async function pickDataset(page: Page, session: BridgeSession): Promise<void> {
  await page.getByTestId('view-train').click()
  session.answerDialogs(datasetFolder())
  await page.getByTestId('train-pick-folder').click()
  await expect(page.getByTestId('dataset-report')).toBeVisible()
}

/** Sizes small enough to train in seconds on two cores: one pretraining epoch and two adversarial ones. */
export const TINY: Record<string, number> = {
  'knob-model-hiddenUnits': 8,
  'knob-training-batchSize': 4,
  'knob-training-sequenceLength': 8,
  'knob-training-curriculumStartLength': 4,
  'knob-training-pretrainEpochs': 1,
  'knob-training-pretrainDiscriminatorEpochs': 0,
  'knob-training-epochs': 2,
  'knob-training-stepsPerEpoch': 3,
}

/** Opens the advanced settings and types in each knob of `knobs`, committing it. */
export async function setKnobs(page: Page, knobs: Record<string, number>): Promise<void> {
  await page.getByTestId('train-advanced-toggle').click()
  for (const [id, value] of Object.entries(knobs)) {
    const input = page.getByTestId(id)
    await input.fill(String(value))
    await input.press('Enter')
    await expect(input).toHaveValue(String(value))
  }
}
