// Builds the box's HTTP app from its config. Never listens: main.ts does, tests inject.
import Fastify, { LogController, type FastifyInstance, type FastifyPluginAsync, type FastifyReply } from 'fastify'
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

/** The features, in the order they are registered under /api/v1. Add new ones here. */
const features: FastifyPluginAsync<{ config: Config }>[] = [health, accounts, flats, notices, incidents, files, exchange]

export interface AppOptions {
  /** Folder of the built web app (default: web/dist of this checkout). */
  webDir?: string
  /** The clock; tests move it forward to expire sessions and codes. */
  now?: () => number
}

export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url))

export async function buildApp(config: Config, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
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
  await app.register(securityPlugin)
  await app.register(authPlugin, { config })
  for (const feature of features) await app.register(feature, { prefix: '/api/v1', config })
  await app.register(webPlugin, { webDir: options.webDir ?? DEFAULT_WEB_DIR })
  await app.ready()
  return app
}
