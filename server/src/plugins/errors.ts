// One error handler for the whole app: JSON `{code, message, field?}` with the message from the
// catalogue in the request's language; 5xx details are logged, never shown.
import fp from 'fastify-plugin'
import type { FastifyError } from 'fastify'
import type { Config } from '../config.js'
import { translate } from '../i18n/messages.js'
import { pickLanguage } from '../lib/language.js'
import type { ErrorDetails } from '../lib/errors.js'
import { formatSize } from '../lib/sizes.js'
import type { Language } from '../config.js'

declare module 'fastify' {
  interface FastifyRequest {
    lang: Language
  }
}

const GENERIC: Record<number, string> = {
  400: 'PALIER_BAD_REQUEST',
  404: 'PALIER_NOT_FOUND',
  405: 'PALIER_BAD_REQUEST',
  413: 'PALIER_TOO_LARGE',
  415: 'PALIER_UNSUPPORTED_MEDIA_TYPE',
}

/** The field named by an Ajv error: `/login` → `login`, a missing property → its name. */
function fieldOf(err: FastifyError): string {
  const first = err.validation?.[0]
  if (!first) return err.validationContext ?? 'body'
  const missing = (first.params as { missingProperty?: string } | undefined)?.missingProperty
  const path = first.instancePath.replace(/^\//, '').replace(/\//g, '.')
  return [path, missing].filter(Boolean).join('.') || err.validationContext || 'body'
}

export default fp<{ config: Config }>(
  async (app, { config }) => {
    app.decorateRequest('lang', {
      getter(this: { headers: Record<string, string | string[] | undefined> }) {
        const h = this.headers['accept-language']
        return pickLanguage(Array.isArray(h) ? h[0] : h, config.defaultLanguage)
      },
    })

    app.setErrorHandler((err: FastifyError & ErrorDetails, request, reply) => {
      const lang = request.lang
      if (err.validation) {
        const field = fieldOf(err)
        return reply.code(400).send({ code: 'PALIER_INVALID_INPUT', message: translate(lang, 'PALIER_INVALID_INPUT', { field })!, field })
      }
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500
      // 507 (storage full) is a domain answer, not a failure of the box.
      if (status >= 500 && !(status === 507 && err.code?.startsWith('PALIER_'))) {
        request.log.error({ err, url: request.url, method: request.method }, 'request failed')
        return reply.code(status).send({ code: 'PALIER_INTERNAL', message: translate(lang, 'PALIER_INTERNAL')! })
      }
      const code = err.code?.startsWith('PALIER_') ? err.code : (GENERIC[status] ?? 'PALIER_BAD_REQUEST')
      if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds))
      // A parameter written '@CODE' is itself a catalogue entry (e.g. the reason a CSV line failed).
      const params: Record<string, string | number> = { seconds: err.retryAfterSeconds ?? '', field: err.field ?? '' }
      for (const [k, v] of Object.entries(err.params ?? {})) {
        // A number under a key ending in Bytes is a size, written out in the reader's language.
        if (typeof v === 'number' && k.endsWith('Bytes')) params[k] = formatSize(v, lang)
        else params[k] = typeof v === 'string' && v.startsWith('@') ? (translate(lang, v.slice(1)) ?? v.slice(1)) : v
      }
      const body: { code: string; message: string; field?: string } = { code, message: translate(lang, code, params) ?? err.message }
      if (err.field) body.field = err.field
      return reply.code(status).send(body)
    })

    app.setNotFoundHandler((request, reply) => {
      reply.code(404).send({ code: 'PALIER_NOT_FOUND', message: translate(request.lang, 'PALIER_NOT_FOUND')! })
    })
  },
  { name: 'palier-errors' },
)
