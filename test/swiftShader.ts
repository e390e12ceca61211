// Node, tests only. Makes Dawn find SwiftShader, the software Vulkan GPU that Debian's chromium package
// ships, so that the WebGPU backend runs in tests on machines without a GPU and without a Vulkan loader of
// their own (libvulkan1 is not installed on the build machines; chromium carries its own copy). Call it
// before the first selectBackend('webgpu') of the process.
import { join } from 'node:path'
import { loadSharedLibrary } from '../src/engine/process/sharedLibrary'

const CHROMIUM_LIBRARIES = '/usr/lib/chromium'

export function useSwiftShader(): void {
  // Read by the Vulkan loader when Dawn creates its instance.
  process.env.VK_ICD_FILENAMES = join(CHROMIUM_LIBRARIES, 'vk_swiftshader_icd.json')
  // Loaded by path, the loader answers Dawn's dlopen("libvulkan.so.1") by its soname.
  const loader = join(CHROMIUM_LIBRARIES, 'libvulkan.so.1')
  if (!loadSharedLibrary(loader)) throw new Error(`${loader} could not be loaded: is chromium installed?`)
}
