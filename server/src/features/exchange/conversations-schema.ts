// Schemas of the exchange's private conversations and blocks. Data only: frozen to JSON at build.
import { Type, type Static } from 'typebox'
import { IdSchema, NullableTimestampSchema, TimestampSchema } from '../../lib/schemas.js'
import { HouseholdRefSchema } from './common-schema.js'

const DirectionSchema = Type.Union([Type.Literal('offer'), Type.Literal('request')])
const KindSchema = Type.Union([Type.Literal('lend'), Type.Literal('give'), Type.Literal('help'), Type.Literal('swap')])
const ListingStatusSchema = Type.Union([Type.Literal('open'), Type.Literal('reserved'), Type.Literal('done'), Type.Literal('withdrawn')])

export const MessageBodySchema = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 2000, description: 'Plain text; line breaks are kept.' }) },
  { additionalProperties: false },
)
export type MessageBody = Static<typeof MessageBodySchema>

/** The listing as both households see it at the head of their conversation. */
export const ConversationListingSchema = Type.Object({
  id: IdSchema,
  direction: DirectionSchema,
  kind: KindSchema,
  category: Type.String(),
  title: Type.String(),
  description: Type.String(),
  availability: Type.String(),
  status: ListingStatusSchema,
  expiresAt: TimestampSchema,
  expired: Type.Boolean(),
  mine: Type.Boolean({ description: 'The caller’s household posted it.' }),
  household: HouseholdRefSchema,
  onBehalf: Type.Boolean({ description: 'Posted by the caretaker for this household.' }),
  photos: Type.Array(Type.Object({ id: IdSchema, url: Type.String(), mime: Type.String() })), // as the listings module shows them
})
export type ConversationListing = Static<typeof ConversationListingSchema>

/** The listing in a line of the conversations list. */
export const ListingBriefSchema = Type.Object({
  id: IdSchema,
  direction: DirectionSchema,
  kind: KindSchema,
  category: Type.String(),
  title: Type.String(),
  status: ListingStatusSchema,
  expired: Type.Boolean(),
  mine: Type.Boolean({ description: 'The caller’s household posted it.' }),
})
export type ListingBrief = Static<typeof ListingBriefSchema>

export const ConversationSchema = Type.Object({
  id: IdSchema,
  listingId: IdSchema,
  ownListing: Type.Boolean({ description: 'The caller’s household posted the listing (the other household answered it).' }),
  household: HouseholdRefSchema, // the other household
  createdAt: TimestampSchema,
  lastMessageAt: NullableTimestampSchema,
})
export type Conversation = Static<typeof ConversationSchema>

export const MessageSchema = Type.Object({
  id: IdSchema,
  conversationId: IdSchema,
  mine: Type.Boolean({ description: 'Written by the caller’s household.' }),
  household: HouseholdRefSchema, // who wrote, with the name of the person who did
  onBehalf: Type.Boolean({ description: 'Written by the caretaker for this household ("fait par le gardien pour ce foyer").' }),
  body: Type.String({ description: 'Empty when the caretaker removed the message after a report.' }),
  removed: Type.Boolean({ description: 'Removed by the caretaker after a report (the body is then empty).' }),
  createdAt: TimestampSchema,
})
export type Message = Static<typeof MessageSchema>

export const ConversationSummarySchema = Type.Object({
  id: IdSchema,
  listing: ListingBriefSchema,
  ownListing: Type.Boolean({ description: 'The caller’s household posted the listing.' }),
  household: HouseholdRefSchema, // the other household
  lastMessage: Type.Union([
    Type.Object({
      excerpt: Type.String({ description: 'The first 120 characters, on one line.' }),
      mine: Type.Boolean(),
      removed: Type.Boolean(),
      at: TimestampSchema,
    }),
    Type.Null(),
  ]),
  unread: Type.Integer({ description: 'Messages from the other household not yet read by the caller’s.' }),
  createdAt: TimestampSchema,
})
export type ConversationSummary = Static<typeof ConversationSummarySchema>

export const ConversationListSchema = Type.Object({ items: Type.Array(ConversationSummarySchema) })

export const ConversationDetailSchema = Type.Object({
  conversation: ConversationSchema,
  listing: ConversationListingSchema,
  messages: Type.Array(MessageSchema, { description: 'Oldest first.' }),
})
export type ConversationDetail = Static<typeof ConversationDetailSchema>

export const BlockBodySchema = Type.Object({ flatId: IdSchema }, { additionalProperties: false })
export const BlockParamsSchema = Type.Object({ flatId: IdSchema })

/** A household this one blocked: shown by its flat label only. */
export const BlockSchema = Type.Object({
  flatId: IdSchema,
  label: Type.String(),
  createdAt: TimestampSchema,
})
export type Block = Static<typeof BlockSchema>
export const BlockListSchema = Type.Object({ items: Type.Array(BlockSchema) })
