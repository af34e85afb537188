// Entry point: loads the interface language, then starts the app and the service worker.
import './polyfills.js'
import { initialLanguage, setLanguage } from './i18n/locale.js'
import './palier-app.js'

async function start(): Promise<void> {
  try {
    await setLanguage(initialLanguage(), false)
  } catch {
    // The catalogue chunk could not load (offline, no service worker): French is bundled.
    await setLanguage('fr', false)
  }
  // Added only now, so that the first render is already in the right language.
  const boot = document.getElementById('boot')
  const app = document.createElement('palier-app')
  if (boot) boot.replaceWith(app)
  else document.body.append(app)
}

// Service workers only run in a secure context (HTTPS, or localhost while developing).
function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((err: unknown) => {
      console.warn('service worker not registered', err)
    })
  })
}

void start()
registerServiceWorker()
