// Browser. Keeps the player on the current take: a new take is loaded (playback goes back to the start), an
// edit of the same take is an update (playback goes on where it is).
import { watch } from 'vue'
import type { Player } from '../playback/player'
import type { useTakesStore } from '../stores/takes'

export function useTakePlayback(player: Player, takes: ReturnType<typeof useTakesStore>): void {
  watch(
    () => takes.current,
    (take, previous) => {
      if (!take) player.stop()
      else if (take.id !== previous?.id) player.load(take.piece)
      else if (take.piece !== previous.piece) player.update(take.piece)
    },
    { immediate: true },
  )
}
