// Private conversations between two households about a listing ("Répondre"), the unread badge,
// and blocks. Only the two households read a conversation: anyone else, the caretaker included
// (unless acting for one of the two households that has no account), gets 404 — as does a
// blocked pair. A reported message reaches the caretaker through the moderation only.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from '../../config.js'
import { InvalidInputError, NotFoundError, withDetails } from '../../lib/errors.js'
import { EmptySchema, IdParamsSchema } from '../../lib/schemas.js'
import { errorResponses } from '../../lib/responses.js'
import { currentUser } from '../../plugins/auth.js'
import { AsFlatQuerySchema } from './common-schema.js'
import { ListingClosedError, OwnListingError } from './errors.js'
import { actorOf, blockedBetween, optionalActorOf, type Actor } from './household.js'
import {
  BlockBodySchema,
  BlockListSchema,
  BlockParamsSchema,
  BlockSchema,
  ConversationDetailSchema,
  ConversationListSchema,
  ConversationSchema,
  MessageBodySchema,
  MessageSchema,
} from './conversations-schema.js'
import * as store from './conversations-store.js'

/** Plain text: NFC, line breaks kept (as \n), other control characters and edge blank lines dropped. */
function cleanMessage(body: string): string {
  const clean = body
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[^\P{Cc}\n\t]/gu, '')
    .replace(/[ \t]+$/gm, '')
    .trim()
  // An empty body is how a removed message is stored: a sent one must say something.
  if (!clean) throw withDetails(new InvalidInputError('body'), { field: 'body' })
  return clean
}

export default async function conversationsRoutes(fastify: FastifyInstance, _opts: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = app.db

  // Private messages are kept by no cache along the way, nor by a shared device's browser.
  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.header('cache-control', 'private, no-store')
    return payload
  })

  /**
   * The household reading a conversation. The caretaker without a household it may act for is
   * no party to any conversation: 404, the same answer as for a conversation that does not exist.
   */
  function partyOf(request: FastifyRequest): Actor {
    if (currentUser(request).role === 'caretaker') {
      try {
        const actor = optionalActorOf(request)
        if (actor) return actor
      } catch {
        // an asFlat it may not act for
      }
      throw new NotFoundError()
    }
    return actorOf(request)
  }

  function conversationOr404(id: string, flatId: string): store.ConversationRow {
    const c = store.conversationFor(db, id, flatId)
    if (!c) throw new NotFoundError()
    return c
  }

  app.post(
    '/exchange/listings/:id/conversations',
    {
      config: { access: 'member' },
      schema: {
        summary: '“Répondre”: open (or reuse) the conversation with the listing’s household and send the first message',
        tags: ['exchange'],
        params: IdParamsSchema,
        querystring: AsFlatQuerySchema,
        body: MessageBodySchema,
        response: { 201: ConversationSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request)
      const now = app.now()
      const listing = store.getListingRow(db, request.params.id)
      if (!listing) throw new NotFoundError()
      if (listing.flat_id === actor.flatId) throw new OwnListingError()
      // Hidden (reported) and blocked listings do not exist for this household.
      if (listing.hidden_at !== null || blockedBetween(db, listing.flat_id, actor.flatId)) throw new NotFoundError()
      if (listing.status === 'done' || listing.status === 'withdrawn' || listing.expires_at <= now) throw new ListingClosedError()
      const body = cleanMessage(request.body.body)
      const id = store.answerListing(db, listing, { flatId: actor.flatId, authorId: actor.userId, onBehalf: actor.onBehalf, body }, now)
      request.log.info({ conversationId: id, onBehalf: actor.onBehalf }, 'exchange listing answered')
      return reply.code(201).send(store.toConversation(db, store.conversationFor(db, id, actor.flatId)!, actor.flatId))
    },
  )

  app.get(
    '/exchange/conversations',
    {
      config: { access: 'member' },
      schema: {
        summary: 'The household’s conversations, most recent first, with their unread counts',
        tags: ['exchange'],
        querystring: AsFlatQuerySchema,
        response: { 200: ConversationListSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      // The caretaker as such has no household, hence no conversation.
      const actor = optionalActorOf(request)
      return { items: actor ? store.listConversations(db, actor.flatId, app.now()) : [] }
    },
  )

  app.get(
    '/exchange/conversations/:id',
    {
      config: { access: 'member' },
      schema: {
        summary: 'One conversation with its listing and messages (its two households only); marks it read',
        tags: ['exchange'],
        params: IdParamsSchema,
        querystring: AsFlatQuerySchema,
        response: { 200: ConversationDetailSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = partyOf(request)
      const c = conversationOr404(request.params.id, actor.flatId)
      return store.readConversation(db, c, actor.flatId, app.now())
    },
  )

  app.post(
    '/exchange/conversations/:id/messages',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Write in a conversation (its two households only)',
        tags: ['exchange'],
        params: IdParamsSchema,
        querystring: AsFlatQuerySchema,
        body: MessageBodySchema,
        response: { 201: MessageSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = partyOf(request)
      const c = conversationOr404(request.params.id, actor.flatId)
      const body = cleanMessage(request.body.body)
      const id = store.addMessage(db, c.id, { flatId: actor.flatId, authorId: actor.userId, onBehalf: actor.onBehalf, body }, app.now())
      return reply.code(201).send(store.getMessage(db, id, actor.flatId))
    },
  )

  // ------------------------------------------------------------ blocks

  app.get(
    '/exchange/blocks',
    {
      config: { access: 'member' },
      schema: {
        summary: 'The households this household blocked (by flat label)',
        tags: ['exchange'],
        querystring: AsFlatQuerySchema,
        response: { 200: BlockListSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = optionalActorOf(request)
      return { items: actor ? store.listBlocks(db, actor.flatId) : [] }
    },
  )

  app.post(
    '/exchange/blocks',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Block a household: neither sees the other’s listings, conversations or messages any more',
        tags: ['exchange'],
        querystring: AsFlatQuerySchema,
        body: BlockBodySchema,
        response: { 200: BlockSchema, 201: BlockSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request)
      const other = request.body.flatId
      if (other === actor.flatId) throw withDetails(new InvalidInputError('flatId'), { field: 'flatId' })
      if (!store.flatExists(db, other)) throw new NotFoundError()
      const added = store.addBlock(db, actor.flatId, other, app.now())
      if (added) request.log.info({ onBehalf: actor.onBehalf }, 'exchange household blocked')
      return reply.code(added ? 201 : 200).send(store.getBlock(db, actor.flatId, other)!)
    },
  )

  app.delete(
    '/exchange/blocks/:flatId',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Lift a block this household made',
        tags: ['exchange'],
        params: BlockParamsSchema,
        querystring: AsFlatQuerySchema,
        response: { 204: EmptySchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request)
      if (!store.removeBlock(db, actor.flatId, request.params.flatId)) throw new NotFoundError()
      return reply.code(204).send(null)
    },
  )
}
