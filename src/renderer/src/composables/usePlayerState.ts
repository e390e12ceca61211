// Browser. The player's transport state (playing, loop, tempo, metronome) as reactive state for templates;
// the playhead is not in it (read it with positionQuarters() in requestAnimationFrame).
import { onBeforeUnmount, shallowRef, type ShallowRef } from 'vue'
import type { Player, PlayerState } from '../playback/player'

export function usePlayerState(player: Player): Readonly<ShallowRef<PlayerState>> {
  const state = shallowRef(player.state)
  const unsubscribe = player.onChange((next) => (state.value = next))
  onBeforeUnmount(unsubscribe)
  return state
}
