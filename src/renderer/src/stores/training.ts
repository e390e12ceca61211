// Browser. One training run as the Train panel drives it: the folder (picked or dropped) and its dataset
// report, the settings (a preset and the knobs changed from it), and the run's progress, charts and
// warnings, from the engine's 'training' events.
//
//   idle --pick/drop--> reading --report--> idle --start--> training --stop--> stopping --> done
//                                           (any) --resume--/  | ^               ^
//                                                        pause | | continue      |
//                                                              v |               |
//                                                            paused ---stop------/
//   training, paused or stopping ------ error or engine crash ------> failed
//
// Start trains a new library run; Resume trains an existing one further from its last checkpoint: the run
// just stopped or crashed, or an interrupted one from the library. Pause holds the running training after
// its current step, losing nothing, until Continue; the engine's 'paused' events move between the two.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, triggerRef } from 'vue'
import type { DatasetReport, EpochRecord } from '../../../shared/checkpointMeta'
import type { AppInfo, CadenzaEvent, StudioTrainingEvent, TrainingOutcome } from '../../../shared/ipcContract'
import { PRESETS, SettingsSchema, type PresetName, type Settings } from '../../../shared/modelSettings'
import type { Piece } from '../../../shared/music/piece'
import { readableError } from '../errors'
import { useServices } from '../services'
import { useCheckpointsStore } from './checkpoints'

export type TrainingStatus = 'idle' | 'reading' | 'training' | 'paused' | 'stopping' | 'done' | 'failed'
export type StepProgress = Omit<Extract<StudioTrainingEvent, { type: 'step' }>, 'type'>

/** An epoch's sample pieces, to audition or open as takes. */
export interface EpochSamples {
  epoch: number
  pieces: readonly Piece[]
}

/** D wins too easily when its accuracy stays at least this high ... */
export const D_WINS_ACCURACY = 0.95
/** ... for this many adversarial steps in a row. */
export const D_WINS_STEPS = 20
/**
 * G may have collapsed when the epoch's samples use at most this share of the distinct pitches, or of the
 * span, that the corpus has over windows of the same length.
 */
export const COLLAPSE_SHARE = 0.25

/** Per-step series for the loss chart, appended in place: a run has tens of thousands of steps. */
export interface StepSeries {
  generatorLoss: (number | null)[]
  discriminatorLoss: (number | null)[]
  discriminatorAccuracy: (number | null)[]
}

const emptySeries = (): StepSeries => ({
  generatorLoss: [],
  discriminatorLoss: [],
  discriminatorAccuracy: [],
})
const copyOf = (settings: Settings): Settings => structuredClone(settings)
const folderName = (folder: string) => folder.split(/[\\/]/).filter(Boolean).at(-1) ?? folder

export const useTrainingStore = defineStore('training', () => {
  const { api } = useServices()
  const checkpoints = useCheckpointsStore()

  const status = ref<TrainingStatus>('idle')
  const error = ref<string | null>(null)
  /** The engine's, until a training names the one it runs on. */
  const backend = ref<AppInfo['backend'] | null>(null)

  const folder = ref<string | null>(null)
  const report = shallowRef<DatasetReport | null>(null)
  const name = ref('')

  const preset = ref<PresetName>('quick')
  // Replaced whole by every change, so it stays a plain object that can cross IPC.
  const settings = shallowRef<Settings>(copyOf(PRESETS.quick))

  const runId = ref<string | null>(null)
  const outcome = ref<TrainingOutcome | null>(null)
  const filesRead = ref<{ done: number; total: number } | null>(null)
  /** How far the reading of the folder's report has got. */
  const reportRead = ref<{ done: number; total: number } | null>(null)
  const progress = shallowRef<StepProgress | null>(null)
  const series = shallowRef<StepSeries>(emptySeries())
  const epochs = shallowRef<readonly EpochRecord[]>([])
  const samples = shallowRef<readonly EpochSamples[]>([])
  /** Adversarial steps in a row in which D's accuracy was at least D_WINS_ACCURACY. */
  const dWinningSteps = ref(0)
  /** What the engine saw when an adversarial epoch collapsed and which epoch the run kept, in one line. */
  const collapse = ref<string | null>(null)

  const running = computed(() => ['training', 'paused', 'stopping'].includes(status.value))
  const busy = computed(() => status.value === 'reading' || running.value)

  /** Each invalid knob's problem by 'group.key', from the same schema main validates with. */
  const problems = computed<Record<string, string>>(() => {
    const parsed = SettingsSchema.safeParse(settings.value)
    if (parsed.success) return {}
    return Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message]))
  })
  /** The knobs that differ from the preset, as 'group.key'. */
  const changed = computed(() => {
    const base = PRESETS[preset.value]
    return (['model', 'training'] as const).flatMap((group) =>
      Object.entries(settings.value[group])
        .filter(([key, value]) => (base[group] as Record<string, unknown>)[key] !== value)
        .map(([key]) => `${group}.${key}`),
    )
  })
  const canStart = computed(
    () =>
      !busy.value &&
      folder.value !== null &&
      name.value.trim() !== '' &&
      Object.keys(problems.value).length === 0,
  )

  /** Overall progress from 0 to 1: epochs done plus the share of the current one. */
  const fraction = computed(() => {
    const step = progress.value
    if (step === null || step.epochs === 0) return 0
    return Math.min(1, (step.epoch - 1 + (step.steps === 0 ? 0 : step.step / step.steps)) / step.epochs)
  })

  const warnings = computed(() => {
    const found: string[] = []
    if (dWinningSteps.value >= D_WINS_STEPS) {
      found.push(
        `D wins too easily: its accuracy has stayed at ${D_WINS_ACCURACY * 100}% or more for ` +
          `${dWinningSteps.value} steps, so G learns little. Try feature matching, label smoothing or a lower D learning rate.`,
      )
    }
    const statistics = epochs.value.at(-1)?.sampleStatistics
    const corpus = report.value?.corpusStatistics
    const collapsed = (name: 'unique_tones' | 'tone_span') =>
      statistics![name] <= COLLAPSE_SHARE * corpus![name]
    if (statistics && corpus && (collapsed('unique_tones') || collapsed('tone_span'))) {
      found.push(
        `G may have collapsed: the last samples use ${statistics.unique_tones} distinct pitches over ` +
          `${statistics.tone_span} semitones, where your music uses ${corpus.unique_tones} over ` +
          `${corpus.tone_span}. Try a lower G learning rate or more pretraining.`,
      )
    }
    return found
  })

  /** The fast backends are native; on these two a hint says how to get one. */
  const slowBackend = computed(() => backend.value !== null && ['wasm', 'cpu'].includes(backend.value.name))

  async function loadBackend(): Promise<void> {
    try {
      backend.value = (await api.appInfo()).backend
    } catch (caught) {
      error.value = `Could not start the engine: ${readableError(caught)}`
    }
  }

  /** Takes the folder `choose` resolves to and reads its report; null (a cancelled dialog) changes nothing. */
  async function openFolder(choose: () => Promise<string | null>): Promise<void> {
    if (busy.value) return
    try {
      const chosen = await choose()
      if (chosen === null) return
      folder.value = chosen
      if (name.value.trim() === '') name.value = folderName(chosen)
      await readReport()
    } catch (caught) {
      error.value = `Could not open the folder: ${readableError(caught)}`
    }
  }

  /** Asks for a folder with a dialog. */
  const pickFolder = () => openFolder(() => api.pickMidiFolder())

  /** What was dropped on the panel: one folder, which main checks is one. */
  async function dropFolder(dropped: readonly File[]): Promise<void> {
    if (busy.value) return
    if (dropped.length !== 1) {
      error.value = 'Drop one folder of MIDI files.'
      return
    }
    await openFolder(() => api.dropMidiFolder(dropped[0]))
  }

  /** Reads the picked folder's report again, e.g. after the sequence length changed. */
  async function readReport(): Promise<void> {
    if (folder.value === null || busy.value) return
    status.value = 'reading'
    report.value = null
    reportRead.value = null
    try {
      // null: cancelled.
      report.value = await api.readDataset(folder.value, copyOf(settings.value))
      error.value = null
    } catch (caught) {
      error.value = `Could not read the dataset: ${readableError(caught)}`
    } finally {
      status.value = 'idle'
    }
  }

  /** Stops reading the folder's report; the reading then ends without one. */
  async function cancelReading(): Promise<void> {
    if (status.value !== 'reading') return
    try {
      await api.cancelReadDataset()
    } catch (caught) {
      error.value = `Could not cancel the reading: ${readableError(caught)}`
    }
  }

  function choosePreset(name: PresetName): void {
    preset.value = name
    settings.value = copyOf(PRESETS[name])
  }

  function setKnob<G extends keyof Settings>(
    group: G,
    key: keyof Settings[G],
    value: Settings[G][keyof Settings[G]],
  ) {
    settings.value = { ...settings.value, [group]: { ...settings.value[group], [key]: value } }
  }

  function resetProgress(): void {
    runId.value = null
    outcome.value = null
    filesRead.value = null
    progress.value = null
    series.value = emptySeries()
    epochs.value = []
    samples.value = []
    dWinningSteps.value = 0
    collapse.value = null
  }

  /** Whether an engine crash ended the run while startTraining was pending (a call, so TS does not narrow it). */
  const crashed = () => status.value === 'failed'

  /** The run that Resume goes on with: the last one, when it was stopped or crashed before its end. */
  const resumableId = computed(() =>
    !busy.value && (status.value === 'failed' || outcome.value?.cancelled === true) ? runId.value : null,
  )

  /** Follows one training call until it ends. */
  async function follow(call: () => Promise<TrainingOutcome | null>): Promise<void> {
    error.value = null
    status.value = 'training'
    try {
      const result = await call()
      outcome.value = result
      if (!crashed()) status.value = 'done'
    } catch (caught) {
      // A crash has already said what happened; the rejected call would only repeat it less clearly.
      if (!crashed()) error.value = `Training stopped: ${readableError(caught)}`
      status.value = 'failed'
    } finally {
      // The run is in the library now, whatever became of it.
      await checkpoints.load()
    }
  }

  /** Trains a new run; resolves when it ends. Also "Train again" after a failure or a finished run. */
  async function start(): Promise<void> {
    if (!canStart.value || folder.value === null) return
    resetProgress()
    const given = { name: name.value.trim(), settings: copyOf(settings.value), dataDir: folder.value }
    await follow(() => api.startTraining(given))
  }

  /** Trains the library run `id` further from its last checkpoint; resolves when it ends. */
  async function resume(id: string): Promise<void> {
    if (busy.value) return
    // The same run goes on with the charts it has; another starts them afresh.
    if (id !== runId.value) resetProgress()
    runId.value = id
    outcome.value = null
    progress.value = null
    await follow(() => api.resumeTraining(id, {}))
  }

  /** Pauses the training after its current step, or continues it; the engine's 'paused' event says when. */
  async function setPaused(paused: boolean): Promise<void> {
    if (status.value !== (paused ? 'training' : 'paused')) return
    try {
      await api.pauseTraining(paused)
    } catch (caught) {
      error.value = `Could not ${paused ? 'pause' : 'continue'} the training: ${readableError(caught)}`
    }
  }

  async function stop(): Promise<void> {
    if (status.value !== 'training' && status.value !== 'paused') return
    status.value = 'stopping'
    try {
      await api.cancelTraining()
    } catch (caught) {
      error.value = `Could not stop the training: ${readableError(caught)}`
    }
  }

  function onTraining(id: string, event: StudioTrainingEvent): void {
    if (!running.value) return
    runId.value = id
    switch (event.type) {
      case 'reading':
        filesRead.value = { done: event.done, total: event.total }
        break
      case 'dataset':
        // After a GPU fault the engine trains on another backend than the one it started on.
        backend.value = event.backend
        report.value = event.report
        // A run resumed after reopening the studio has no charts yet: they start with its earlier epochs.
        epochs.value = event.history
        samples.value = event.history.map(({ epoch }, i) => ({ epoch, pieces: event.samples[i] }))
        break
      case 'step': {
        progress.value = event
        const accuracy = event.discriminatorAccuracy
        dWinningSteps.value =
          event.phase === 'adversarial' && accuracy !== null && accuracy >= D_WINS_ACCURACY
            ? dWinningSteps.value + 1
            : 0
        series.value.generatorLoss.push(event.generatorLoss)
        series.value.discriminatorLoss.push(event.discriminatorLoss)
        series.value.discriminatorAccuracy.push(accuracy)
        triggerRef(series)
        break
      }
      case 'epoch':
        epochs.value = [...epochs.value, event.record]
        samples.value = [...samples.value, { epoch: event.record.epoch, pieces: event.samples }]
        break
      case 'paused':
        // A stop asked meanwhile ends the training whether it is paused or not.
        if (status.value !== 'stopping') status.value = event.paused ? 'paused' : 'training'
        break
      case 'collapse':
        collapse.value = event.message
        break
    }
  }

  function onEvent(event: CadenzaEvent): void {
    if (event.type === 'training') onTraining(event.runId, event.event)
    else if (event.type === 'dataset-reading') {
      if (status.value === 'reading') reportRead.value = { done: event.done, total: event.total }
    } else if (running.value) {
      status.value = 'failed'
      error.value =
        `The engine stopped during training (${event.reason}). ` +
        (event.restarting
          ? 'The checkpoint of the last finished epoch is in the library: Resume goes on from it.'
          : 'It will not restart: quit and reopen Cadenza.')
    }
  }
  api.onEvent(onEvent)

  function dismissError(): void {
    error.value = null
  }

  return {
    status,
    error,
    collapse,
    backend,
    folder,
    report,
    name,
    preset,
    settings,
    runId,
    outcome,
    filesRead,
    reportRead,
    progress,
    series,
    epochs,
    samples,
    resumableId,
    busy,
    running,
    problems,
    changed,
    canStart,
    fraction,
    warnings,
    slowBackend,
    loadBackend,
    pickFolder,
    dropFolder,
    readReport,
    cancelReading,
    choosePreset,
    setKnob,
    start,
    resume,
    setPaused,
    stop,
    dismissError,
  }
})
