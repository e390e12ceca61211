// The API the preload exposes on `window.cadenza`, shared with the renderer's type checking.
export interface CadenzaApi {
  readonly version: string
}

declare global {
  interface Window {
    readonly cadenza: CadenzaApi
  }
}
