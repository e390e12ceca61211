// Browser. An event listener on an element for as long as the calling component is mounted.
import { onBeforeUnmount, onMounted, type Ref } from 'vue'

export function useListener<K extends keyof HTMLElementEventMap>(
  target: Ref<HTMLElement | null>,
  name: K,
  listener: (event: HTMLElementEventMap[K]) => void,
): void {
  // Not passive: the wheel handler calls preventDefault.
  onMounted(() => target.value?.addEventListener(name, listener, { passive: false }))
  onBeforeUnmount(() => target.value?.removeEventListener(name, listener))
}
