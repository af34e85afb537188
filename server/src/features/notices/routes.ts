// The notice board: the caretaker's, the landlord's and (if allowed) residents' notices, with
// "je participe" / "merci", read figures per household, images, moderation, archive and print.
import { createHash } from 'node:crypto'
import path from 'node:path'
import { Readable } from 'node:stream'
import createError from '@fastify/error'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from '../../config.js'
import { ForbiddenError, InvalidInputError, NotFoundError, withDetails } from '../../lib/errors.js'
import { newId } from '../../lib/ids.js'
import { EmptySchema, IdParamsSchema } from '../../lib/schemas.js'
import { errorResponses } from '../../lib/responses.js'
import { currentUser } from '../../plugins/auth.js'
import { NotAnImageError, checkDeclaredLength, saveImage, sendImage } from './images.js'
import { boardDigest, noticePoster } from './print.js'
import {
  ArchiveQuerySchema,
  BoardQuerySchema,
  ImageBytesSchema,
  ImageParamsSchema,
  ImageUploadedSchema,
  NewNoticeBodySchema,
  NoticeHtmlSchema,
  NoticePageSchema,
  ArchivePageSchema,
  NoticePatchBodySchema,
  NoticeQueueSchema,
  NoticeSchema,
  NoticeSettingsSchema,
  NoticeStatsSchema,
  NotModifiedSchema,
  ReactionParamsSchema,
  ReactionsSchema,
  type NoticePatchBody,
} from './schema.js'
import * as store from './store.js'

const PostingOffError = createError('PALIER_POSTING_OFF', 'residents may not post notices', 403)
const NoticeReservedError = createError('PALIER_NOTICE_RESERVED', 'urgent and works notices and pinning are the caretaker’s', 400)
const NotPendingError = createError('PALIER_NOTICE_NOT_PENDING', 'notice not awaiting approval', 409)
const LandlordNoticeError = createError('PALIER_LANDLORD_NOTICE', 'landlord notices are changed by the landlord only', 409)
const ReactionNotAllowedError = createError('PALIER_REACTION_NOT_ALLOWED', '"going" is for events only', 409)
const TooManyImagesError = createError('PALIER_TOO_MANY_IMAGES', 'too many images on this notice', 409)

const MAX_IMAGES = 6
const DIGEST_HORIZON_MS = 7 * 86_400_000
// Board pages kept ready to send, per person, page and board version (a few KB each).
const MAX_CACHED_PAGES = 200

/** A board page shared by everyone with the same audience, with a hole for "myReactions". */
interface SharedPage {
  noticeIds: string[]
  /** Each notice's JSON before and after its "myReactions" value, already UTF-8. */
  parts: [Buffer, Buffer][]
  tail: Buffer
}

function cleanTitle(title: string): string {
  const clean = title.normalize('NFC').replace(/[\p{Cc}\s]+/gu, ' ').trim()
  if (!clean) throw withDetails(new InvalidInputError('title'), { field: 'title' })
  return clean
}

function cleanBody(body: string): string {
  // Keep the line structure (it is the formatting); drop other control characters.
  return body
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[^\P{Cc}\n\t]/gu, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/^\n+|\n+$/g, '')
}

/** Residents post information and events, unpinned. */
function checkResidentFields(body: { kind?: string; pinned?: boolean }): void {
  if (body.kind === 'urgent' || body.kind === 'works') throw withDetails(new NoticeReservedError(), { field: 'kind' })
  if (body.pinned) throw withDetails(new NoticeReservedError(), { field: 'pinned' })
}

function checkDates(startsAt: number | null, expiresAt: number | null): void {
  if (startsAt !== null && expiresAt !== null && expiresAt <= startsAt) {
    throw withDetails(new InvalidInputError('expiresAt'), { field: 'expiresAt' })
  }
}

/** True when If-None-Match names this ETag (weak or strong, or *). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false
  for (const tag of header.split(',')) {
    const t = tag.trim()
    if (t === '*' || t === etag || t === `W/${etag}`) return true
  }
  return false
}

export default async function noticesRoutes(fastify: FastifyInstance, { config }: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = app.db
  const imageDir = path.join(app.filesDir, 'notices')

  // Images arrive as the raw body: the route reads the stream itself, to disk, with its limit.
  app.addContentTypeParser(/^image\/[\w.+-]+$/i, (request, payload, done) => {
    try {
      checkDeclaredLength(request.headers['content-length'])
    } catch (err) {
      return done(err as Error, undefined)
    }
    done(null, payload)
  })

  function rowOr404(id: string, viewer: store.Viewer): store.NoticeRow {
    const row = store.getNoticeRow(db, id)
    if (!row || !store.canSee(row, viewer, app.now())) throw new NotFoundError()
    return row
  }

  function baseUrl(request: FastifyRequest): string {
    return config.publicUrl ?? `${request.protocol}://${request.host}`
  }

  // ------------------------------------------------------------ the board

  // The ETag is made from what decides a page, never from the page itself: the board version
  // (changed by every write that shows), the stretch of time in which no notice starts or
  // expires, the person (their entrance and reactions) and the page asked for.
  // Pages are the same for everyone who sees the same notices (the caretaker, or the residents
  // of one entrance) but for each person's own reactions, so a page is made once per audience
  // as JSON with a hole where "myReactions" goes, and each person's reactions are one query.
  const window = { version: '', lo: 0, hi: -1 }
  const pages = new Map<string, SharedPage>()
  const people = new Map<string, { key: string; etag: string; reactions: Buffer[] }>()
  const MAX_PEOPLE = 2_000
  const HOLE = JSON.stringify('\u0000')
  const PAGE_HEAD = Buffer.from('{"notices":[')
  const COMMA = Buffer.from(',')
  const NO_REACTIONS = Buffer.from('[]')

  function sharedPage(user: store.Viewer, now: number, cursor: string, limit: number, key: string): SharedPage {
    let page = pages.get(key)
    if (page) {
      pages.delete(key) // most recently used last
    } else {
      const result = store.listBoard(db, user, now, cursor || undefined, limit)
      page = {
        parts: result.notices.map(({ body: _source, ...n }) => {
          const [before = '', after = ''] = JSON.stringify({ ...n, myReactions: '\u0000' }).split(HOLE)
          return [Buffer.from(before), Buffer.from(after)]
        }),
        noticeIds: result.notices.map((n) => n.id),
        tail: Buffer.from(`],"nextCursor":${JSON.stringify(result.nextCursor)}}`),
      }
      if (pages.size >= MAX_CACHED_PAGES) pages.delete(pages.keys().next().value!)
    }
    pages.set(key, page)
    return page
  }

  app.get(
    '/notices',
    {
      config: { access: 'member' },
      schema: {
        summary: 'The board: notices shown now to the caller, urgent first, then pinned, then newest (ETag / If-None-Match)',
        tags: ['notices'],
        querystring: BoardQuerySchema,
        response: { 200: NoticePageSchema, 304: NotModifiedSchema, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const now = app.now()
      const version = store.boardVersion(db)
      if (version !== window.version) {
        pages.clear()
        people.clear()
      }
      if (version !== window.version || now < window.lo || now >= window.hi) {
        Object.assign(window, { version }, store.boardWindow(db, now))
      }
      const cursor = request.query.cursor ?? ''
      const limit = request.query.limit ?? 20
      const audience = user.role === 'caretaker' ? '*' : store.entranceKey(user.flat?.entrance ?? '')
      const key = `${version}|${window.lo}|${audience}|${cursor}|${limit}`
      // What is personal in a page (its ETag, the person's reactions) is kept per person until
      // the page's key, which holds the board version, changes.
      const page = sharedPage(user, now, cursor, limit, key)
      let own = people.get(user.id)
      if (!own || own.key !== key) {
        const mine = store.myReactionsOn(db, user.id, page.noticeIds)
        own = {
          key,
          etag: `"${createHash('sha1').update(`${key}|${user.id}`).digest('base64url')}"`,
          reactions: page.noticeIds.map((id) => {
            const list = mine.get(id)
            return list ? Buffer.from(JSON.stringify(list)) : NO_REACTIONS
          }),
        }
        if (people.size >= MAX_PEOPLE) people.clear()
        people.set(user.id, own)
      }
      void reply.header('etag', own.etag).header('cache-control', 'private, no-cache')
      if (matches(request.headers['if-none-match'], own.etag)) return reply.code(304).send(null)
      // Already JSON (made by JSON.stringify from the same objects the schema describes), and
      // already bytes: nothing is serialised or encoded per request.
      const chunks: Buffer[] = [PAGE_HEAD]
      page.parts.forEach(([before, after], i) => {
        if (i > 0) chunks.push(COMMA)
        chunks.push(before, own.reactions[i]!, after)
      })
      chunks.push(page.tail)
      return reply.type('application/json; charset=utf-8').send(Buffer.concat(chunks) as never)
    },
  )

  app.get(
    '/notices/pending',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Residents’ notices awaiting approval, oldest first',
        tags: ['notices'],
        response: { 200: NoticeQueueSchema, ...errorResponses(401, 403) },
      },
    },
    async () => ({ notices: store.listPending(db) }),
  )

  app.get(
    '/notices/archive',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Expired and archived notices, newest first, with an optional text search',
        tags: ['notices'],
        querystring: ArchiveQuerySchema,
        response: { 200: ArchivePageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => store.searchArchive(db, app.now(), request.query.q ?? '', request.query.cursor, request.query.limit ?? 20),
  )

  app.get(
    '/notices/:id',
    {
      config: { access: 'member' },
      schema: {
        summary: 'One notice (as the caller may see it)',
        tags: ['notices'],
        params: IdParamsSchema,
        response: { 200: NoticeSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const user = currentUser(request)
      const notice = store.getNoticeForViewer(db, request.params.id, user, app.now())
      if (!notice) throw new NotFoundError()
      return notice
    },
  )

  // ------------------------------------------------------------ writing

  app.post(
    '/notices',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Post a notice (residents: information and events, if the caretaker allows it)',
        tags: ['notices'],
        body: NewNoticeBodySchema,
        response: { 201: NoticeSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const b = request.body
      let status: store.NoticeStatus = 'published'
      if (user.role === 'resident') {
        const posting = store.residentPosting(db)
        if (posting === 'off') throw new PostingOffError()
        checkResidentFields(b)
        if (posting === 'approval') status = 'pending'
      }
      const startsAt = b.startsAt ?? null
      const expiresAt = b.expiresAt ?? null
      checkDates(startsAt, expiresAt)
      const id = store.createNotice(
        db,
        {
          kind: b.kind,
          title: cleanTitle(b.title),
          body: cleanBody(b.body),
          origin: user.role,
          authorId: user.id,
          pinned: b.pinned ?? false,
          startsAt,
          expiresAt,
          audience: b.audience ?? [],
          status,
        },
        app.now(),
      )
      request.log.info({ noticeId: id, status }, 'notice posted')
      return reply.code(201).send(store.getNotice(db, id, user.id)!)
    },
  )

  app.patch(
    '/notices/:id',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Change a notice (the caretaker; a resident their own notice while it awaits approval)',
        tags: ['notices'],
        params: IdParamsSchema,
        body: NoticePatchBodySchema,
        response: { 200: NoticeSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = currentUser(request)
      const row = rowOr404(request.params.id, user)
      const b: NoticePatchBody = request.body
      if (user.role !== 'caretaker') {
        if (row.author_id !== user.id) throw new ForbiddenError()
        if (row.status !== 'pending') throw new NotPendingError()
        checkResidentFields(b)
      }
      if (row.origin === 'landlord') throw new LandlordNoticeError()
      const startsAt = b.startsAt !== undefined ? b.startsAt : row.starts_at
      const expiresAt = b.expiresAt !== undefined ? b.expiresAt : row.expires_at
      checkDates(startsAt, expiresAt)
      store.updateNotice(
        db,
        row.id,
        {
          kind: b.kind,
          title: b.title !== undefined ? cleanTitle(b.title) : undefined,
          body: b.body !== undefined ? cleanBody(b.body) : undefined,
          pinned: b.pinned,
          startsAt: b.startsAt,
          expiresAt: b.expiresAt,
          audience: b.audience,
        },
        app.now(),
      )
      return store.getNotice(db, row.id, user.id)!
    },
  )

  for (const [action, summary] of [
    ['archive', 'Take a notice off the board (it stays in the archive)'],
    ['approve', 'Publish a resident’s notice that awaits approval'],
    ['reject', 'Refuse a resident’s notice that awaits approval'],
  ] as const) {
    app.post(
      `/notices/:id/${action}`,
      {
        config: { access: 'caretaker' },
        schema: {
          summary,
          tags: ['notices'],
          params: IdParamsSchema,
          response: { 200: NoticeSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const user = currentUser(request)
        const row = rowOr404(request.params.id, user)
        if (action !== 'archive' && row.status !== 'pending') throw new NotPendingError()
        const status = action === 'archive' ? 'archived' : action === 'approve' ? 'published' : 'rejected'
        store.setNoticeStatus(db, row.id, status, app.now())
        request.log.info({ noticeId: row.id, status }, 'notice status changed')
        return store.getNotice(db, row.id, user.id)!
      },
    )
  }

  // ------------------------------------------------------------ reactions and reads

  for (const method of ['PUT', 'DELETE'] as const) {
    app.route({
      method,
      url: '/notices/:id/reactions/:kind',
      config: { access: 'member' },
      schema: {
        summary: method === 'PUT' ? 'Say “je participe” (events) or “merci”' : 'Take back “je participe” or “merci”',
        tags: ['notices'],
        params: ReactionParamsSchema,
        response: { 200: ReactionsSchema, ...errorResponses(400, 401, 404, 409) },
      },
      handler: async (request) => {
        const user = currentUser(request)
        const row = rowOr404(request.params.id, user)
        if (row.status !== 'published') throw new NotFoundError()
        const kind = request.params.kind
        if (method === 'PUT' && kind === 'going' && row.kind !== 'event') throw new ReactionNotAllowedError()
        store.setReaction(db, row.id, user.id, kind, method === 'PUT', app.now())
        return store.reactionsOf(db, row.id, user.id)
      },
    })
  }

  app.post(
    '/notices/:id/seen',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Tell that the notice was shown: counts once per household, never per person',
        tags: ['notices'],
        params: IdParamsSchema,
        response: { 204: EmptySchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const row = rowOr404(request.params.id, user)
      // The caretaker's views are not a household's; a pending notice is not on the board yet.
      if (user.flat && row.status === 'published') store.markSeen(db, row.id, user.flat.id, app.now())
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/notices/:id/stats',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'How many households saw the notice',
        tags: ['notices'],
        params: IdParamsSchema,
        response: { 200: NoticeStatsSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const row = rowOr404(request.params.id, currentUser(request))
      return store.readStats(db, row.id)
    },
  )

  // ------------------------------------------------------------ images

  app.post(
    '/notices/:id/images',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Add an image (raw body: image/jpeg, image/png or image/webp, 5 MB at most)',
        tags: ['notices'],
        params: IdParamsSchema,
        consumes: ['image/jpeg', 'image/png', 'image/webp'],
        response: { 201: ImageUploadedSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const row = rowOr404(request.params.id, user)
      if (user.role !== 'caretaker') {
        if (row.author_id !== user.id) throw new ForbiddenError()
        if (row.status !== 'pending') throw new NotPendingError()
      }
      if (!(request.body instanceof Readable)) throw new NotAnImageError()
      if (store.countImages(db, row.id) >= MAX_IMAGES) throw new TooManyImagesError()
      const now = app.now()
      const id = newId(now)
      const { mime, size } = await saveImage(request.body, imageDir, id)
      store.insertImage(db, { id, noticeId: row.id, mime, size }, app.now())
      request.log.info({ noticeId: row.id, imageId: id, size }, 'notice image added')
      return reply.code(201).send({ id, url: store.imageUrl(row.id, id), mime })
    },
  )

  app.get(
    '/notices/:id/images/:imageId',
    {
      config: { access: 'member' },
      schema: {
        summary: 'An image of a notice the caller may see',
        tags: ['notices'],
        params: ImageParamsSchema,
        produces: ['image/jpeg', 'image/png', 'image/webp'],
        response: { 200: ImageBytesSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const row = rowOr404(request.params.id, currentUser(request))
      const image = store.getImage(db, row.id, request.params.imageId)
      if (!image) throw new NotFoundError()
      return sendImage(reply, imageDir, image.id, image.mime)
    },
  )

  // ------------------------------------------------------------ the caretaker's setting

  app.get(
    '/settings/notices',
    {
      // Residents read it too: the board offers "Proposer une annonce" only when posting is on.
      config: { access: 'member' },
      schema: {
        summary: 'Whether residents may post notices: off, with approval, or freely',
        tags: ['notices'],
        response: { 200: NoticeSettingsSchema, ...errorResponses(401) },
      },
    },
    async () => ({ residentPosting: store.residentPosting(db) }),
  )

  app.put(
    '/settings/notices',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Set whether residents may post notices',
        tags: ['notices'],
        body: NoticeSettingsSchema,
        response: { 200: NoticeSettingsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      store.setResidentPosting(db, request.body.residentPosting)
      return { residentPosting: store.residentPosting(db) }
    },
  )

  // ------------------------------------------------------------ print

  app.get(
    '/print/notices/:id',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Printable A4 poster of one notice (HTML)',
        tags: ['notices'],
        params: IdParamsSchema,
        produces: ['text/html'],
        response: { 200: NoticeHtmlSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const notice = store.getNotice(db, request.params.id)
      if (!notice) throw new NotFoundError()
      const html = await noticePoster(config.buildingName, baseUrl(request), notice)
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html)
    },
  )

  app.get(
    '/print/digest',
    {
      config: { access: 'caretaker' },
      schema: {
        summary: 'Printable weekly digest of the board with a QR code to the intranet (HTML)',
        tags: ['notices'],
        produces: ['text/html'],
        response: { 200: NoticeHtmlSchema, ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const now = app.now()
      const html = await boardDigest(config.buildingName, baseUrl(request), store.listUpcoming(db, now, DIGEST_HORIZON_MS), now)
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html)
    },
  )
}
