// Node, tests only. This machine as test/chromium.ts sees it: CHROMIUM_PATH, its files, and where
// Playwright keeps its own Chromium. Used by playwright.config.ts, test/swiftShader.ts and
// scripts/provideChromium.ts, so that all three choose the same browser by the same rule.
import { existsSync, realpathSync } from 'node:fs'
import { chromium } from 'playwright'
import type { ChromiumSystem } from './chromium'

function playwrightChromium(): string | null {
  try {
    return chromium.executablePath()
  } catch {
    return null // Playwright has no build for this system
  }
}

export const thisSystem: ChromiumSystem = {
  chosen: process.env.CHROMIUM_PATH || undefined,
  playwrightChromium: playwrightChromium(),
  platform: process.platform,
  isRoot: process.getuid?.() === 0,
  exists: existsSync,
  realpath(path) {
    try {
      return realpathSync(path)
    } catch {
      return path
    }
  },
}
