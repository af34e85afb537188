// Accounts: first-run setup, sign in/out, joining with an invitation, password changes and
// resets, and the caretaker's management of residents.
import { timingSafeEqual } from 'node:crypto'
import createError from '@fastify/error'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from '../../config.js'
import { AttemptLimiter } from '../../lib/attempts.js'
import { newCode, normalizeCode, sha256 } from '../../lib/codes.js'
import { NotFoundError, RateLimitedError, withDetails } from '../../lib/errors.js'
import { dummyHash, hashPassword, verifyPassword } from '../../lib/passwords.js'
import { EmptySchema, IdParamsSchema } from '../../lib/schemas.js'
import { errorResponses } from '../../lib/responses.js'
import { currentUser } from '../../plugins/auth.js'
import { findValidInvite } from '../flats/store.js'
import { checkPassword } from './password-policy.js'
import {
  ChangePasswordBodySchema,
  JoinBodySchema,
  LoginBodySchema,
  MeSchema,
  PasswordResetBodySchema,
  ResetCodeSchema,
  ResidentListSchema,
  ResidentSchema,
  SetupBodySchema,
  type Me,
  type Resident,
} from './schema.js'
import { SETUP_CODE_SETTING, setupCodeMatches } from './setup.js'
import * as store from './store.js'

const SetupCodeWrongError = createError('PALIER_SETUP_CODE_WRONG', 'wrong setup code', 403)
const SetupDoneError = createError('PALIER_SETUP_DONE', 'setup already done', 409)
const BadCredentialsError = createError('PALIER_BAD_CREDENTIALS', 'wrong login or password', 401)
const AccessRevokedError = createError('PALIER_ACCESS_REVOKED', 'access revoked', 403)
const LoginTakenError = createError('PALIER_LOGIN_TAKEN', 'login already taken', 409)
const LoginInvalidError = createError('PALIER_LOGIN_INVALID', 'invalid login', 400)
const DisplayNameInvalidError = createError('PALIER_DISPLAY_NAME_INVALID', 'invalid display name', 400)
const InviteInvalidError = createError('PALIER_INVITE_INVALID', 'invalid invitation code', 400)
const ResetInvalidError = createError('PALIER_RESET_INVALID', 'invalid reset code', 400)
const WrongCurrentPasswordError = createError('PALIER_BAD_CREDENTIALS', 'wrong current password', 403)

const RESET_CODE_VALIDITY_MS = 72 * 3_600_000

export function toMe(user: store.User): Me {
  return { id: user.id, login: user.login, displayName: user.displayName, role: user.role, flat: user.flat }
}

function toResident(user: store.User): Resident {
  return {
    id: user.id,
    login: user.login,
    displayName: user.displayName,
    flatId: user.flat!.id,
    flatLabel: user.flat!.label,
    createdAt: user.createdAt,
    revokedAt: user.revokedAt,
  }
}

function checkLogin(login: string): string {
  const canonical = store.canonicalLogin(login)
  if (!store.LOGIN_PATTERN.test(canonical)) throw withDetails(new LoginInvalidError(), { field: 'login' })
  return canonical
}

function checkDisplayName(name: string): string {
  const clean = name.normalize('NFC').replace(/\s+/gu, ' ').trim()
  const length = [...clean].length
  if (length < 1 || length > 60 || /\p{Cc}/u.test(clean)) throw withDetails(new DisplayNameInvalidError(), { field: 'displayName' })
  return clean
}

/** Validates a new account's fields in the order a person fills the form. */
function checkNewAccount(body: { login: string; displayName: string; password: string }) {
  const login = checkLogin(body.login)
  const displayName = checkDisplayName(body.displayName)
  checkPassword(body.password, login)
  return { login, displayName }
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE'
}

export default async function accountsRoutes(fastify: FastifyInstance, { config }: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = app.db

  const accountLimiter = new AttemptLimiter({ freeFailures: 5, maxDelayMs: 60_000, maxPerHour: 100 }, app.now)
  const addressLimiter = new AttemptLimiter({ freeFailures: 10, maxDelayMs: 60_000, maxPerHour: 300 }, app.now)

  /** Refuses the attempt with 429 while any of the keys must wait. */
  function throttle(...keys: string[]) {
    const wait = Math.max(0, ...keys.map((k) => (k.startsWith('login:') ? accountLimiter : addressLimiter).waitFor(k)))
    if (wait > 0) throw withDetails(new RateLimitedError(), { retryAfterSeconds: Math.ceil(wait / 1000) })
  }
  function failed(...keys: string[]) {
    for (const k of keys) (k.startsWith('login:') ? accountLimiter : addressLimiter).fail(k)
  }
  const addr = (request: FastifyRequest, what: string) => `${what}:${request.ip}`

  app.post(
    '/setup',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Create the caretaker account with the one-time setup code',
        tags: ['accounts'],
        body: SetupBodySchema,
        response: { 201: MeSchema, ...errorResponses(400, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      if (store.caretakerExists(db)) throw new SetupDoneError()
      throttle(addr(request, 'setup'))
      if (!setupCodeMatches(db, config, request.body.code)) {
        failed(addr(request, 'setup'))
        throw withDetails(new SetupCodeWrongError(), { field: 'code' })
      }
      const { login, displayName } = checkNewAccount(request.body)
      const passwordHash = await hashPassword(request.body.password)
      const userId = db.transaction(() => {
        if (store.caretakerExists(db)) throw new SetupDoneError()
        const id = store.insertUser(db, { login, displayName, passwordHash, role: 'caretaker', flatId: null }, app.now())
        store.deleteSetting(db, SETUP_CODE_SETTING)
        app.startSession(request, reply, id)
        return id
      }).immediate()
      request.log.info({ userId }, 'caretaker account created')
      return reply.code(201).send(toMe(store.getUser(db, userId)!))
    },
  )

  app.post(
    '/session',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Sign in',
        tags: ['accounts'],
        body: LoginBodySchema,
        response: { 200: MeSchema, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const accountKey = 'login:' + store.canonicalLogin(request.body.login)
      const addressKey = addr(request, 'signin')
      throttle(accountKey, addressKey)
      const found = store.findLogin(db, request.body.login)
      // Unknown logins cost the same scrypt as wrong passwords: the answer and its timing agree.
      const ok = await verifyPassword(request.body.password, found?.passwordHash ?? (await dummyHash()))
      if (!found || !ok) {
        failed(accountKey, addressKey)
        throw new BadCredentialsError()
      }
      if (!found.user.active) throw new AccessRevokedError()
      accountLimiter.succeed(accountKey)
      app.startSession(request, reply, found.user.id)
      return toMe(found.user)
    },
  )

  app.delete(
    '/session',
    {
      config: { access: 'public' },
      schema: { summary: 'Sign out (ends the session on the box too)', tags: ['accounts'], response: { 204: EmptySchema } },
    },
    async (request, reply) => {
      app.endSession(request, reply)
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/me',
    {
      config: { access: 'member' },
      schema: { summary: 'Who is signed in', tags: ['accounts'], response: { 200: MeSchema, ...errorResponses(401) } },
    },
    async (request) => toMe(currentUser(request)),
  )

  app.put(
    '/me/password',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Change my password (signs out my other devices)',
        tags: ['accounts'],
        body: ChangePasswordBodySchema,
        response: { 204: EmptySchema, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const key = 'login:' + user.login
      throttle(key)
      if (!(await verifyPassword(request.body.currentPassword, store.getPasswordHash(db, user.id)!))) {
        failed(key)
        throw withDetails(new WrongCurrentPasswordError(), { field: 'currentPassword' })
      }
      checkPassword(request.body.password, user.login)
      const hash = await hashPassword(request.body.password)
      db.transaction(() => {
        store.setPasswordHash(db, user.id, hash)
        store.deleteUserSessions(db, user.id, app.sessionTokenHash(request))
      })()
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/join',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Join the building with an invitation code',
        tags: ['accounts'],
        body: JoinBodySchema,
        response: { 201: MeSchema, ...errorResponses(400, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      const key = addr(request, 'join')
      throttle(key)
      const code = normalizeCode(request.body.code)
      if (!findValidInvite(db, code, app.now())) {
        failed(key)
        throw withDetails(new InviteInvalidError(), { field: 'code' })
      }
      const { login, displayName } = checkNewAccount(request.body)
      if (store.loginTaken(db, login)) throw withDetails(new LoginTakenError(), { field: 'login' })
      const passwordHash = await hashPassword(request.body.password)
      let userId: string
      try {
        userId = db.transaction(() => {
          // Checked again: the invitation may have been revoked while the hash was computed.
          const invite = findValidInvite(db, code, app.now())
          if (!invite) throw withDetails(new InviteInvalidError(), { field: 'code' })
          const id = store.insertUser(db, { login, displayName, passwordHash, role: 'resident', flatId: invite.flatId }, app.now())
          app.startSession(request, reply, id)
          return id
        }).immediate()
      } catch (err) {
        if (isUniqueViolation(err)) throw withDetails(new LoginTakenError(), { field: 'login' })
        throw err
      }
      request.log.info({ userId }, 'resident joined')
      return reply.code(201).send(toMe(store.getUser(db, userId)!))
    },
  )

  app.post(
    '/password-reset',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Choose a new password with the one-time code the caretaker handed over',
        tags: ['accounts'],
        body: PasswordResetBodySchema,
        response: { 204: EmptySchema, ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      const key = addr(request, 'reset')
      throttle(key)
      const found = store.findLogin(db, request.body.login)
      const stored = found && store.getResetCode(db, found.user.id)
      const typed = sha256(normalizeCode(request.body.code))
      if (!found || !stored || stored.expiresAt <= app.now() || !timingSafeEqual(typed, stored.codeHash)) {
        failed(key)
        throw withDetails(new ResetInvalidError(), { field: 'code' })
      }
      checkPassword(request.body.password, found.user.login)
      const hash = await hashPassword(request.body.password)
      db.transaction(() => {
        store.setPasswordHash(db, found.user.id, hash)
        store.deleteResetCode(db, found.user.id)
        store.deleteUserSessions(db, found.user.id)
      })()
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/residents',
    {
      config: { access: 'caretaker' },
      schema: { summary: 'All residents', tags: ['residents'], response: { 200: ResidentListSchema, ...errorResponses(401, 403) } },
    },
    async () => ({ residents: store.listResidents(db).map(toResident) }),
  )

  function residentOr404(id: string): store.User {
    const user = store.getUser(db, id)
    if (!user || user.role !== 'resident') throw new NotFoundError()
    return user
  }

  app.post(
    '/residents/:id/revoke',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Withdraw a resident’s access; their sessions end at once',
        tags: ['residents'],
        params: IdParamsSchema,
        response: { 200: ResidentSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = residentOr404(request.params.id)
      db.transaction(() => store.revokeUser(db, user.id, app.now()))()
      request.log.info({ userId: user.id }, 'resident revoked')
      return toResident(store.getUser(db, user.id)!)
    },
  )

  app.post(
    '/residents/:id/reset-code',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Make a one-time password reset code for a resident (replaces any earlier one)',
        tags: ['residents'],
        params: IdParamsSchema,
        response: { 201: ResetCodeSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = residentOr404(request.params.id)
      const code = newCode(3)
      const expiresAt = app.now() + RESET_CODE_VALIDITY_MS
      store.setResetCode(db, user.id, sha256(code), expiresAt)
      return reply.code(201).send({ code, expiresAt })
    },
  )
}

