// Node (engine). Loads a native shared library that is not a Node addon (the Vulkan loader), so that a
// later dlopen of its name by native code finds it already loaded.
import { constants } from 'node:os'

/** glibc's flag that keeps a library loaded after dlclose; Node's os.constants leaves it out. */
const RTLD_NODELETE = 0x1000

/** Whether `nameOrPath` could be loaded: a bare name is searched for as the system's loader searches. */
export function loadSharedLibrary(nameOrPath: string): boolean {
  try {
    process.dlopen({ exports: {} }, nameOrPath, constants.dlopen.RTLD_NOW | RTLD_NODELETE)
  } catch (error) {
    // process.dlopen loads the library, then throws because it registered no addon; it stays loaded.
    return String(error).includes('did not self-register')
  }
  return true
}
