import { describe, expect, it, vi } from 'vitest'
import type { DatasetReport, EpochRecord } from '../../../shared/checkpointMeta'
import type {
  CadenzaApi,
  CadenzaEvent,
  StudioTrainingEvent,
  TrainingOutcome,
} from '../../../shared/ipcContract'
import { PRESETS, type Settings } from '../../../shared/modelSettings'
import type { Statistics } from '../../../shared/music/statistics'
import { fakeApi, installServices, pieceOf } from '../testing/fakeServices'
import { D_WINS_STEPS, useTrainingStore } from './training'

const REPORT: DatasetReport = {
  filesRead: 2,
  filesSkipped: [{ file: '/music/broken.mid', error: 'truncated: the MIDI header is incomplete' }],
  heldOut: [],
  notes: 900,
  polyphony: 0.3,
  tempoRange: [90, 120],
  steps: 400,
  sequences: 12,
}

const step = (
  overrides: Partial<Extract<StudioTrainingEvent, { type: 'step' }>> = {},
): StudioTrainingEvent => ({
  type: 'step',
  phase: 'adversarial',
  epoch: 2,
  epochs: 4,
  step: 5,
  steps: 10,
  generatorLoss: 1.5,
  discriminatorLoss: 0.7,
  discriminatorAccuracy: 0.6,
  generatorFrozen: false,
  discriminatorFrozen: false,
  tokensPerSecond: 1200,
  secondsLeft: 30,
  ...overrides,
})

const statistics = (overrides: Partial<Statistics> = {}): Statistics => ({
  num_tones: 60,
  scale_consistency: 0.9,
  tone_span: 24,
  unique_tones: 14,
  intensity_span: 40,
  polyphony: 0.3,
  repetitions_3: 1,
  ...overrides,
})

/** The backend the fake engine's trainings run on. */
const WASM = { name: 'wasm', description: 'WebAssembly (CPU, 2 threads)', reason: 'forced' }

const SAMPLE = pieceOf([0, 1, 60, 90], [1, 1, 64, 80])

const epochRecord = (sampleStatistics: Statistics | null, number = 1): EpochRecord => ({
  epoch: number,
  phase: 'adversarial',
  generatorLoss: 1,
  discriminatorLoss: 1,
  discriminatorAccuracy: 0.5,
  generatorFrozenSteps: 0,
  discriminatorFrozenSteps: 0,
  sampleStatistics,
  realismDistance: 0.9,
  temperature: null,
  temperatureScales: null,
  repetition: null,
  rhythmOverlap: 0.8,
  classifierAccuracy: 0.75,
  seconds: 3,
})

const epoch = (sampleStatistics: Statistics | null, number = 1): StudioTrainingEvent => ({
  type: 'epoch',
  record: epochRecord(sampleStatistics, number),
  samples: [SAMPLE],
})

/** A store on a fake API whose training runs until the test ends it; calls are recorded. */
function setup(operations: Partial<CadenzaApi> = {}) {
  let listener: (event: CadenzaEvent) => void = () => {}
  let finish: (outcome: TrainingOutcome) => void = () => {}
  let fail: (error: Error) => void = () => {}
  const calls: unknown[][] = []
  installServices({
    api: fakeApi({
      onEvent: (given) => ((listener = given), () => {}),
      listCheckpoints: async () => [],
      pickMidiFolder: async () => '/music/Etudes',
      readDataset: async (...args) => (calls.push(['readDataset', ...args]), REPORT),
      startTraining: (...args) =>
        new Promise((resolve, reject) => {
          calls.push(['startTraining', ...args])
          finish = resolve
          fail = reject
        }),
      resumeTraining: (...args) =>
        new Promise((resolve, reject) => {
          calls.push(['resumeTraining', ...args])
          finish = resolve
          fail = reject
        }),
      cancelTraining: async () => (calls.push(['cancelTraining']), true),
      pauseTraining: async (...args) => (calls.push(['pauseTraining', ...args]), true),
      ...operations,
    }),
  })
  const store = useTrainingStore()
  const send = (event: StudioTrainingEvent) => listener({ type: 'training', runId: 'run-1', event })
  return {
    store,
    calls,
    send,
    /** Any event from main, as it arrives. */
    emit: (event: CadenzaEvent) => listener(event),
    finish: (o: TrainingOutcome) => finish(o),
    fail: (e: Error) => fail(e),
  }
}

async function readyToTrain(operations: Partial<CadenzaApi> = {}) {
  const harness = setup(operations)
  await harness.store.pickFolder()
  return harness
}

describe('the training store', () => {
  it('reads the report of a picked folder with the current settings, naming the run after the folder', async () => {
    const { store, calls } = setup()
    expect(store.canStart).toBe(false)
    const picking = store.pickFolder()
    await Promise.resolve()
    expect(store.status).toBe('reading')
    await picking
    expect(store.status).toBe('idle')
    expect(store.folder).toBe('/music/Etudes')
    expect(store.name).toBe('Etudes')
    expect(store.report).toEqual(REPORT)
    expect(calls).toEqual([['readDataset', '/music/Etudes', PRESETS.quick]])
    expect(store.canStart).toBe(true)
  })

  it("shows how far the folder's reading has got, and cancels it", async () => {
    let answer: (report: null) => void = () => {}
    const cancels: string[] = []
    const { store, emit } = setup({
      readDataset: () => new Promise((resolve) => (answer = resolve)),
      cancelReadDataset: async () => (cancels.push('cancel'), answer(null), true),
    })
    const picking = store.pickFolder()
    await vi.waitFor(() => expect(store.status).toBe('reading'))
    emit({ type: 'dataset-reading', done: 120, total: 3240 })
    expect(store.reportRead).toEqual({ done: 120, total: 3240 })
    await store.cancelReading()
    await picking
    expect(cancels).toEqual(['cancel'])
    expect(store.status).toBe('idle')
    expect(store.report).toBeNull()
    expect(store.error).toBeNull()
  })

  it('changes nothing when the folder dialog is cancelled, and keeps a failed read as a message', async () => {
    const { store } = setup({
      pickMidiFolder: async () => null,
    })
    await store.pickFolder()
    expect(store.folder).toBeNull()

    const failing = setup({
      readDataset: () =>
        Promise.reject(
          new Error("Error invoking remote method 'readDataset': Error: /x: no .mid or .midi files in it"),
        ),
    })
    await failing.store.pickFolder()
    expect(failing.store.error).toBe('Could not read the dataset: /x: no .mid or .midi files in it')
    expect(failing.store.status).toBe('idle')
    expect(failing.store.report).toBeNull()
  })

  it('reads the report of a dropped folder as of a picked one, and keeps a refused drop as a message', async () => {
    const dropped: File[] = []
    const { store, calls, finish } = setup({
      dropMidiFolder: async (file) => {
        dropped.push(file)
        if (file.name === 'song.mid') {
          throw new Error(
            "Error invoking remote method 'cadenza:dropMidiFolder': Error: cadenza:dropMidiFolder: " +
              '/music/song.mid is not a folder: drop a folder of MIDI files',
          )
        }
        return `/music/${file.name}`
      },
    })
    const song = new File([], 'song.mid')
    await store.dropFolder([song])
    expect(store.error).toBe(
      'Could not open the folder: cadenza:dropMidiFolder: /music/song.mid is not a folder: drop a folder of MIDI files',
    )
    expect(store.folder).toBeNull()

    await store.dropFolder([new File([], 'Nocturnes'), new File([], 'Etudes')])
    expect(store.error).toBe('Drop one folder of MIDI files.')

    const folder = new File([], 'Nocturnes')
    await store.dropFolder([folder])
    expect(dropped).toEqual([song, folder])
    expect(store.folder).toBe('/music/Nocturnes')
    expect(store.name).toBe('Nocturnes')
    expect(store.report).toEqual(REPORT)
    expect(store.error).toBeNull()
    expect(calls).toEqual([['readDataset', '/music/Nocturnes', PRESETS.quick]])

    // Not while it trains.
    const training = store.start()
    await store.dropFolder([new File([], 'Etudes')])
    expect(dropped).toEqual([song, folder])
    finish({ runId: 'run-1', completedEpochs: 2, cancelled: false })
    await training
    expect(store.folder).toBe('/music/Nocturnes')
  })

  it('starts from a preset, tracks the knobs changed from it, and refuses invalid settings', async () => {
    const { store } = await readyToTrain()
    store.setKnob('training', 'epochs', 7)
    store.setKnob('model', 'hiddenUnits', 0)
    expect(store.changed).toEqual(['model.hiddenUnits', 'training.epochs'])
    expect(store.problems).toEqual({ 'model.hiddenUnits': 'Too small: expected number to be >=1' })
    expect(store.canStart).toBe(false)
    store.choosePreset('paper')
    expect(store.settings).toEqual(PRESETS.paper)
    expect(store.changed).toEqual([])
    expect(store.canStart).toBe(true)
    store.name = '  '
    expect(store.canStart).toBe(false)
  })

  it('does not let a knob change the preset itself', async () => {
    const { store } = await readyToTrain()
    store.setKnob('training', 'optimizer', 'sgd')
    expect(PRESETS.quick.training.optimizer).toBe('adam')
  })

  it('follows a run from start to a stop, with progress, per-step series and epochs', async () => {
    const { store, calls, send, finish } = await readyToTrain()
    const settings: Settings = structuredClone(PRESETS.quick)
    const training = store.start()
    expect(store.status).toBe('training')
    expect(calls.at(-1)).toEqual(['startTraining', { name: 'Etudes', settings, dataDir: '/music/Etudes' }])

    send({ type: 'reading', done: 1, total: 3 })
    send({ type: 'dataset', backend: WASM, report: REPORT, history: [], samples: [] })
    send(step({ generatorLoss: 2 }))
    send(step({ phase: 'pretrain', discriminatorLoss: null, discriminatorAccuracy: null }))
    send(epoch(statistics()))
    expect(store.runId).toBe('run-1')
    expect(store.filesRead).toEqual({ done: 1, total: 3 })
    expect(store.progress).toMatchObject({ epoch: 2, epochs: 4, step: 5, steps: 10, tokensPerSecond: 1200 })
    expect(store.fraction).toBeCloseTo(1.5 / 4)
    expect(store.series).toEqual({
      generatorLoss: [2, 1.5],
      discriminatorLoss: [0.7, null],
      discriminatorAccuracy: [0.6, null],
    })
    expect(store.epochs).toHaveLength(1)
    expect(store.samples).toEqual([{ epoch: 1, pieces: [SAMPLE] }])
    expect(store.warnings).toEqual([])
    expect(store.resumableId).toBeNull()

    await store.stop()
    expect(store.status).toBe('stopping')
    expect(calls.at(-1)).toEqual(['cancelTraining'])
    finish({ runId: 'run-1', completedEpochs: 1, cancelled: true })
    await training
    expect(store.status).toBe('done')
    expect(store.outcome).toEqual({ runId: 'run-1', completedEpochs: 1, cancelled: true })
    expect(store.resumableId).toBe('run-1')

    // Resuming the same run goes on with its charts.
    const resumed = store.resume('run-1')
    expect(calls.at(-1)).toEqual(['resumeTraining', 'run-1', {}])
    expect(store.status).toBe('training')
    expect(store.resumableId).toBeNull()
    send({
      type: 'dataset',
      backend: WASM,
      report: REPORT,
      history: [epochRecord(statistics(), 1)],
      samples: [[SAMPLE]],
    })
    send(epoch(statistics(), 2))
    expect(store.epochs.map((record) => record.epoch)).toEqual([1, 2])
    expect(store.samples.map((entry) => entry.epoch)).toEqual([1, 2])
    finish({ runId: 'run-1', completedEpochs: 2, cancelled: false })
    await resumed
    expect(store.status).toBe('done')
    expect(store.resumableId).toBeNull()
  })

  it('pauses and continues a run as the engine tells, keeping its progress, and stops it while paused', async () => {
    const { store, calls, send, finish } = await readyToTrain()
    const training = store.start()
    await store.setPaused(false)
    expect(calls.filter(([name]) => name === 'pauseTraining')).toEqual([])
    send(step())

    await store.setPaused(true)
    expect(calls.at(-1)).toEqual(['pauseTraining', true])
    // The engine's event, not the call, says the training holds.
    expect(store.status).toBe('training')
    send({ type: 'paused', paused: true })
    expect(store.status).toBe('paused')
    expect(store.busy).toBe(true)
    expect(store.running).toBe(true)
    expect(store.progress).toMatchObject({ step: 5, secondsLeft: 30 })
    // The step under way when it paused still counts.
    send(step({ step: 6 }))
    expect(store.status).toBe('paused')
    expect(store.progress).toMatchObject({ step: 6 })

    await store.setPaused(false)
    expect(calls.at(-1)).toEqual(['pauseTraining', false])
    send({ type: 'paused', paused: false })
    expect(store.status).toBe('training')

    send({ type: 'paused', paused: true })
    await store.stop()
    expect(calls.at(-1)).toEqual(['cancelTraining'])
    expect(store.status).toBe('stopping')
    send({ type: 'paused', paused: false })
    expect(store.status).toBe('stopping')
    await store.setPaused(true)
    expect(calls.at(-1)).toEqual(['cancelTraining'])
    finish({ runId: 'run-1', completedEpochs: 1, cancelled: true })
    await training
    expect(store.status).toBe('done')
    expect(store.resumableId).toBe('run-1')
  })

  it('keeps a failed pause as a message, and fails a paused run when the engine crashes', async () => {
    const { store, send, emit, fail } = await readyToTrain({
      pauseTraining: () =>
        Promise.reject(new Error("Error invoking remote method 'pauseTraining': Error: the engine stopped")),
    })
    const training = store.start()
    await store.setPaused(true)
    expect(store.error).toBe('Could not pause the training: the engine stopped')
    send({ type: 'paused', paused: true })
    emit({
      type: 'engine-crashed',
      reason: 'the engine stopped unexpectedly (signal SIGKILL)',
      restarting: true,
    })
    fail(new Error("Error invoking remote method 'startTraining': Error: the engine stopped"))
    await training
    expect(store.status).toBe('failed')
    expect(store.error).toMatch(/^The engine stopped during training .* Resume goes on from it\.$/)
    expect(store.resumableId).toBe('run-1')
  })

  it('resumes an interrupted run of the library with charts that start at its checkpoint, but not while another trains', async () => {
    const { store, calls, send, emit, finish } = await readyToTrain()
    const training = store.start()
    send(epoch(statistics()))
    await store.resume('older-run')
    expect(calls.filter(([name]) => name === 'resumeTraining')).toEqual([])
    finish({ runId: 'run-1', completedEpochs: 1, cancelled: false })
    await training

    void store.resume('older-run')
    expect(calls.at(-1)).toEqual(['resumeTraining', 'older-run', {}])
    expect(store.runId).toBe('older-run')
    expect(store.epochs).toEqual([])
    expect(store.samples).toEqual([])
    // The engine sends the epochs in the run's checkpoint and their samples; the charts and the list of
    // samples start with them.
    const history = [epochRecord(statistics(), 1), epochRecord(statistics({ tone_span: 30 }), 2)]
    const older = (event: StudioTrainingEvent) => emit({ type: 'training', runId: 'older-run', event })
    const second = pieceOf([0, 2, 67, 70])
    older({ type: 'dataset', backend: WASM, report: REPORT, history, samples: [[SAMPLE], [SAMPLE, second]] })
    older(epoch(statistics(), 3))
    expect(store.epochs).toEqual([...history, epochRecord(statistics(), 3)])
    expect(store.samples).toEqual([
      { epoch: 1, pieces: [SAMPLE] },
      { epoch: 2, pieces: [SAMPLE, second] },
      { epoch: 3, pieces: [SAMPLE] },
    ])
  })

  it('warns when D wins too easily for several adversarial steps, and forgets it when it stops winning', async () => {
    const { store, send } = await readyToTrain()
    void store.start()
    for (let i = 0; i < D_WINS_STEPS - 1; i++) send(step({ discriminatorAccuracy: 0.97 }))
    expect(store.warnings).toEqual([])
    send(step({ discriminatorAccuracy: 0.99 }))
    expect(store.warnings).toEqual([expect.stringMatching(/^D wins too easily: .* for 20 steps/)])
    send(step({ discriminatorAccuracy: 0.8 }))
    expect(store.warnings).toEqual([])
  })

  it("warns when the epoch's samples use a small share of the corpus's pitches or span", async () => {
    const { store, send } = await readyToTrain()
    void store.start()
    const corpusStatistics = statistics({ unique_tones: 20, tone_span: 30 })
    send({
      type: 'dataset',
      backend: WASM,
      report: { ...REPORT, corpusStatistics },
      history: [],
      samples: [],
    })
    send(epoch(null))
    send(epoch(statistics({ unique_tones: 6, tone_span: 12 })))
    expect(store.warnings).toEqual([])
    send(epoch(statistics({ unique_tones: 5, tone_span: 12 })))
    expect(store.warnings).toEqual([
      'G may have collapsed: the last samples use 5 distinct pitches over 12 semitones, where your music ' +
        'uses 20 over 30. Try a lower G learning rate or more pretraining.',
    ])
    send(epoch(statistics({ unique_tones: 10, tone_span: 7 })))
    expect(store.warnings).toHaveLength(1)
  })

  it('does not judge collapse without statistics of the corpus (a checkpoint from before them)', async () => {
    const { store, send } = await readyToTrain()
    void store.start()
    send({ type: 'dataset', backend: WASM, report: REPORT, history: [], samples: [] })
    send(epoch(statistics({ unique_tones: 1, tone_span: 0 })))
    expect(store.warnings).toEqual([])
  })

  it('ignores training events when it is not running a training', async () => {
    const { store, send } = await readyToTrain()
    send(step())
    expect(store.progress).toBeNull()
    expect(store.runId).toBeNull()
  })

  it('fails with a readable message when the engine crashes, and resumes the run or trains a new one', async () => {
    const { store, send, emit, fail, calls } = await readyToTrain()
    const training = store.start()
    send(step())
    emit({
      type: 'engine-crashed',
      reason: 'the engine stopped unexpectedly (exit code 134)',
      restarting: true,
    })
    fail(new Error("Error invoking remote method 'startTraining': Error: the engine stopped"))
    await training
    expect(store.status).toBe('failed')
    expect(store.error).toBe(
      'The engine stopped during training (the engine stopped unexpectedly (exit code 134)). ' +
        'The checkpoint of the last finished epoch is in the library: Resume goes on from it.',
    )
    expect(store.canStart).toBe(true)
    expect(store.resumableId).toBe('run-1')

    const resumed = store.resume('run-1')
    expect(calls.at(-1)).toEqual(['resumeTraining', 'run-1', {}])
    expect(store.error).toBeNull()
    fail(new Error("Error invoking remote method 'resumeTraining': CheckpointError: no checkpoint"))
    await resumed
    expect(store.error).toBe('Training stopped: no checkpoint')

    void store.start()
    expect(store.status).toBe('training')
    expect(store.progress).toBeNull()
    expect(store.error).toBeNull()
    expect(calls.filter(([name]) => name === 'startTraining')).toHaveLength(2)
  })

  it('fails with the reason when the training itself fails', async () => {
    const { store, fail } = await readyToTrain()
    const training = store.start()
    fail(new Error("Error invoking remote method 'startTraining': DatasetError: no piece has 64 steps"))
    await training
    expect(store.status).toBe('failed')
    expect(store.error).toBe('Training stopped: no piece has 64 steps')
  })

  it('names the backend a run trains on, which after a GPU fault is not the one the engine started on', async () => {
    const started = { name: 'webgpu', description: 'WebGPU (GPU: apple metal-3)', reason: 'forced' }
    const { store, send, finish } = await readyToTrain({
      appInfo: async () => ({ version: '1', backend: started }),
    })
    await store.loadBackend()
    expect(store.backend).toEqual(started)
    expect(store.slowBackend).toBe(false)

    const training = store.start()
    send({ type: 'dataset', backend: WASM, report: REPORT, history: [], samples: [] })
    expect(store.backend).toEqual(WASM)
    expect(store.slowBackend).toBe(true)
    finish({ runId: 'run-1', completedEpochs: 1, cancelled: false })
    await training
    expect(store.backend).toEqual(WASM)
  })

  it('hints at a native backend when the engine runs on WebAssembly or plain JavaScript', async () => {
    for (const [name, slow] of [
      ['wasm', true],
      ['cpu', true],
      ['tensorflow', false],
    ] as const) {
      const { store } = setup({
        appInfo: async () => ({ version: '1', backend: { name, description: name, reason: 'forced' } }),
      })
      await store.loadBackend()
      expect(store.backend?.name).toBe(name)
      expect(store.slowBackend).toBe(slow)
    }
  })
})
