// Node, tests only. Makes Dawn find SwiftShader, the software Vulkan GPU that Chromium ships beside its
// binary, so that the WebGPU backend runs in tests on machines without a GPU and without a Vulkan loader of
// their own (libvulkan1 is not installed on the build machines; Chromium carries its own copy). The
// Chromium is the one the end-to-end tests run (test/chromium.ts), which `npm test` provides first. Call it
// before the first selectBackend('webgpu') of the process.
import { loadSharedLibrary } from '../src/engine/process/sharedLibrary'
import { findChromium, swiftShaderBeside } from './chromium'
import { thisSystem } from './chromiumSystem'

export function useSwiftShader(): void {
  const chromium = findChromium(thisSystem)
  const swiftShader = chromium === null ? null : swiftShaderBeside(chromium, thisSystem)
  if (swiftShader === null) {
    throw new Error(
      `No SwiftShader beside ${chromium ?? 'a Chromium'}: \`npm test\` provides a Chromium that ships it ` +
        '(scripts/provideChromium.ts), or set CHROMIUM_PATH to one.',
    )
  }
  // Read by the Vulkan loader when Dawn creates its instance.
  process.env.VK_ICD_FILENAMES = swiftShader.icd
  // Loaded by path, the loader answers Dawn's dlopen("libvulkan.so.1") by its soname.
  if (!loadSharedLibrary(swiftShader.loader)) throw new Error(`${swiftShader.loader} could not be loaded`)
}
