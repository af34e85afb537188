// Incident reports ("Signaler un problème"): residents report and say "moi aussi", the caretaker
// triages, the reporters confirm the fix. Inside-a-flat reports are private to that flat and the
// caretaker: to anyone else they do not exist (404, photo included).
import createError from '@fastify/error'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import type { Config } from '../../config.js'
import { translate } from '../../i18n/messages.js'
import { InvalidInputError, NotFoundError, withDetails } from '../../lib/errors.js'
import { newId } from '../../lib/ids.js'
import { errorResponses } from '../../lib/responses.js'
import { IdParamsSchema } from '../../lib/schemas.js'
import { currentUser } from '../../plugins/auth.js'
import { createNotice, getNotice } from '../notices/store.js'
import { NoticeSchema } from '../notices/schema.js'
import { NotAnImageError, checkDeclaredLength, saveImage, sendImage, sweepPartialUploads } from '../notices/images.js'
import {
  AffectedBodySchema,
  AffectedResultSchema,
  ConfirmBodySchema,
  IncidentListSchema,
  IncidentSchema,
  ListQuerySchema,
  MergeBodySchema,
  MessageBodySchema,
  NewIncidentBodySchema,
  NoticeFromIncidentBodySchema,
  PhotoBytesSchema,
  PhotoParamsSchema,
  PhotoSchema,
  SimilarQuerySchema,
  StatusBodySchema,
} from './schema.js'
import * as store from './store.js'

const BadTransitionError = createError('PALIER_BAD_TRANSITION', 'status change not allowed', 409)
const IncidentClosedError = createError('PALIER_INCIDENT_CLOSED', 'incident closed', 409)
const ResidentsOnlyError = createError('PALIER_RESIDENTS_ONLY', 'residents only', 403)
const NotAffectedError = createError('PALIER_NOT_AFFECTED', 'only affected households may answer', 403)
const NotReporterError = createError('PALIER_NOT_REPORTER', 'only the reporter may add the photo', 403)
const PhotoTooLateError = createError('PALIER_PHOTO_TOO_LATE', 'photo only while the report is new', 409)
const CannotMergeError = createError('PALIER_CANNOT_MERGE', 'these incidents cannot be merged', 409)
const IncidentPrivateError = createError('PALIER_INCIDENT_PRIVATE', 'a private incident cannot become a notice', 409)

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp']

function clean(text: string): string {
  return text.normalize('NFC').trim()
}

function cleanLine(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim()
}

function viewerOf(request: FastifyRequest): store.Viewer {
  const user = currentUser(request)
  return { userId: user.id, flatId: user.flat?.id ?? null, caretaker: user.role === 'caretaker' }
}

export default async function incidentsRoutes(fastify: FastifyInstance, _opts: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = app.db
  const photosDir = path.join(app.filesDir, 'incidents')
  await sweepPartialUploads(photosDir)

  // Photos arrive as raw image bodies; the handler streams them (this scope only).
  app.addContentTypeParser(IMAGE_TYPES, (_request, payload, done) => done(null, payload))

  /** The incident if this person may see it; otherwise it does not exist for them. */
  function visibleOr404(request: FastifyRequest, id: string): store.IncidentRecord {
    const incident = store.getIncident(db, id)
    if (!incident || !store.canSee(incident, viewerOf(request))) throw new NotFoundError()
    return incident
  }

  function view(request: FastifyRequest, id: string) {
    const incident = store.incidentView(db, id, viewerOf(request))
    if (!incident) throw new NotFoundError()
    return incident
  }

  app.get(
    '/incidents',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Incidents the caller may see, newest first (at most 200)',
        tags: ['incidents'],
        querystring: ListQuerySchema,
        response: { 200: IncidentListSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => ({ incidents: store.listIncidents(db, viewerOf(request), request.query.status) }),
  )

  app.get(
    '/incidents/similar',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Open incidents of the same category at the same place (shown before a new report)',
        tags: ['incidents'],
        querystring: SimilarQuerySchema,
        response: { 200: IncidentListSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { category, placeKind, placeDetail } = request.query
      return { incidents: store.listSimilar(db, viewerOf(request), category, placeKind, placeDetail) }
    },
  )

  app.post(
    '/incidents',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Report a problem; the reporter’s household counts as affected',
        tags: ['incidents'],
        body: NewIncidentBodySchema,
        response: { 201: IncidentSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const { category, place, contactOk } = request.body
      const description = clean(request.body.description)
      if (!description) throw withDetails(new InvalidInputError('description'), { field: 'description' })
      // "Inside my flat" needs a flat: the caretaker reports common areas only.
      if (place.kind === 'flat' && !user.flat) throw withDetails(new InvalidInputError('place.kind'), { field: 'place.kind' })
      const id = store.createIncident(
        db,
        {
          category,
          placeKind: place.kind,
          placeDetail: cleanLine(place.detail),
          description,
          contactOk: contactOk ?? false,
          reporter: { userId: user.id, flat: user.flat ? { id: user.flat.id, label: user.flat.label } : null },
        },
        app.now(),
      )
      request.log.info({ incidentId: id }, 'incident reported')
      return reply.code(201).send(view(request, id))
    },
  )

  app.get(
    '/incidents/:id',
    {
      config: { access: 'member' },
      schema: {
        summary: 'One incident with its timeline',
        tags: ['incidents'],
        params: IdParamsSchema,
        response: { 200: IncidentSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => view(request, request.params.id),
  )

  app.post(
    '/incidents/:id/photo',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Add the photo (the reporter, while the report is new): a raw JPEG, PNG or WebP body, 5 MB at most',
        tags: ['incidents'],
        params: IdParamsSchema,
        consumes: IMAGE_TYPES,
        response: { 201: PhotoSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const incident = visibleOr404(request, request.params.id)
      if (incident.reporterId !== currentUser(request).id) throw new NotReporterError()
      if (incident.status !== 'new') throw new PhotoTooLateError()
      if (!(request.body instanceof Readable)) throw new NotAnImageError()
      checkDeclaredLength(request.headers['content-length'])
      const photoId = newId(app.now())
      const { mime } = await saveImage(request.body, photosDir, photoId)
      let previous: string | null
      try {
        previous = store.setPhoto(db, incident.id, photoId, mime, app.now())
      } catch (err) {
        await rm(path.join(photosDir, photoId), { force: true })
        throw err
      }
      if (previous) await rm(path.join(photosDir, previous), { force: true })
      return reply.code(201).send({ id: photoId, url: store.photoUrl(incident.id, photoId) })
    },
  )

  app.get(
    '/incidents/:id/photo/:photoId',
    {
      config: { access: 'member' },
      schema: {
        summary: 'The photo of an incident the caller may see',
        tags: ['incidents'],
        params: PhotoParamsSchema,
        produces: IMAGE_TYPES,
        response: { 200: PhotoBytesSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const incident = visibleOr404(request, request.params.id)
      if (incident.photoId !== request.params.photoId || !incident.photoMime) throw new NotFoundError()
      return sendImage(reply, photosDir, incident.photoId, incident.photoMime)
    },
  )

  app.post(
    '/incidents/:id/affected',
    {
      config: { access: 'member' },
      schema: {
        summary: '"Moi aussi": the caller’s household is affected too (counted once per household)',
        tags: ['incidents'],
        params: IdParamsSchema,
        body: AffectedBodySchema,
        response: { 200: AffectedResultSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = currentUser(request)
      const incident = visibleOr404(request, request.params.id)
      if (!user.flat) throw new ResidentsOnlyError()
      if (incident.status === 'closed') throw new IncidentClosedError()
      store.addAffected(db, incident.id, { id: user.flat.id, label: user.flat.label }, request.body?.contactOk ?? false, app.now())
      return { affectedCount: store.affectedCount(db, incident.id), iAmAffected: true }
    },
  )

  app.post(
    '/incidents/:id/status',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Move an incident along its life cycle (forward, or resolved → in progress), with an optional message',
        tags: ['incidents'],
        params: IdParamsSchema,
        body: StatusBodySchema,
        response: { 200: IncidentSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const incident = visibleOr404(request, request.params.id)
      const { status } = request.body
      if (!store.canMove(incident.status, status)) {
        throw withDetails(new BadTransitionError(), { field: 'status', params: { from: incident.status, to: status } })
      }
      const message = request.body.message ? clean(request.body.message) : ''
      store.changeStatus(db, incident.id, status, message || null, app.now())
      return view(request, incident.id)
    },
  )

  app.post(
    '/incidents/:id/messages',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Write a short message on the incident’s timeline',
        tags: ['incidents'],
        params: IdParamsSchema,
        body: MessageBodySchema,
        response: { 200: IncidentSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const incident = visibleOr404(request, request.params.id)
      const message = clean(request.body.message)
      if (!message) throw withDetails(new InvalidInputError('message'), { field: 'message' })
      store.addMessage(db, incident.id, message, 'caretaker', app.now())
      return view(request, incident.id)
    },
  )

  app.post(
    '/incidents/:id/confirm',
    {
      config: { access: 'member' },
      schema: {
        summary: '"Is it fixed?": an affected household answers while the incident is resolved (yes closes, no reopens)',
        tags: ['incidents'],
        params: IdParamsSchema,
        body: ConfirmBodySchema,
        response: { 200: IncidentSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = currentUser(request)
      const incident = visibleOr404(request, request.params.id)
      if (!store.isAffected(db, incident.id, user.flat?.id ?? null)) throw new NotAffectedError()
      if (incident.status !== 'resolved') {
        throw withDetails(new BadTransitionError(), { params: { from: incident.status, to: request.body.fixed ? 'closed' : 'in_progress' } })
      }
      const message = request.body.message ? clean(request.body.message) : ''
      store.confirm(db, incident.id, request.body.fixed, message || null, app.now())
      return view(request, incident.id)
    },
  )

  app.post(
    '/incidents/:id/merge',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Merge a duplicate into another open incident: its households add up there, the duplicate is closed',
        tags: ['incidents'],
        params: IdParamsSchema,
        body: MergeBodySchema,
        response: { 200: IncidentSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const duplicate = visibleOr404(request, request.params.id)
      const target = store.getIncident(db, request.body.into)
      if (!target) throw withDetails(new NotFoundError(), { field: 'into' })
      // A private report only merges with another of the same flat: nobody else may see either.
      const privacyOk = duplicate.placeKind !== 'flat' && target.placeKind !== 'flat' ? true : duplicate.flatId === target.flatId
      if (duplicate.id === target.id || duplicate.status === 'closed' || target.status === 'closed' || !privacyOk) {
        throw withDetails(new CannotMergeError(), { field: 'into' })
      }
      store.merge(db, duplicate.id, target.id, app.now())
      request.log.info({ duplicate: duplicate.id, target: target.id }, 'incidents merged')
      return view(request, target.id)
    },
  )

  app.post(
    '/incidents/:id/notice',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Turn an incident into an urgent notice on the board, in one step',
        tags: ['incidents'],
        params: IdParamsSchema,
        body: NoticeFromIncidentBodySchema,
        response: { 201: NoticeSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const incident = visibleOr404(request, request.params.id)
      if (incident.placeKind === 'flat') throw new IncidentPrivateError()
      const lang = request.lang
      const category = translate(lang, `INCIDENT_CATEGORY_${incident.category}`) ?? incident.category
      const title = cleanLine(request.body?.title ?? '') || [category, incident.placeDetail].filter(Boolean).join(' – ').slice(0, 120)
      const body =
        clean(request.body?.body ?? '') ||
        `${incident.description.slice(0, 4000)}\n\n[${translate(lang, 'INCIDENT_NOTICE_FOLLOW')}](/signalements/${incident.id})`
      const id = createNotice(db, { kind: 'urgent', title, body, origin: 'caretaker', authorId: user.id }, app.now())
      request.log.info({ incidentId: incident.id, noticeId: id }, 'incident made an urgent notice')
      const notice = getNotice(db, id, user.id)
      if (!notice) throw new Error(`notice ${id} missing right after its creation`)
      return reply.code(201).send(notice)
    },
  )
}
