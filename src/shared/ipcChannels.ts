// Runs anywhere; free of runtime dependencies, as the sandboxed preload bundles it. The names of the
// studio's IPC operations and channels; their arguments and results are typed in ipcContract.ts.
export const OPERATIONS = [
  'appInfo',
  'listCheckpoints',
  'renameCheckpoint',
  'duplicateCheckpoint',
  'keepBestEpoch',
  'removeCheckpoint',
  'revealCheckpoint',
  'exportCheckpoint',
  'importCheckpoint',
  'generate',
  'startTraining',
  'resumeTraining',
  'cancelTraining',
  'pauseTraining',
  'pickMidiFile',
  'pickMidiFolder',
  'dropMidiFolder',
  'readDataset',
  'cancelReadDataset',
  'saveTake',
  'dragTake',
  'saveWav',
] as const
export type Operation = (typeof OPERATIONS)[number]

/** The ipcMain.handle channel of an operation. */
export const channelOf = (operation: Operation) => `cadenza:${operation}` as const

/** The one channel on which main sends events (CadenzaEvent) to the renderer. */
export const EVENT_CHANNEL = 'cadenza:event'
