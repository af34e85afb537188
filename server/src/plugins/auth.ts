// Sessions and access control. Every route declares `config.access` (public, member, caretaker);
// a route without one refuses to register, so nothing is reachable by accident. The check runs
// on request, before the body is even parsed.
import fp from 'fastify-plugin'
import cookie from '@fastify/cookie'
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify'
import type { Config } from '../config.js'
import { ForbiddenError, UnauthenticatedError } from '../lib/errors.js'
import { newToken, sha256 } from '../lib/codes.js'
import createError from '@fastify/error'
import * as accounts from '../features/accounts/store.js'

export const SessionExpiredError = createError('PALIER_SESSION_EXPIRED', 'session expired', 401)

export type Access = 'public' | 'member' | 'caretaker'
const ACCESS: readonly Access[] = ['public', 'member', 'caretaker']

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
  }
  interface FastifyRequest {
    /** The signed-in person; set on every non-public route. */
    user: accounts.User | null
  }
  interface FastifyInstance {
    startSession(request: FastifyRequest, reply: FastifyReply, userId: string): void
    endSession(request: FastifyRequest, reply: FastifyReply): void
    sessionTokenHash(request: FastifyRequest): Buffer | undefined
  }
}

// Don't rewrite last_seen on every request: an SD card lives longer with fewer writes.
const TOUCH_EVERY_MS = 60_000

export default fp<{ config: Config }>(
  async (app, { config }) => {
    await app.register(cookie)
    const idleMs = {
      resident: config.residentIdleDays * 86_400_000,
      caretaker: config.caretakerIdleMinutes * 60_000,
    }

    const cookieName = (request: FastifyRequest) => (request.protocol === 'https' ? '__Host-palier' : 'palier')

    app.decorateRequest('user', null)

    app.decorate('sessionTokenHash', (request: FastifyRequest) => {
      const token = request.cookies[cookieName(request)]
      return token ? sha256(token) : undefined
    })

    app.decorate('startSession', (request: FastifyRequest, reply: FastifyReply, userId: string) => {
      // A fresh token at every login: a token planted before login is worth nothing after it.
      const old = app.sessionTokenHash(request)
      if (old) accounts.deleteSession(app.db, old)
      const token = newToken()
      accounts.insertSession(app.db, sha256(token), userId, app.now())
      reply.setCookie(cookieName(request), token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
      })
    })

    app.decorate('endSession', (request: FastifyRequest, reply: FastifyReply) => {
      const hash = app.sessionTokenHash(request)
      if (hash) accounts.deleteSession(app.db, hash)
      reply.clearCookie(cookieName(request), { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' })
    })

    /** Who is calling, from the session cookie; throws the refusal. */
    function authenticate(request: FastifyRequest, role: 'member' | 'caretaker'): void {
      const hash = app.sessionTokenHash(request)
      if (!hash) throw new UnauthenticatedError()
      const session = accounts.getSession(app.db, hash)
      if (!session) throw new UnauthenticatedError()
      const now = app.now()
      if (!session.user.active) {
        accounts.deleteSession(app.db, hash)
        throw new UnauthenticatedError()
      }
      if (now - session.lastSeenAt > idleMs[session.user.role]) {
        accounts.deleteSession(app.db, hash)
        throw new SessionExpiredError()
      }
      if (now - session.lastSeenAt > TOUCH_EVERY_MS) accounts.touchSession(app.db, hash, now)
      if (role === 'caretaker' && session.user.role !== 'caretaker') throw new ForbiddenError()
      request.user = session.user
    }

    // Each protected route gets its own check as a route-level hook (after the cookie parser):
    // public routes pay nothing, and the hot path needs no per-request lookup of its options.
    const checkFor =
      (role: 'member' | 'caretaker'): onRequestHookHandler =>
      (request, _reply, done) => {
        try {
          authenticate(request, role)
          done()
        } catch (err) {
          done(err as Error)
        }
      }
    const checks = { member: checkFor('member'), caretaker: checkFor('caretaker') }

    app.addHook('onRoute', (route) => {
      const access = route.config?.access
      if (!access || !ACCESS.includes(access)) {
        throw new Error(`route ${route.method} ${route.url} declares no valid config.access (${ACCESS.join(' | ')})`)
      }
      if (route.schema) {
        const schema = route.schema as Record<string, unknown>
        schema['x-access'] = access
        if (access !== 'public') schema.security = [{ session: [] }]
      }
      if (access !== 'public') {
        const existing = route.onRequest ? [route.onRequest].flat() : []
        route.onRequest = [...existing, checks[access]]
      }
    })

    const purge = () => accounts.purgeIdleSessions(app.db, app.now(), idleMs.resident, idleMs.caretaker)
    purge()
    const timer = setInterval(purge, 3_600_000)
    timer.unref()
    app.addHook('onClose', async () => clearInterval(timer))
  },
  { name: 'palier-auth', dependencies: ['palier-db'] },
)

/** The signed-in user of a member or caretaker route (the access hook guarantees it). */
export function currentUser(request: FastifyRequest): accounts.User {
  if (!request.user) throw new UnauthenticatedError()
  return request.user
}

