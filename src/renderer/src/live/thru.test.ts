import { describe, expect, it } from 'vitest'
import type { OutputPort } from '../playback/outputPort'
import { Thru } from './thru'

function setup(settings = { piano: true, outputs: true }) {
  const piano: string[] = []
  const sent: number[][] = []
  const port: OutputPort = {
    noteOn: (pitch, velocity, time) => piano.push(`on ${pitch} ${velocity} @${time}`),
    noteOff: (pitch, time) => piano.push(`off ${pitch} @${time}`),
    allNotesOff: () => piano.push('all off'),
  }
  const thru = new Thru(
    { piano: port, now: () => 2, sendToOutputs: (data) => sent.push([...data]) },
    settings,
  )
  const play = (...data: number[]) => thru.message({ input: 'keys', data, timestamp: 0 })
  return { thru, piano, sent, play }
}

describe('Thru', () => {
  it('sends the played bytes to the outputs and sounds the piano at once, the pedal holding released keys', () => {
    const { piano, sent, play } = setup()
    play(0x90, 60, 100)
    play(0xb0, 64, 127)
    play(0x80, 60, 0)
    play(0x90, 62, 90)
    play(0x90, 62, 0)
    expect(piano).toEqual(['on 60 100 @2', 'on 62 90 @2'])
    play(0xb0, 64, 0)
    expect(piano.slice(2)).toEqual(['off 60 @2', 'off 62 @2'])
    expect(sent).toEqual([
      [0x90, 60, 100],
      [0xb0, 64, 127],
      [0x80, 60, 0],
      [0x90, 62, 90],
      [0x90, 62, 0],
      [0xb0, 64, 0],
    ])
  })

  it('ends what an unplugged input left sounding, on the piano and the outputs', () => {
    const { thru, piano, sent, play } = setup()
    play(0x91, 60, 100)
    play(0xb1, 64, 127)
    play(0x91, 64, 100)
    play(0x81, 64, 0)
    sent.length = 0
    thru.unplugged('keys')
    expect(sent).toEqual([
      [0x81, 60, 0],
      [0x81, 64, 0],
      [0xb1, 64, 0],
    ])
    expect(piano.slice(-2)).toEqual(['off 60 @2', 'off 64 @2'])
    thru.unplugged('keys')
    expect(sent).toHaveLength(3)
  })

  it('sends only where it is on, and ends the held notes where it is turned off', () => {
    const { thru, piano, sent, play } = setup({ piano: false, outputs: true })
    play(0x90, 60, 100)
    expect(piano).toEqual([])
    thru.configure({ outputs: false, piano: true })
    expect(sent).toEqual([
      [0x90, 60, 100],
      [0x80, 60, 0],
    ])
    play(0x90, 62, 100)
    expect(sent).toHaveLength(2)
    expect(piano).toEqual(['on 62 100 @2'])
  })
})
