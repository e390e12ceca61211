// Browser. A window event listener for as long as the calling component is mounted.
import { onBeforeUnmount, onMounted } from 'vue'

export function useWindowListener<K extends keyof WindowEventMap>(
  name: K,
  listener: (event: WindowEventMap[K]) => void,
): void {
  onMounted(() => window.addEventListener(name, listener))
  onBeforeUnmount(() => window.removeEventListener(name, listener))
}
