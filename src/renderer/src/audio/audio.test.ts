import { describe, expect, it } from 'vitest'
import { ACCENT_CLICK, BEAT_CLICK } from '../playback/metronome'
import { clickOutputPort, type ClickSound } from './clickOutputPort'
import { noteName, pianoOutputPort, type SamplerLike } from './pianoOutputPort'
import { PIANO_SAMPLE_URLS } from './pianoSamples'
import { encodeWav } from './wav'

describe('pianoOutputPort', () => {
  it('names MIDI pitches as Tone.js does', () => {
    expect([21, 60, 61, 69, 108, 0].map(noteName)).toEqual(['A0', 'C4', 'C#4', 'A4', 'C8', 'C-1'])
  })

  it('attacks and releases the sampler at the given audio times, velocity scaled to 0-1', () => {
    const calls: unknown[][] = []
    const sampler: SamplerLike = {
      triggerAttack: (...args) => calls.push(['attack', ...args]),
      triggerRelease: (...args) => calls.push(['release', ...args]),
      releaseAll: (...args) => calls.push(['releaseAll', ...args]),
    }
    const port = pianoOutputPort(sampler)
    port.noteOn(61, 127, 1.5)
    port.noteOff(61, 2)
    port.allNotesOff(2.5)
    expect(calls).toEqual([
      ['attack', 'C#4', 1.5, 1],
      ['release', 'C#4', 2],
      ['releaseAll', 2.5],
    ])
  })
})

describe('the piano samples', () => {
  it('are all 30 Salamander files, by note name, sharps included', () => {
    const notes = Object.keys(PIANO_SAMPLE_URLS)
    expect(notes).toHaveLength(30)
    expect(notes).toEqual(expect.arrayContaining(['A0', 'C4', 'D#4', 'F#7', 'A7', 'C8']))
    for (const url of Object.values(PIANO_SAMPLE_URLS)) {
      expect(url).toMatch(/\.mp3$/)
      expect(url).not.toContain('#')
    }
  })
})

describe('clickOutputPort', () => {
  it('plays accented and plain clicks, and cuts every click still to come on allNotesOff', () => {
    const played: [boolean, number, number][] = []
    const stopped: [number, number][] = []
    const sound: ClickSound = {
      play(accent, time, gain) {
        played.push([accent, time, gain])
        return { stop: (at) => stopped.push([time, at]) }
      },
    }
    const port = clickOutputPort(sound)
    port.noteOn(ACCENT_CLICK.pitch, 127, 1)
    port.noteOff(ACCENT_CLICK.pitch, 1.05)
    port.noteOn(BEAT_CLICK.pitch, 0, 1.4)
    port.allNotesOff(1.2)
    port.allNotesOff(1.3)
    expect(played).toEqual([
      [true, 1, 1],
      [false, 1.4, 0],
    ])
    expect(stopped).toEqual([
      [1, 1.2],
      [1.4, 1.2],
    ])
  })
})

describe('encodeWav', () => {
  const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const text = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at, at + 4))

  it('writes a 16-bit PCM RIFF/WAVE header and the interleaved samples', () => {
    const left = new Float32Array([0, 0.5, -0.5, 1, 2])
    const right = new Float32Array([0, -1, 0.25, -2, 0])
    const bytes = encodeWav([left, right], 44100)
    const data = view(bytes)
    expect(bytes.byteLength).toBe(44 + 5 * 2 * 2)
    expect([text(bytes, 0), text(bytes, 8), text(bytes, 12), text(bytes, 36)]).toEqual([
      'RIFF',
      'WAVE',
      'fmt ',
      'data',
    ])
    expect(data.getUint32(4, true)).toBe(bytes.byteLength - 8)
    expect(data.getUint16(20, true)).toBe(1) // PCM
    expect(data.getUint16(22, true)).toBe(2) // channels
    expect(data.getUint32(24, true)).toBe(44100)
    expect(data.getUint32(28, true)).toBe(44100 * 4) // byte rate
    expect(data.getUint16(32, true)).toBe(4) // block align
    expect(data.getUint16(34, true)).toBe(16)
    expect(data.getUint32(40, true)).toBe(20)
    const samples = Array.from({ length: 10 }, (_, i) => data.getInt16(44 + 2 * i, true))
    // Interleaved left, right; clipped to [-1, 1].
    expect(samples).toEqual([0, 0, 16383, -32768, -16384, 8191, 32767, -32768, 32767, 0])
  })

  it('encodes a sine as non-silent mono data of the right length', () => {
    const sine = Float32Array.from(
      { length: 4410 },
      (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 44100),
    )
    const bytes = encodeWav([sine], 44100)
    expect(bytes.byteLength).toBe(44 + 4410 * 2)
    expect(view(bytes).getUint16(22, true)).toBe(1)
    const peak = Math.max(
      ...Array.from({ length: 4410 }, (_, i) => Math.abs(view(bytes).getInt16(44 + 2 * i, true))),
    )
    expect(peak).toBeGreaterThan(16000)
    expect(() => encodeWav([sine, new Float32Array(3)], 44100)).toThrow(RangeError)
    expect(() => encodeWav([], 44100)).toThrow(RangeError)
  })
})
