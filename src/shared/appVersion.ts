// Runs anywhere. The app's version, from package.json, for checkpoints, recipes and --version.
import packageJson from '../../package.json'

export const APP_VERSION: string = packageJson.version
