// Node, from source only (tsx: the command line in a checkout, the tests). Worker threads do not inherit
// tsx from the thread that starts them, so the file readers' workers register it before loading the worker.
import { register } from 'tsx/esm/api'

register()
export default (await import('./readWorker.ts')).default
