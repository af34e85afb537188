// Schemas of the exchange's listings (offers and requests) and of the summary behind the badge.
// Data only: frozen to JSON at build time.
import { Type, type Static } from 'typebox'
import { IdSchema, TimestampSchema } from '../../lib/schemas.js'
import { CATEGORIES, DIRECTIONS, HouseholdRefSchema, KINDS } from './common-schema.js'

export const LISTING_STATUSES = ['open', 'reserved', 'done', 'withdrawn'] as const

const DirectionSchema = Type.Union(
  DIRECTIONS.map((d) => Type.Literal(d)),
  { description: 'offer = I propose; request = I am looking for.' },
)
const KindSchema = Type.Union(
  KINDS.map((k) => Type.Literal(k)),
  { description: 'lend (prêt), give (don), help (coup de main), swap (échange de savoirs).' },
)
const CategorySchema = Type.Union(CATEGORIES.map((c) => Type.Literal(c)))
const StatusSchema = Type.Union(
  LISTING_STATUSES.map((s) => Type.Literal(s)),
  { description: 'open ↔ reserved → done; any → withdrawn. done and withdrawn are final.' },
)

const asFlat = Type.Optional(Type.String({ maxLength: 64, description: 'Caretaker only: act for this household without an account.' }))

const TitleSchema = Type.String({ minLength: 3, maxLength: 80 })
const DescriptionSchema = Type.String({ minLength: 1, maxLength: 2000 })
const AvailabilitySchema = Type.String({ maxLength: 200, description: 'When it suits, in the household’s words ("le soir après 18 h").' })
const ExpiresInDaysSchema = Type.Integer({ minimum: 1, maximum: 90, default: 30 })

export const PhotoSchema = Type.Object({ id: IdSchema, url: Type.String(), mime: Type.String() })

const summaryFields = {
  id: IdSchema,
  direction: DirectionSchema,
  kind: KindSchema,
  category: CategorySchema,
  title: Type.String(),
  excerpt: Type.String({ description: 'The first 200 characters of the description.' }),
  availability: Type.String(),
  status: StatusSchema,
  household: HouseholdRefSchema,
  onBehalf: Type.Boolean({ description: 'Published by the caretaker for this household ("fait par le gardien pour ce foyer").' }),
  photo: Type.Union([PhotoSchema, Type.Null()], { description: 'The first photo, if any.' }),
  mine: Type.Boolean({ description: 'The listing of the caller’s household.' }),
  expired: Type.Boolean({ description: 'Past its expiry: no longer listed until renewed.' }),
  hidden: Type.Boolean({ description: 'Hidden after reports until the caretaker reviews it (seen by its household and the caretaker only).' }),
  expiresAt: TimestampSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
}

export const ListingSummarySchema = Type.Object(summaryFields)
export type ListingSummary = Static<typeof ListingSummarySchema>

export const ListingSchema = Type.Object({
  ...summaryFields,
  description: Type.String(),
  photos: Type.Array(PhotoSchema),
  conversationId: Type.Union([IdSchema, Type.Null()], { description: 'The conversation of the caller’s household about this listing, if any.' }),
})
export type Listing = Static<typeof ListingSchema>

export const ListingPageSchema = Type.Object({
  items: Type.Array(ListingSummarySchema),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass it as `cursor` for the next page; null at the end.' }),
})
export const NotModifiedSchema = Type.Null({ description: 'Not modified: the client’s copy (If-None-Match) is current.' })
export const MyListingsSchema = Type.Object({ items: Type.Array(ListingSummarySchema) })

export const ListQuerySchema = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Words to find in titles and descriptions (each a word start; all must match; case and accents ignored).' })),
    direction: Type.Optional(DirectionSchema),
    kind: Type.Optional(KindSchema),
    category: Type.Optional(CategorySchema),
    sort: Type.Optional(Type.Union([Type.Literal('newest'), Type.Literal('closing')], { default: 'newest', description: 'closing = soonest expiry first.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page (same query and sort).' })),
    asFlat,
  },
  { additionalProperties: false },
)

export const AsFlatQuerySchema = Type.Object({ asFlat }, { additionalProperties: false })

export const NewListingBodySchema = Type.Object(
  {
    direction: DirectionSchema,
    kind: KindSchema,
    category: CategorySchema,
    title: TitleSchema,
    description: DescriptionSchema,
    availability: Type.Optional(AvailabilitySchema),
    expiresInDays: Type.Optional(ExpiresInDaysSchema),
  },
  { additionalProperties: false },
)

export const PatchListingBodySchema = Type.Object(
  {
    title: Type.Optional(TitleSchema),
    description: Type.Optional(DescriptionSchema),
    availability: Type.Optional(AvailabilitySchema),
    category: Type.Optional(CategorySchema),
    status: Type.Optional(StatusSchema),
  },
  { additionalProperties: false },
)

export const RenewBodySchema = Type.Object({ expiresInDays: Type.Optional(ExpiresInDaysSchema) }, { additionalProperties: false })

export const PhotoParamsSchema = Type.Object({ id: IdSchema, photoId: IdSchema })
export const PhotoBytesSchema = Type.String({ description: 'The image bytes (JPEG, PNG or WebP).' })

export const SummarySchema = Type.Object({
  unreadConversations: Type.Integer({ description: 'Conversations with messages the household has not read.' }),
  expiredListings: Type.Array(ListingSummarySchema, {
    description: 'The household’s listings that expired in the last 30 days and are still open or reserved: renew or withdraw them.',
  }),
  loansDueTomorrow: Type.Integer(),
  lateLoans: Type.Integer(),
  loansToConfirm: Type.Integer(),
  transfersToConfirm: Type.Integer(),
  timeBankEnabled: Type.Boolean(),
})
export type Summary = Static<typeof SummarySchema>
