// The exchange's moderation and settings: residents report a listing or a message they can see;
// the caretaker reviews the queue, keeps or removes; the caretaker sets the time bank and the
// report threshold, and sees which households it may act for.
import createError from '@fastify/error'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from '../../config.js'
import { NotFoundError } from '../../lib/errors.js'
import { errorResponses } from '../../lib/responses.js'
import { AsFlatQuerySchema } from './common-schema.js'
import { actorOf } from './household.js'
import {
  ExchangeSettingsPatchSchema,
  ExchangeSettingsSchema,
  NewReportBodySchema,
  OnBehalfListSchema,
  ReportQueueSchema,
  ReportSchema,
  ResolveBodySchema,
  ResolvedSchema,
  ResolveParamsSchema,
} from './moderation-schema.js'
import * as store from './moderation-store.js'

const ReportOwnError = createError('PALIER_REPORT_OWN', 'cannot report your own listing or message', 409)

/** One line of free text: NFC, control characters and runs of spaces folded, trimmed. */
function cleanReason(reason: string): string {
  return reason.normalize('NFC').replace(/[\p{Cc}\s]+/gu, ' ').trim()
}

export default async function moderationRoutes(fastify: FastifyInstance, _opts: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = app.db

  // ------------------------------------------------------------ reports

  app.post(
    '/exchange/reports',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Report a listing or a message the household can see (once per household: a repeat answers the first report)',
        tags: ['exchange'],
        querystring: AsFlatQuerySchema,
        body: NewReportBodySchema,
        response: { 200: ReportSchema, 201: ReportSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request)
      const { targetKind, targetId } = request.body
      const owner = store.visibleTargetOwner(db, targetKind, targetId, actor.flatId)
      if (owner === undefined) throw new NotFoundError()
      if (owner === actor.flatId) throw new ReportOwnError()
      const { report, created } = store.createReport(
        db,
        { targetKind, targetId, flatId: actor.flatId, reporterId: actor.userId, reason: cleanReason(request.body.reason ?? '') },
        store.exchangeSettings(db).reportThreshold,
        app.now(),
      )
      if (created) request.log.info({ reportId: report.id, targetKind, onBehalf: actor.onBehalf }, 'exchange report filed')
      return reply.code(created ? 201 : 200).send(report)
    },
  )

  app.get(
    '/exchange/reports',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Open reports, grouped by target, oldest first: the listing, or the reported message alone',
        tags: ['exchange'],
        response: { 200: ReportQueueSchema, ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: store.reportQueue(db) }),
  )

  app.post(
    '/exchange/reports/:targetKind/:targetId/resolve',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Review a target’s open reports: keep it (a hidden listing shows again) or remove it',
        tags: ['exchange'],
        params: ResolveParamsSchema,
        body: ResolveBodySchema,
        response: { 200: ResolvedSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { targetKind, targetId } = request.params
      const resolved = store.resolveReports(db, targetKind, targetId, request.body.resolution, app.now())
      if (!resolved) throw new NotFoundError()
      request.log.info({ targetKind, targetId, resolution: resolved.resolution }, 'exchange reports resolved')
      return resolved
    },
  )

  // ------------------------------------------------------------ settings

  app.get(
    '/exchange/settings',
    {
      // Residents read it too: the time bank shows only when it is on.
      config: { access: 'member' },
      schema: {
        summary: 'The exchange’s settings: time bank switch and balance limits, report threshold',
        tags: ['exchange'],
        response: { 200: ExchangeSettingsSchema, ...errorResponses(401) },
      },
    },
    async () => store.exchangeSettings(db),
  )

  app.put(
    '/exchange/settings',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Change the exchange’s settings (fields left out keep their value)',
        tags: ['exchange'],
        body: ExchangeSettingsPatchSchema,
        response: { 200: ExchangeSettingsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const settings = store.updateExchangeSettings(db, request.body, app.now())
      request.log.info({ settings }, 'exchange settings changed')
      return settings
    },
  )

  // ------------------------------------------------------------ acting on behalf

  app.get(
    '/exchange/on-behalf',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Households without an account, for which the caretaker may publish and answer (asFlat)',
        tags: ['exchange'],
        response: { 200: OnBehalfListSchema, ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: store.onBehalfFlats(db) }),
  )
}
