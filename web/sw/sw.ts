// The service worker: keeps the app shell (index.html, scripts, icon) so the app opens without
// the box, and answers every page address with index.html. The API goes to the network, with one
// exception: the notice board's list (GET /api/v1/notices) is kept, the last answer only, so the
// board can still be read when the phone is out of the Wi-Fi's reach. That copy is marked with a
// header, so the page says it is showing a saved version; it is deleted at sign-out.
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import { NetworkFirst } from 'workbox-strategies'

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] }

/** Same names as web/src/api/client.ts and web/src/palier-app.ts. */
const BOARD_CACHE = 'palier-board'
const FROM_CACHE_HEADER = 'x-palier-from-cache'

// Filled in by workbox-build's injectManifest at build time. No skipWaiting(): a new version
// waits until the old pages are closed, so an open page never asks for chunks that the new
// version's cache no longer holds.
precacheAndRoute(self.__WB_MANIFEST)
cleanupOutdatedCaches()

// The first install takes the open page at once (there is no older version to clash with), so
// the board it loads next is already kept for offline reading. Later versions still wait.
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()))

registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    // Printable letters and any other server page under /api/ must reach the box, and so must the
    // captive welcome pages (server-rendered; they record "Entrer" for this device).
    denylist: [/^\/api\//, /^\/bienvenue(\/|$)/],
  }),
)

// The board: the box first; after 4 s without an answer (weak signal) or when it cannot be
// reached, the last saved board. Only full answers (200) are saved; a 304 is the browser's
// business. Nothing else under /api/ is ever stored.
registerRoute(
  ({ url, request, sameOrigin }) => sameOrigin && request.method === 'GET' && url.pathname === '/api/v1/notices',
  new NetworkFirst({
    cacheName: BOARD_CACHE,
    networkTimeoutSeconds: 4,
    plugins: [
      {
        cacheWillUpdate: async ({ response }) => (response.status === 200 ? response : null),
        // Only called when the saved copy is used instead of the network's answer.
        cachedResponseWillBeUsed: async ({ cachedResponse }) => {
          if (!cachedResponse) return cachedResponse
          const headers = new Headers(cachedResponse.headers)
          headers.set(FROM_CACHE_HEADER, '1')
          return new Response(await cachedResponse.blob(), { status: cachedResponse.status, statusText: cachedResponse.statusText, headers })
        },
      },
    ],
  }),
)
