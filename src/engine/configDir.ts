// Node (engine). The per-user folder where the engine keeps what it learns about this machine (how fast
// each backend trains, backendSpeed.ts): the folder Electron calls the studio's userData, so the studio and
// the command line share it, or CADENZA_CONFIG_DIR where that is set (tests set it to a temporary folder).
import { homedir } from 'node:os'
import { join } from 'node:path'

export const CONFIG_DIR_VARIABLE = 'CADENZA_CONFIG_DIR'

/** Electron's app.getPath('userData') for the product name Cadenza, on each system. */
function userDataDir(): string {
  const { env, platform } = process
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Cadenza')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Cadenza')
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'Cadenza')
}

export function configDir(): string {
  return process.env[CONFIG_DIR_VARIABLE] || userDataDir()
}
