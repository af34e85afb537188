// The service worker: keeps the app shell (index.html, scripts, icon) so the app opens without
// the box, and answers every page address with index.html. The API is never cached: it always
// goes to the network, so nobody sees someone else's data or stale data.
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] }

// Filled in by workbox-build's injectManifest at build time. No skipWaiting(): a new version
// waits until the old pages are closed, so an open page never asks for chunks that the new
// version's cache no longer holds.
precacheAndRoute(self.__WB_MANIFEST)
cleanupOutdatedCaches()

registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    // Printable letters and any other server page under /api/ must reach the box.
    denylist: [/^\/api\//],
  }),
)
