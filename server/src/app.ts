// Builds the box's HTTP app from its config. Never listens: main.ts does, tests inject.
import Fastify, { LogController, type FastifyInstance, type FastifyPluginAsync, type FastifyReply } from 'fastify'
import { readFileSync } from 'node:fs'
import type http from 'node:http'
import type https from 'node:https'
import type { AddressInfo } from 'node:net'
import swagger from '@fastify/swagger'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { fileURLToPath } from 'node:url'
import type { Config } from './config.js'
import { serializerCompiler, validatorCompiler } from './lib/validation.js'
import { pickLanguage } from './lib/language.js'
import { translate } from './i18n/messages.js'
import { VERSION } from './version.js'
import dbPlugin from './plugins/db.js'
import errorsPlugin from './plugins/errors.js'
import securityPlugin, { SECURITY_HEADERS } from './plugins/security.js'
import authPlugin from './plugins/auth.js'
import webPlugin from './plugins/web.js'
import health from './features/health/index.js'
import accounts from './features/accounts/index.js'
import flats from './features/flats/index.js'
import notices from './features/notices/index.js'
import incidents from './features/incidents/index.js'
import files from './features/files/index.js'
import exchange from './features/exchange/index.js'
import network, { networkService, welcomePages } from './features/network/index.js'
import { networkPlan, type NetworkPlan } from './net/plan.js'

/** The features, in the order they are registered under /api/v1. Add new ones here. */
const features: FastifyPluginAsync<{ config: Config }>[] = [health, accounts, flats, notices, incidents, files, exchange, network]

export interface AppOptions {
  /** Folder of the built web app (default: web/dist of this checkout). */
  webDir?: string
  /** The clock; tests move it forward to expire sessions and codes. */
  now?: () => number
  /** The kernel's ARP table, where the captive portal finds a device's MAC address without a lease (default /proc/net/arp). */
  arpFile?: string
  /** How often the lease file and the ARP table may be re-read, in ms (default 1000). */
  netCheckMs?: number
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Starts HTTPS (the same app) when the box has a certificate; resolves to its address, or null
     * without one. Defaults: config.httpsPort on config.host.
     */
    listenHttps(options?: { port?: number; host?: string }): Promise<string | null>
  }
}

/** The certificate and key, checked; an unusable pair turns HTTPS off rather than the whole box. */
async function loadTls(plan: NetworkPlan): Promise<{ tls?: https.ServerOptions; error?: Error }> {
  if (!plan.https) return {}
  try {
    const tls = { cert: readFileSync(plan.https.certFile), key: readFileSync(plan.https.keyFile) }
    // node:tls and node:https are loaded only for a box with a certificate (≈ 1 MB of idle RSS).
    const { createSecureContext } = await import('node:tls')
    createSecureContext(tls)
    return { tls }
  } catch (err) {
    return { error: err as Error }
  }
}

export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url))

export async function buildApp(config: Config, options: AppOptions = {}): Promise<FastifyInstance> {
  let plan = networkPlan(config)
  const { tls, error: tlsError } = await loadTls(plan)
  const servers = tls ? { http: await import('node:http'), https: await import('node:https') } : undefined
  if (tlsError) {
    const { https: _, ...withoutHttps } = plan
    plan = withoutHttps
  }
  let httpsServer: https.Server | undefined
  const app = Fastify({
    // One handler for plain HTTP and, with a certificate, HTTPS: the same routes and hooks
    // (request.protocol tells them apart).
    // Without a certificate, Fastify's own server (a custom factory measured ≈ 8 µs more CPU per
    // request in `make bench`).
    serverFactory: !tls ? undefined : (handler, fastifyOptions) => {
      const opts = fastifyOptions as { keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number }
      const tune = <S extends http.Server>(server: S): S => {
        if (opts.keepAliveTimeout) server.keepAliveTimeout = opts.keepAliveTimeout
        if (opts.requestTimeout !== undefined) server.requestTimeout = opts.requestTimeout
        if (opts.connectionTimeout !== undefined) server.setTimeout(opts.connectionTimeout)
        return server
      }
      httpsServer = tune(servers!.https.createServer(tls, handler))
      return tune(servers!.http.createServer(handler))
    },
    logger: { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: 64 * 1024,
    // Access logs would mean a journal write per request on an SD card; the error handler
    // still logs every 5xx.
    logController: new LogController({ disableRequestLogging: true }),
    frameworkErrors: (err, request, reply: FastifyReply) => {
      // Malformed URLs and the like never reach a route: answer them in the usual error format.
      const lang = pickLanguage(request.headers['accept-language'], config.defaultLanguage)
      const status = (err as { statusCode?: number }).statusCode ?? 400
      const code = status >= 500 ? 'PALIER_INTERNAL' : 'PALIER_BAD_REQUEST'
      // Answered before any hook runs, so the security headers are set here too.
      void reply
        .headers(SECURITY_HEADERS)
        .code(status)
        .type('application/json; charset=utf-8')
        .send(JSON.stringify({ code, message: translate(lang, code) }))
      request.log.debug({ err }, 'bad request')
    },
  }).withTypeProvider<TypeBoxTypeProvider>()
  if (tlsError) app.log.error({ err: tlsError, certFile: config.tlsCertFile, keyFile: config.tlsKeyFile }, 'HTTPS off: the certificate or key cannot be used')
  app.decorate('listenHttps', async (opts: { port?: number; host?: string } = {}) => {
    const server = httpsServer
    if (!server) return null
    const host = opts.host ?? config.host
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(opts.port ?? config.httpsPort, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    const { address, port } = server.address() as AddressInfo
    return `https://${address.includes(':') ? `[${address}]` : address}:${port}`
  })
  app.addHook('onClose', async () => {
    const server = httpsServer
    if (!server?.listening) return
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeIdleConnections()
      // Requests still running get a moment, as on the HTTP side, then their sockets are closed.
      setTimeout(() => server.closeAllConnections(), 3000).unref()
    })
  })
  app.setValidatorCompiler(validatorCompiler())
  app.setSerializerCompiler(serializerCompiler())

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Palier', version: VERSION, description: 'The building intranet box API.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'palier' } } },
    },
  })
  await app.register(errorsPlugin, { config })
  await app.register(dbPlugin, { dataDir: config.dataDir, now: options.now })
  // Before the security and session hooks: the phones' connectivity probes get their answer with
  // no session or database work.
  await app.register(networkService, { config, plan, arpFile: options.arpFile, checkMs: options.netCheckMs })
  await app.register(securityPlugin)
  await app.register(authPlugin, { config })
  for (const feature of features) await app.register(feature, { prefix: '/api/v1', config })
  await app.register(welcomePages, { config })
  await app.register(webPlugin, { webDir: options.webDir ?? DEFAULT_WEB_DIR })
  await app.ready()
  return app
}
