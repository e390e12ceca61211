// Dev-time: draws Cadenza's app icon (two beamed notes over piano keys) and writes every file in build/
// that electron-builder needs, with no image tools: PNGs, a Windows .ico and a macOS .icns; and the drag
// icon in resources/.
// Run `npm run icons`. The drawing is plain arithmetic (no trigonometry, no randomness), so every run gives
// the same pixels, and the same bytes with the same Node (its zlib compresses them).
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'

type Rgba = readonly [number, number, number, number]

const GOLD: Rgba = [244, 185, 66, 255]
const IVORY: Rgba = [250, 247, 240, 255]
const INK: Rgba = [27, 23, 56, 255]
const TOP: Rgba = [70, 56, 150, 255]
const BOTTOM: Rgba = [33, 27, 74, 255]

/** A rounded rectangle, in the icon's unit square (y grows downwards). */
function inRoundedRect(x: number, y: number, x0: number, y0: number, x1: number, y1: number, r: number) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false
  const dx = Math.max(x0 + r - x, x - (x1 - r), 0)
  const dy = Math.max(y0 + r - y, y - (y1 - r), 0)
  return dx * dx + dy * dy <= r * r
}

// Note heads are ellipses tilted by about 20 degrees (cos and sin written out, to stay deterministic).
const COS = 0.9397
const SIN = 0.342
function inNoteHead(x: number, y: number, cx: number, cy: number) {
  const u = (x - cx) * COS + (y - cy) * SIN
  const v = -(x - cx) * SIN + (y - cy) * COS
  return (u * u) / (0.078 * 0.078) + (v * v) / (0.055 * 0.055) <= 1
}

const HEADS = [
  { x: 0.34, y: 0.44 },
  { x: 0.62, y: 0.4 },
]
const STEM = 0.026
const STEM_TOP = 0.14
const BEAM = 0.065
const stemX = (head: { x: number }) => head.x + 0.072 - STEM

function inNotes(x: number, y: number) {
  if (HEADS.some((head) => inNoteHead(x, y, head.x, head.y))) return true
  const [first, second] = HEADS
  const slope = (second.y - first.y) / (stemX(second) - stemX(first))
  for (const head of HEADS) {
    const top = STEM_TOP + (stemX(head) - stemX(first)) * slope
    if (x >= stemX(head) && x <= stemX(head) + STEM && y >= top && y <= head.y) return true
  }
  const beamTop = STEM_TOP + (x - stemX(first)) * slope
  return x >= stemX(first) && x <= stemX(second) + STEM && y >= beamTop && y <= beamTop + BEAM
}

// Four white keys (C D E F) with the black keys of C# and D#.
const KEYS_LEFT = 0.2
const KEY_WIDTH = 0.15
const KEYS_TOP = 0.58
const KEYS_BOTTOM = 0.84
function keyAt(x: number, y: number): Rgba | null {
  if (y < KEYS_TOP || y > KEYS_BOTTOM || x < KEYS_LEFT || x > KEYS_LEFT + 4 * KEY_WIDTH) return null
  for (const boundary of [1, 2]) {
    const center = KEYS_LEFT + boundary * KEY_WIDTH
    if (Math.abs(x - center) <= 0.045 && y <= KEYS_TOP + 0.15) return INK
  }
  const inKey = (x - KEYS_LEFT) % KEY_WIDTH
  if (inKey < 0.006 || inKey > KEY_WIDTH - 0.006) return null
  return inRoundedRect(x, y, KEYS_LEFT, KEYS_TOP - 0.05, KEYS_LEFT + 4 * KEY_WIDTH, KEYS_BOTTOM, 0.025)
    ? IVORY
    : null
}

/** The colour at one point of the unit square, transparent outside the rounded background. */
function colourAt(x: number, y: number): Rgba | null {
  if (!inRoundedRect(x, y, 0.06, 0.06, 0.94, 0.94, 0.2)) return null
  if (inNotes(x, y)) return GOLD
  const key = keyAt(x, y)
  if (key) return key
  const t = (y - 0.06) / 0.88
  return [0, 1, 2, 3].map((i) => Math.round(TOP[i] + (BOTTOM[i] - TOP[i]) * t)) as unknown as Rgba
}

/** RGBA pixels of the icon at `size` x `size`, antialiased by averaging 4x4 samples per pixel. */
function render(size: number): Buffer {
  const samples = 4
  const pixels = Buffer.alloc(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0]
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = colourAt((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)
          if (!colour) continue
          // Premultiplied, so edges against transparency do not darken.
          for (let i = 0; i < 3; i++) sum[i] += colour[i] * colour[3]
          sum[3] += colour[3]
        }
      }
      const offset = (py * size + px) * 4
      for (let i = 0; i < 3; i++) pixels[offset + i] = sum[3] ? Math.round(sum[i] / sum[3]) : 0
      pixels[offset + 3] = Math.round(sum[3] / (samples * samples))
    }
  }
  return pixels
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

function encodePng(size: number, pixels: Buffer): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 6, 0, 0, 0], 8) // 8 bits per channel, RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1)) // each row starts with filter type 0
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

/** A 32-bit BMP as ICO stores it: bottom-up BGRA, height doubled, then an all-zero AND mask. */
function encodeIcoBitmap(size: number, pixels: Buffer): Buffer {
  const header = Buffer.alloc(40)
  header.writeUInt32LE(40, 0)
  header.writeInt32LE(size, 4)
  header.writeInt32LE(size * 2, 8)
  header.writeUInt16LE(1, 12)
  header.writeUInt16LE(32, 14)
  const bgra = Buffer.alloc(size * size * 4)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4
      const to = ((size - 1 - y) * size + x) * 4
      bgra.set([pixels[from + 2], pixels[from + 1], pixels[from], pixels[from + 3]], to)
    }
  }
  const maskRowBytes = Math.ceil(size / 32) * 4
  return Buffer.concat([header, bgra, Buffer.alloc(maskRowBytes * size)])
}

/** Windows icon: bitmaps up to 128 px (what every Windows tool reads), PNG at 256 px. */
function encodeIco(images: { size: number; data: Buffer }[]): Buffer {
  const directory = Buffer.alloc(6 + 16 * images.length)
  directory.writeUInt16LE(1, 2) // type 1: icon
  directory.writeUInt16LE(images.length, 4)
  let offset = directory.length
  images.forEach(({ size, data }, i) => {
    const entry = 6 + 16 * i
    directory[entry] = size % 256 // 0 means 256
    directory[entry + 1] = size % 256
    directory.writeUInt16LE(1, entry + 4) // colour planes
    directory.writeUInt16LE(32, entry + 6) // bits per pixel
    directory.writeUInt32LE(data.length, entry + 8)
    directory.writeUInt32LE(offset, entry + 12)
    offset += data.length
  })
  return Buffer.concat([directory, ...images.map((image) => image.data)])
}

/** macOS icon: PNG-compressed entries, each a 4-byte type and a 4-byte length that includes the header. */
function encodeIcns(entries: { type: string; png: Buffer }[]): Buffer {
  const blocks = entries.map(({ type, png }) => {
    const header = Buffer.alloc(8)
    header.write(type, 0, 'ascii')
    header.writeUInt32BE(png.length + 8, 4)
    return Buffer.concat([header, png])
  })
  const header = Buffer.alloc(8)
  header.write('icns', 0, 'ascii')
  header.writeUInt32BE(8 + blocks.reduce((total, block) => total + block.length, 0), 4)
  return Buffer.concat([header, ...blocks])
}

// The ICNS types and the pixel size each one holds (ic11-ic14 are the @2x variants).
const ICNS_TYPES: [string, number][] = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['ic12', 64],
  ['ic07', 128],
  ['ic13', 256],
  ['ic08', 256],
  ['ic14', 512],
  ['ic09', 512],
  ['ic10', 1024],
]
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512]

const sizes = [...new Set([...ICNS_TYPES.map(([, size]) => size), ...ICO_SIZES, ...LINUX_SIZES])]
const pixels = new Map(sizes.map((size) => [size, render(size)]))
const pngs = new Map(sizes.map((size) => [size, encodePng(size, pixels.get(size)!)]))

const buildDir = join(import.meta.dirname, '..', 'build')
mkdirSync(join(buildDir, 'icons'), { recursive: true })
writeFileSync(join(buildDir, 'icon.png'), pngs.get(1024)!)
for (const size of LINUX_SIZES) writeFileSync(join(buildDir, 'icons', `${size}x${size}.png`), pngs.get(size)!)
writeFileSync(
  join(buildDir, 'icon.ico'),
  encodeIco(
    ICO_SIZES.map((size) => ({
      size,
      data: size === 256 ? pngs.get(size)! : encodeIcoBitmap(size, pixels.get(size)!),
    })),
  ),
)
writeFileSync(
  join(buildDir, 'icon.icns'),
  encodeIcns(ICNS_TYPES.map(([type, size]) => ({ type, png: pngs.get(size)! }))),
)
// The picture under the pointer when a take is dragged out of the window: the app loads it at run time, so
// it goes to resources/, which is shipped (build/ is not).
writeFileSync(join(import.meta.dirname, '..', 'resources', 'drag-icon.png'), pngs.get(32)!)
