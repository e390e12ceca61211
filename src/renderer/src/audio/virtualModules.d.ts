// The module electron.vite.config.ts makes from the piano's recordings: URLs by note name.
declare module 'virtual:piano-samples' {
  const samples: Readonly<Record<string, string>>
  export default samples
}
