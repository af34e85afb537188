// Flats (logements) and their invitation codes: the caretaker's side of the closed user group.
import createError from '@fastify/error'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from '../../config.js'
import { InvalidInputError, NotFoundError, withDetails } from '../../lib/errors.js'
import { EmptySchema, IdParamsSchema } from '../../lib/schemas.js'
import { errorResponses } from '../../lib/responses.js'
import { deleteFlatSessions } from '../accounts/store.js'
import { CsvLineError, parseFlatsCsv } from './csv.js'
import { invitationLetters } from './print.js'
import {
  FlatListSchema,
  FlatSchema,
  HtmlSchema,
  ImportBodySchema,
  ImportResultSchema,
  InviteListSchema,
  InviteSchema,
  NewFlatBodySchema,
  PrintQuerySchema,
} from './schema.js'
import * as store from './store.js'

const FlatLabelTakenError = createError('PALIER_FLAT_LABEL_TAKEN', 'flat label already used', 409)
const FlatRevokedError = createError('PALIER_FLAT_REVOKED', 'flat revoked', 409)
const CsvInvalidError = createError('PALIER_CSV_INVALID', 'invalid CSV', 400)

function clean(text: string | undefined): string {
  return (text ?? '').normalize('NFC').replace(/\s+/gu, ' ').trim()
}

export default async function flatsRoutes(fastify: FastifyInstance, { config }: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = app.db
  const validityMs = config.inviteValidityDays * 86_400_000

  function flatOr404(id: string): store.Flat {
    const flat = store.getFlat(db, id, app.now())
    if (!flat) throw new NotFoundError()
    return flat
  }

  /** The address residents open: the configured one, else the one the caretaker is using. */
  function baseUrl(request: FastifyRequest): string {
    return config.publicUrl ?? `${request.protocol}://${request.host}`
  }

  app.get(
    '/flats',
    {
      config: { access: 'caretaker' },
      schema: { summary: 'All flats', tags: ['flats'], response: { 200: FlatListSchema, ...errorResponses(401, 403) } },
    },
    async () => ({ flats: store.listFlats(db, app.now()) }),
  )

  app.post(
    '/flats',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Register a flat',
        tags: ['flats'],
        body: NewFlatBodySchema,
        response: { 201: FlatSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const flat = {
        label: clean(request.body.label),
        entrance: clean(request.body.entrance),
        floor: clean(request.body.floor),
        door: clean(request.body.door),
      }
      if (!flat.label) throw withDetails(new InvalidInputError('label'), { field: 'label' })
      if (store.flatLabelTaken(db, flat.label)) throw withDetails(new FlatLabelTakenError(), { field: 'label' })
      const id = store.insertFlat(db, flat, app.now())
      return reply.code(201).send(flatOr404(id))
    },
  )

  app.post(
    '/flats/import',
    {
      config: { access: 'caretaker' },
      bodyLimit: 600 * 1024,
      schema: {
        summary: 'Import flats from a CSV file (all or nothing)',
        tags: ['flats'],
        body: ImportBodySchema,
        response: { 200: ImportResultSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      let rows
      try {
        rows = parseFlatsCsv(request.body.csv)
      } catch (err) {
        if (!(err instanceof CsvLineError)) throw err
        throw withDetails(new CsvInvalidError(), { field: 'csv', params: { line: err.line, reason: '@' + err.reason } })
      }
      const now = app.now()
      const ids = db.transaction(() =>
        rows.map((row, i) => {
          if (store.flatLabelTaken(db, row.label)) {
            // Line numbers count the header: the first flat is on line 2.
            throw withDetails(new CsvInvalidError(), { field: 'csv', params: { line: i + 2, reason: '@CSV_LABEL_TAKEN' } })
          }
          return store.insertFlat(db, row, now)
        }),
      )()
      request.log.info({ count: ids.length }, 'flats imported')
      return { created: ids.length, flats: ids.map(flatOr404) }
    },
  )

  app.post(
    '/flats/:id/revoke',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Withdraw a whole flat’s access: its residents are signed out at once, its invitations cancelled',
        tags: ['flats'],
        params: IdParamsSchema,
        response: { 200: FlatSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const flat = flatOr404(request.params.id)
      db.transaction(() => {
        store.revokeFlat(db, flat.id, app.now())
        deleteFlatSessions(db, flat.id)
      })()
      request.log.info({ flatId: flat.id }, 'flat revoked')
      return flatOr404(flat.id)
    },
  )

  app.get(
    '/flats/:id/invites',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Invitation codes of a flat, newest first',
        tags: ['flats'],
        params: IdParamsSchema,
        response: { 200: InviteListSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ invites: store.listInvites(db, flatOr404(request.params.id).id) }),
  )

  app.post(
    '/flats/:id/invites',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Make an invitation code for a flat (usable by everyone in the flat until it expires)',
        tags: ['flats'],
        params: IdParamsSchema,
        response: { 201: InviteSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const flat = flatOr404(request.params.id)
      if (flat.revokedAt !== null) throw new FlatRevokedError()
      return reply.code(201).send(store.insertInvite(db, flat.id, app.now(), validityMs))
    },
  )

  app.delete(
    '/invites/:id',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Cancel an invitation code',
        tags: ['flats'],
        params: IdParamsSchema,
        response: { 204: EmptySchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      if (!store.getInvite(db, request.params.id)) throw new NotFoundError()
      store.revokeInvite(db, request.params.id, app.now())
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/print/invitations',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Printable A4 invitation letters (HTML), one per flat',
        tags: ['flats'],
        querystring: PrintQuerySchema,
        produces: ['text/html'],
        response: { 200: HtmlSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const now = app.now()
      const flats = request.query.flat
        ? request.query.flat.map(flatOr404)
        : store.listFlats(db, now).filter((f) => f.revokedAt === null && f.activeInviteCount > 0)
      const items = flats.map((flat) => ({ flat, invite: store.latestValidInvite(db, flat.id, now) }))
      const html = await invitationLetters(config.buildingName, baseUrl(request), items)
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html)
    },
  )
}
