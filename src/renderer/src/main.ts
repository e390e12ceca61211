// Renderer entry and composition root: the one place where services are created and handed to the app.
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { SERVICES, type Services } from './services'
import './theme.css'

const services: Services = { api: window.cadenza }

createApp(App).provide(SERVICES, services).use(createPinia()).mount('#app')
