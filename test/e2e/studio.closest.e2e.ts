// A run in the library whose closest epoch to its training pieces came before its last: its row says which,
// and Keep adds that epoch's generator to the library as a checkpoint of its own, ready to generate from.
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { expect, test } from './fixtures'

const PAPER_MODEL = resolve(import.meta.dirname, '../fixtures/paper-model')

/** A run folder of the paper model's ten epochs, as if measured: the eighth came closest. */
async function placeRun(library: string): Promise<void> {
  const run = join(library, 'nocturnes')
  const meta = JSON.parse(await readFile(join(PAPER_MODEL, 'checkpoint.json'), 'utf8')) as {
    history: { realismDistance: number }[]
  }
  meta.history.forEach((record, i) => (record.realismDistance = i === 7 ? 0.5 : 1))
  for (const [folder, history] of [
    ['checkpoint', meta.history],
    ['best', meta.history.slice(0, 8)],
  ] as const) {
    await mkdir(join(run, folder), { recursive: true })
    await cp(PAPER_MODEL, join(run, folder), { recursive: true })
    await writeFile(join(run, folder, 'checkpoint.json'), JSON.stringify({ ...meta, history }))
  }
  await writeFile(join(run, 'library-entry.json'), JSON.stringify({ name: 'Nocturnes' }))
}

test("keeps a run's closest epoch as a checkpoint of its own", async ({ page, session, saveScreenshot }) => {
  await placeRun(join(session.userData, 'checkpoints'))
  await page.getByTestId('view-checkpoints').click()
  const run = page.locator('[data-checkpoint-id="nocturnes"]')
  await expect(run.getByTestId('checkpoint-best')).toHaveText('closest to your music: epoch 8')
  await saveScreenshot('closest')
  await run.getByTestId('checkpoint-keep-best').click()

  const kept = page.getByTestId('checkpoint-row').filter({ hasText: 'Nocturnes epoch 8' })
  await expect(kept.getByTestId('checkpoint-epochs')).toHaveText('8 epochs')
  // The kept epoch is the closest of its own history: nothing more to keep from it.
  await expect(kept.getByTestId('checkpoint-keep-best')).toHaveCount(0)
  await kept.getByTestId('checkpoint-use').click()
  await expect(kept.getByTestId('checkpoint-use')).toHaveText('In use')
})
