// The captive network (gateway mode) and the caretaker's view of the LAN: the probes hook and
// network service (probes.ts, registered before the security and session hooks), the RFC 8908
// and caretaker API (routes.ts, under /api/v1) and the welcome pages (welcome-routes.ts).
export { default as networkService, type Network } from './probes.js'
export { default as welcomePages } from './welcome-routes.js'
export { default } from './routes.js'
