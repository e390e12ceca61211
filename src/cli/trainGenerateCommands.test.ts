// Runs `cadenza train`, `info` and `generate` in child processes, as a user would.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { cadenza } from '../../test/cadenzaCli'
import { describe, expect, it } from 'vitest'
import { PIANO_MIDI_DE_DIR, SONATA_DIR } from '../../test/corpus'
import { midiToPiece } from '../shared/music/midiToPiece'
import { CANDIDATE_TEMPERATURES } from '../engine/model/temperature'

const tiny = [
  '--pretrain-d-epochs',
  '0',
  '--hidden',
  '8',
  '--batch',
  '4',
  '--seq-len',
  '8',
  '--curriculum-start',
  '4',
  '--steps-per-epoch',
  '2',
]

describe('cadenza train, info and generate', () => {
  it('trains, describes and generates from a run folder', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cadenza-cli-')), 'run')
    const trained = await cadenza(
      'train',
      '--data',
      SONATA_DIR,
      '--out',
      out,
      ...tiny,
      '--pretrain-epochs',
      '1',
      '--epochs',
      '1',
    )
    expect(trained.code).toBe(0)
    expect(trained.stderr).toMatch(
      /^backend: wasm \(WebAssembly \(CPU, (\d+ threads|one thread)\)\): the only fast backend that starts here$/m,
    )
    expect(trained.stderr).toMatch(/read 50 files \(0 skipped\), \d+ notes/)
    expect(trained.stderr).toContain('done; checkpoint after 2 epochs')
    expect(trained.stderr).toMatch(
      /^epoch 2 \(adversarial\): .*, realism \d+\.\d{3}, rhythm overlap \d\.\d{3}, classifier \d\.\d{2}, at temperature \d/m,
    )
    expect(trained.stderr).toMatch(
      new RegExp(
        `^closest to the training pieces: epoch [12] \\(distance \\d+\\.\\d{3}\\), its generator: ${join(out, 'best')}$`,
        'm',
      ),
    )

    const info = await cadenza('info', '--json', out)
    expect(info.code).toBe(0)
    const meta = JSON.parse(info.stdout) as {
      history: unknown[]
      settings: { model: { hiddenUnits: number } }
    }
    expect(meta.history).toHaveLength(2)
    expect(meta.settings.model.hiddenUnits).toBe(8)
    // A run that has left pretraining pretrains no more: one line says so.
    const more = await cadenza('train', '--data', SONATA_DIR, '--out', out, ...tiny, '--pretrain-epochs', '2')
    expect(more.code).not.toBe(0)
    expect(more.stderr).toContain(
      `${join(out, 'checkpoint')}: this run has left pretraining and cannot pretrain more`,
    )
    expect((await cadenza('info', out)).stdout).toMatch(
      /^epoch +phase +G loss +D loss +D accuracy +realism +rhythm overlap +distance +classifier +at temperature /m,
    )

    const folder = join(out, 'generated')
    const generated = await cadenza(
      'generate',
      '--checkpoint',
      out,
      '--seed',
      '5',
      '--count',
      '3',
      '--length',
      '32',
      '--out',
      folder,
    )
    expect(generated.code).toBe(0)
    const files = readdirSync(folder).sort()
    expect(files).toEqual(['variation-01.mid', 'variation-02.mid', 'variation-03.mid'])
    const recipe = JSON.parse(midiToPiece(readFileSync(join(folder, files[1]))).recipe!)
    // Without --temperature, the checkpoint's own: the candidate its last epoch measured closest.
    const temperature = Number(/^temperature: ([\d.]+) \(the checkpoint's\)$/m.exec(generated.stderr)?.[1])
    expect(CANDIDATE_TEMPERATURES).toContain(temperature)
    expect(recipe).toMatchObject({ seed: 5, variation: 1, length: 32, temperature })

    const single = join(out, 'one.mid')
    expect(
      (await cadenza('generate', '--checkpoint', out, '--seed', '5', '--length', '32', '--out', single)).code,
    ).toBe(0)
    expect(readFileSync(single).equals(readFileSync(join(folder, files[0])))).toBe(true)
  })

  it('holds files out, and eval measures generated pieces against them with the lists it wrote', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cadenza-cli-')), 'run')
    const args = [...tiny, '--pretrain-epochs', '1', '--epochs', '0', '--samples', '2', '--holdout', '0.2']
    const trained = await cadenza('train', '--data', join(PIANO_MIDI_DE_DIR, 'Mozart'), '--out', out, ...args)
    expect(trained.code).toBe(0)
    expect(trained.stderr).toMatch(/read 15 files \(0 skipped, 3 held out\), \d+ notes/)
    const heldOutList = join(out, 'heldout-files.txt')
    expect(trained.stderr).toContain(`held out 3 files, neither trained on nor counted above: ${heldOutList}`)
    expect((await cadenza('info', out)).stdout).toContain('data: 15 files (0 skipped, 3 held out)')

    const trainingList = join(out, 'training-files.txt')
    const samples = join(out, 'samples')
    const run = await cadenza(
      'eval',
      '--json',
      '--window',
      '20',
      '--real',
      heldOutList,
      '--train',
      trainingList,
      samples,
    )
    expect(run).toMatchObject({ code: 0, stderr: '' })
    const [first, second, summary] = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    const trainedOn = readFileSync(trainingList, 'utf8')
    for (const sample of [first, second]) {
      expect(sample.longest_copied_run).toBeGreaterThan(0)
      expect(trainedOn).toContain(basename(sample.copied_from as string))
    }
    expect(summary.real_windows).toBeGreaterThan(0)
  })

  it('says what is wrong in one line and exits non-zero', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'cadenza-empty-'))
    const cases: [string[], string][] = [
      [
        ['train', '--data', empty, '--out', join(empty, 'run')],
        `cadenza: ${empty}: no .mid, .midi or .rmi files in it\n`,
      ],
      [
        ['train', '--data', SONATA_DIR, '--out', empty, '--batch', '0'],
        'cadenza: --batch: Too small: expected number to be >=1\n',
      ],
      [
        ['generate', '--checkpoint', empty, '--out', join(empty, 'x.mid')],
        `cadenza: ${empty}: not a Cadenza checkpoint (no checkpoint.json)\n`,
      ],
      [['info', empty], `cadenza: ${empty}: not a Cadenza checkpoint (no checkpoint.json)\n`],
    ]
    for (const [args, message] of cases) {
      const result = await cadenza(...args)
      expect(result.code).toBe(2)
      expect(
        result.stderr
          .split('\n')
          .filter((line) => !line.startsWith('backend:'))
          .join('\n'),
      ).toBe(message)
    }
    const temperature = await cadenza('generate', '--temperature', '3', '--out', join(empty, 'x.mid'))
    expect(temperature.code).toBe(2)
    expect(temperature.stderr).toContain('expected a number from 0 to 2')
  })
})
