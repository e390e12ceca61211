// Type declarations for the renderer's build: .vue single-file components, and the preload's API, whose
// type is derived from the IPC contract (src/shared/ipcContract.ts).
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

interface Window {
  readonly cadenza: import('../../shared/ipcContract').CadenzaApi
}
