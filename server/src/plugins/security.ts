// Security headers with a strict CSP, and refusal of state-changing requests from other origins
// (cookies are SameSite=Lax; this closes the rest: old browsers, subdomains, form posts).
import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'
import { CrossOriginError } from '../lib/errors.js'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export default fp(
  async (app) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Lit falls back to <style> elements on browsers without constructable stylesheets
          // (old Android WebViews), so inline styles stay allowed; inline scripts never are.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          workerSrc: ["'self'"],
          manifestSrc: ["'self'"],
        },
      },
      // The box is reached by plain HTTP on the LAN unless it has a certificate: HSTS is set
      // only on HTTPS answers (below) so a browser never gets locked out of an HTTP-only box.
      strictTransportSecurity: false,
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: 'same-origin' },
    })

    app.addHook('onRequest', async (request, reply) => {
      if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=15552000')
      if (SAFE_METHODS.has(request.method)) return
      const site = request.headers['sec-fetch-site']
      if (site !== undefined) {
        if (site !== 'same-origin' && site !== 'none') throw new CrossOriginError()
        return
      }
      const origin = request.headers.origin
      if (origin !== undefined) {
        let host: string
        try {
          host = new URL(origin).host
        } catch {
          throw new CrossOriginError()
        }
        if (host !== request.host) throw new CrossOriginError()
      }
      // Neither header: not a browser (curl, provisioning scripts); cookies still need SameSite.
    })
  },
  { name: 'palier-security' },
)
