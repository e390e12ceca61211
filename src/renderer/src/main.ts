// Renderer entry: mounts the studio's Vue app with its Pinia store.
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'

createApp(App).use(createPinia()).mount('#app')
