// Security headers with a strict CSP, and refusal of state-changing requests from other origins
// (cookies are SameSite=Lax; this closes the rest: old browsers, subdomains, form posts).
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { CrossOriginError } from '../lib/errors.js'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Lit falls back to <style> elements on browsers without constructable stylesheets (old
  // Android WebViews), so inline styles stay allowed; inline scripts never are.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
].join(';')

// The same on every answer, so set as one constant object (a per-request header builder cost
// more than the session lookup on the hot path).
export const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-permitted-cross-domain-policies': 'none',
  'permissions-policy': 'camera=(self), geolocation=(), microphone=(), payment=()',
} as const

/** `host[:port]` with the scheme's default port made explicit, lower case. */
function hostOf(url: string): string | undefined {
  try {
    const u = new URL(url)
    return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`.toLowerCase()
  } catch {
    return undefined
  }
}

export default fp(
  async (app) => {
    /** True when a state-changing request comes from another site. */
    function crossOrigin(request: FastifyRequest): boolean {
      if (SAFE_METHODS.has(request.method)) return false
      const site = request.headers['sec-fetch-site']
      if (site !== undefined) return site !== 'same-origin' && site !== 'none'
      const origin = request.headers.origin
      // Neither header: not a browser (curl, provisioning scripts); cookies still need SameSite.
      if (origin === undefined) return false
      const from = hostOf(origin)
      return !from || from !== hostOf(`${request.protocol}://${request.host}`)
    }

    // Callback style: this runs on every request, and a promise per hook is measurable there.
    app.addHook('onRequest', (request, reply, done) => {
      reply.headers(SECURITY_HEADERS)
      // The box is reached by plain HTTP on the LAN unless it has a certificate: HSTS only on
      // HTTPS answers, so a browser never gets locked out of an HTTP-only box.
      if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=15552000')
      done(crossOrigin(request) ? new CrossOriginError() : undefined)
    })
  },
  { name: 'palier-security' },
)
