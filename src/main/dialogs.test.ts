// The dialog adapter over a recording fake of Electron's dialog module.
import type { BrowserWindow, Dialog, WebContents } from 'electron'
import { describe, expect, it } from 'vitest'
import { electronDialogs } from './dialogs'

const studio = {} as BrowserWindow
const sender = {} as WebContents

function fakeDialog(answers: { canceled: boolean; filePath?: string; filePaths?: string[] }[]) {
  const parents: unknown[] = []
  const answer = async (parent: unknown) => {
    parents.push(parent)
    return answers.shift()!
  }
  return { dialog: { showSaveDialog: answer, showOpenDialog: answer } as unknown as Dialog, parents }
}

describe('the file dialogs', () => {
  it('are attached to the window that asked and answer the chosen path, or undefined when cancelled', async () => {
    const { dialog, parents } = fakeDialog([
      { canceled: false, filePath: '/music/take.mid' },
      { canceled: true, filePath: '' },
      { canceled: false, filePaths: ['/music/etudes', '/music/other'] },
      { canceled: true, filePaths: [] },
    ])
    const dialogs = electronDialogs(dialog, () => studio)
    expect(await dialogs.save(sender, {})).toBe('/music/take.mid')
    expect(await dialogs.save(sender, {})).toBeUndefined()
    expect(await dialogs.open(sender, {})).toBe('/music/etudes')
    expect(await dialogs.open(sender, {})).toBeUndefined()
    expect(parents).toEqual([studio, studio, studio, studio])
  })

  it('refuse when the window that asked has closed', async () => {
    const dialogs = electronDialogs(fakeDialog([]).dialog, () => null)
    await expect(dialogs.open(sender, {})).rejects.toThrow('the window that asked has closed')
  })
})
