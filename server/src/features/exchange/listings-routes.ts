// Listings of the neighbour exchange: offers and requests to lend, give, help or swap skills,
// searched by words, renewed in one tap, and the summary behind the badge. A listing a viewer may
// not see does not exist for them (404); one they see but that is another household's is 403.
import createError from '@fastify/error'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import type { Config } from '../../config.js'
import { InvalidInputError, NotFoundError, withDetails } from '../../lib/errors.js'
import { newId } from '../../lib/ids.js'
import { errorResponses } from '../../lib/responses.js'
import { EmptySchema, IdParamsSchema } from '../../lib/schemas.js'
import { currentUser } from '../../plugins/auth.js'
import { NotAnImageError, checkDeclaredLength, saveImage, sendImage, sweepPartialUploads } from '../notices/images.js'
import { unreadConversationCount } from './conversations-store.js'
import { ExchangeBadTransitionError, ListingClosedError, TooManyPhotosError } from './errors.js'
import { actorOf, optionalActorOf, type Actor } from './household.js'
import { loanCounts } from './loans-store.js'
import { exchangeSettings } from './moderation-store.js'
import { pendingTransferCount } from './timebank-store.js'
import {
  AsFlatQuerySchema,
  ListQuerySchema,
  ListingPageSchema,
  ListingSchema,
  MyListingsSchema,
  NewListingBodySchema,
  NotModifiedSchema,
  PatchListingBodySchema,
  PhotoBytesSchema,
  PhotoParamsSchema,
  PhotoSchema,
  RenewBodySchema,
  SummarySchema,
} from './listings-schema.js'
import * as store from './listings-store.js'

const NotYourListingError = createError('PALIER_NOT_YOUR_LISTING', 'only its household may change a listing', 403)

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp']
const DEFAULT_DAYS = 30

function clean(text: string): string {
  return text.normalize('NFC').trim()
}

function cleanLine(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim()
}

/** The title cleaned, still 3 characters at least once spaces are gone. */
function cleanTitle(text: string): string {
  const title = cleanLine(text)
  if ([...title].length < 3) throw withDetails(new InvalidInputError('title'), { field: 'title' })
  return title
}

function cleanDescription(text: string): string {
  const description = clean(text)
  if (!description) throw withDetails(new InvalidInputError('description'), { field: 'description' })
  return description
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

export default async function listingsRoutes(fastify: FastifyInstance, _opts: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = app.db
  const photosDir = path.join(app.filesDir, 'exchange')
  await sweepPartialUploads(photosDir)

  // Photos arrive as the raw body (any image/* label: the bytes decide); the route streams them.
  app.addContentTypeParser(/^image\/[\w.+-]+$/i, (request, payload, done) => {
    try {
      checkDeclaredLength(request.headers['content-length'])
    } catch (err) {
      return done(err as Error, undefined)
    }
    done(null, payload)
  })

  /** Who is looking: the caretaker as such has no household but sees hidden listings. */
  function viewerOf(request: FastifyRequest): store.Viewer {
    const actor = optionalActorOf(request)
    return { flatId: actor?.flatId ?? null, caretaker: currentUser(request).role === 'caretaker' }
  }

  function visibleOr404(request: FastifyRequest, id: string): { listing: store.ListingRecord; viewer: store.Viewer } {
    const viewer = viewerOf(request)
    const listing = store.getListing(db, id)
    if (!listing || !store.canSee(db, listing, viewer)) throw new NotFoundError()
    return { listing, viewer }
  }

  /** The listing if the acting household owns it: 404 if it may not see it, 403 if it is someone else's. */
  function ownOr403(request: FastifyRequest, id: string): { listing: store.ListingRecord; actor: Actor } {
    const listing = store.getListing(db, id)
    if (!listing) throw new NotFoundError()
    const actor = actorOf(request)
    if (!store.canSee(db, listing, { flatId: actor.flatId, caretaker: actor.onBehalf })) throw new NotFoundError()
    if (listing.flatId !== actor.flatId) throw new NotYourListingError()
    return { listing, actor }
  }

  function view(id: string, viewer: store.Viewer) {
    const listing = store.listingView(db, id, viewer, app.now())
    if (!listing) throw new NotFoundError()
    return listing
  }

  app.get(
    '/exchange/listings',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Open and reserved listings not expired, newest or closing soonest first, searched by words',
        tags: ['exchange'],
        querystring: ListQuerySchema,
        response: { 200: ListingPageSchema, 304: NotModifiedSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { q, direction, kind, category, cursor } = request.query
      const sort = request.query.sort ?? 'newest'
      const after = cursor === undefined ? undefined : store.decodeCursor(sort, cursor)
      if (cursor !== undefined && !after) throw withDetails(new InvalidInputError('cursor'), { field: 'cursor' })
      const page = store.listListings(db, viewerOf(request), { q, direction, kind, category, sort }, app.now(), request.query.limit ?? 20, after)
      void reply.header('etag', page.etag).header('cache-control', 'private, no-cache')
      if (matches(request.headers['if-none-match'], page.etag)) return reply.code(304).send(null)
      // The page is kept as the JSON bytes of the objects ListingPageSchema describes: nothing is
      // serialised or encoded per request.
      return reply.type('application/json; charset=utf-8').send(page.body as never)
    },
  )

  app.get(
    '/exchange/listings/mine',
    {
      config: { access: 'member' },
      schema: {
        summary: 'The household’s own listings, every status, newest first',
        tags: ['exchange'],
        querystring: AsFlatQuerySchema,
        response: { 200: MyListingsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ items: store.listMine(db, actorOf(request).flatId, app.now()) }),
  )

  app.post(
    '/exchange/listings',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Publish an offer or a request (the caretaker: for a household without an account, with asFlat)',
        tags: ['exchange'],
        querystring: AsFlatQuerySchema,
        body: NewListingBodySchema,
        response: { 201: ListingSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request)
      const body = request.body
      const id = store.createListing(
        db,
        {
          flatId: actor.flatId,
          authorId: actor.userId,
          onBehalf: actor.onBehalf,
          direction: body.direction,
          kind: body.kind,
          category: body.category,
          title: cleanTitle(body.title),
          description: cleanDescription(body.description),
          availability: cleanLine(body.availability ?? ''),
          expiresInDays: body.expiresInDays ?? DEFAULT_DAYS,
        },
        app.now(),
      )
      request.log.info({ listingId: id, onBehalf: actor.onBehalf }, 'exchange listing published')
      return reply.code(201).send(view(id, { flatId: actor.flatId, caretaker: actor.onBehalf }))
    },
  )

  app.get(
    '/exchange/listings/:id',
    {
      config: { access: 'member' },
      schema: {
        summary: 'One listing with its photos and the caller’s conversation about it',
        tags: ['exchange'],
        params: IdParamsSchema,
        querystring: AsFlatQuerySchema,
        response: { 200: ListingSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { listing, viewer } = visibleOr404(request, request.params.id)
      return view(listing.id, viewer)
    },
  )

  app.patch(
    '/exchange/listings/:id',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Change a listing of the household: its text, category or status (open ↔ reserved → done; → withdrawn)',
        tags: ['exchange'],
        params: IdParamsSchema,
        querystring: AsFlatQuerySchema,
        body: PatchListingBodySchema,
        response: { 200: ListingSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { listing, actor } = ownOr403(request, request.params.id)
      const { status, category } = request.body
      const closed = listing.status === 'done' || listing.status === 'withdrawn'
      if (status !== undefined && (closed || status !== listing.status) && !store.canMove(listing.status, status)) {
        throw withDetails(new ExchangeBadTransitionError(), { field: 'status', params: { from: listing.status, to: status } })
      }
      if (closed) {
        // A finished listing is kept as it was; only its history shows it.
        throw new ListingClosedError()
      }
      store.updateListing(
        db,
        listing,
        {
          title: request.body.title === undefined ? undefined : cleanTitle(request.body.title),
          description: request.body.description === undefined ? undefined : cleanDescription(request.body.description),
          availability: request.body.availability === undefined ? undefined : cleanLine(request.body.availability),
          category,
          status: status === listing.status ? undefined : status,
        },
        app.now(),
      )
      if (status && status !== listing.status) request.log.info({ listingId: listing.id, from: listing.status, to: status }, 'exchange listing status')
      return view(listing.id, { flatId: actor.flatId, caretaker: actor.onBehalf })
    },
  )

  app.post(
    '/exchange/listings/:id/renew',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Renew a listing (open or reserved): it expires 30 days from now (or expiresInDays)',
        tags: ['exchange'],
        params: IdParamsSchema,
        querystring: AsFlatQuerySchema,
        body: RenewBodySchema,
        response: { 200: ListingSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
      // "Renew" is one tap: a bare POST is as good as an empty object.
      preValidation: async (request) => {
        request.body ??= {}
      },
    },
    async (request) => {
      const { listing, actor } = ownOr403(request, request.params.id)
      if (listing.status !== 'open' && listing.status !== 'reserved') throw new ListingClosedError()
      store.renewListing(db, listing.id, request.body?.expiresInDays ?? DEFAULT_DAYS, app.now())
      return view(listing.id, { flatId: actor.flatId, caretaker: actor.onBehalf })
    },
  )

  // ------------------------------------------------------------ photos

  app.post(
    '/exchange/listings/:id/photos',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Add a photo (raw body: JPEG, PNG or WebP, 5 MB at most; 3 per listing)',
        tags: ['exchange'],
        params: IdParamsSchema,
        querystring: AsFlatQuerySchema,
        consumes: IMAGE_TYPES,
        response: { 201: PhotoSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const { listing } = ownOr403(request, request.params.id)
      if (listing.status === 'done' || listing.status === 'withdrawn') throw new ListingClosedError()
      if (!(request.body instanceof Readable)) throw new NotAnImageError()
      if (store.countPhotos(db, listing.id) >= store.MAX_PHOTOS) throw new TooManyPhotosError()
      const photoId = newId(app.now())
      const { mime } = await saveImage(request.body, photosDir, photoId)
      let added: boolean
      try {
        // Checked again where it is written: two uploads at once may not make a fourth.
        added = store.addPhoto(db, listing.id, photoId, mime, app.now())
      } catch (err) {
        await rm(path.join(photosDir, photoId), { force: true })
        throw err
      }
      if (!added) {
        await rm(path.join(photosDir, photoId), { force: true })
        throw new TooManyPhotosError()
      }
      return reply.code(201).send({ id: photoId, url: store.photoUrl(listing.id, photoId), mime })
    },
  )

  app.get(
    '/exchange/listings/:id/photos/:photoId',
    {
      config: { access: 'member' },
      schema: {
        summary: 'A photo of a listing the caller may see',
        tags: ['exchange'],
        params: PhotoParamsSchema,
        querystring: AsFlatQuerySchema,
        produces: IMAGE_TYPES,
        response: { 200: PhotoBytesSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { listing } = visibleOr404(request, request.params.id)
      const photo = store.getPhoto(db, listing.id, request.params.photoId)
      if (!photo) throw new NotFoundError()
      return sendImage(reply, photosDir, photo.id, photo.mime)
    },
  )

  app.delete(
    '/exchange/listings/:id/photos/:photoId',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Remove a photo of the household’s listing',
        tags: ['exchange'],
        params: PhotoParamsSchema,
        querystring: AsFlatQuerySchema,
        response: { 204: EmptySchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { listing } = ownOr403(request, request.params.id)
      if (!store.deletePhoto(db, listing.id, request.params.photoId)) throw new NotFoundError()
      await rm(path.join(photosDir, request.params.photoId), { force: true })
      return reply.code(204).send(null)
    },
  )

  // ------------------------------------------------------------ summary

  app.get(
    '/exchange/summary',
    {
      config: { access: 'member' },
      schema: {
        summary: 'What the household should know: unread conversations, expired listings, loans and transfers waiting',
        tags: ['exchange'],
        querystring: AsFlatQuerySchema,
        response: { 200: SummarySchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { flatId } = actorOf(request)
      const now = app.now()
      const loans = loanCounts(db, flatId, now)
      return {
        unreadConversations: unreadConversationCount(db, flatId),
        expiredListings: store.expiredListings(db, flatId, now),
        loansDueTomorrow: loans.dueTomorrow,
        lateLoans: loans.late,
        loansToConfirm: loans.toConfirm,
        transfersToConfirm: pendingTransferCount(db, flatId),
        timeBankEnabled: exchangeSettings(db).timeBankEnabled,
      }
    },
  )
}
