// Runs anywhere (pure). 16-bit PCM WAV bytes from rendered audio, for "Export WAV"; the encoding itself is
// the small, well-used `audiobuffer-to-wav`, given an AudioBuffer-shaped view of the channels.
import audioBufferToWav from 'audiobuffer-to-wav'

/** One or two channels of equal length, samples in [-1, 1] (clipped beyond). */
export function encodeWav(channels: readonly Float32Array[], sampleRate: number): Uint8Array<ArrayBuffer> {
  if (channels.length < 1 || channels.length > 2) throw new RangeError('a WAV export has one or two channels')
  const length = channels[0].length
  if (channels.some((channel) => channel.length !== length)) throw new RangeError('channels differ in length')
  if (!(sampleRate > 0 && Number.isInteger(sampleRate)))
    throw new RangeError('the sample rate must be a positive integer')
  const buffer = {
    numberOfChannels: channels.length,
    sampleRate,
    length,
    duration: length / sampleRate,
    getChannelData: (channel: number) => channels[channel],
  }
  // The library reads only the fields above.
  return new Uint8Array(audioBufferToWav(buffer as unknown as AudioBuffer))
}
