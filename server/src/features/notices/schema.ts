// Notice board schemas. Data only: frozen to JSON at build time.
import { Type, type Static } from 'typebox'
import { IdSchema, NullableTimestampSchema, TimestampSchema } from '../../lib/schemas.js'

export const NoticeKindSchema = Type.Union([Type.Literal('urgent'), Type.Literal('works'), Type.Literal('info'), Type.Literal('event')], {
  description: 'urgent and works are the caretaker’s and the landlord’s only.',
})
export const NoticeStatusSchema = Type.Union([
  Type.Literal('published'),
  Type.Literal('pending'),
  Type.Literal('rejected'),
  Type.Literal('archived'),
])
export const ReactionKindSchema = Type.Union([Type.Literal('going'), Type.Literal('thanks')])
export const ResidentPostingSchema = Type.Union([Type.Literal('off'), Type.Literal('approval'), Type.Literal('free')])

export const NoticeImageSchema = Type.Object({
  id: IdSchema,
  url: Type.String(),
  width: Type.Union([Type.Integer(), Type.Null()]),
  height: Type.Union([Type.Integer(), Type.Null()]),
  mime: Type.String(),
})

export const NoticeSchema = Type.Object({
  id: IdSchema,
  kind: NoticeKindSchema,
  title: Type.String(),
  body: Type.String({ description: 'The source text as written.' }),
  bodyHtml: Type.String({ description: 'The body rendered by the server to safe HTML (p, ul/li, strong, a only).' }),
  origin: Type.Union([Type.Literal('caretaker'), Type.Literal('landlord'), Type.Literal('resident')]),
  author: Type.Union([Type.Object({ displayName: Type.String() }), Type.Null()], { description: 'null for landlord notices.' }),
  status: NoticeStatusSchema,
  pinned: Type.Boolean(),
  startsAt: TimestampSchema,
  expiresAt: NullableTimestampSchema,
  audience: Type.Array(Type.String(), { description: 'Entrances the notice is for; [] = the whole building.' }),
  images: Type.Array(NoticeImageSchema),
  going: Type.Integer({ description: 'People who said “je participe”.' }),
  thanks: Type.Integer(),
  myReactions: Type.Array(ReactionKindSchema),
  commentsAllowed: Type.Boolean(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
})
export type Notice = Static<typeof NoticeSchema>

// The board lists notices without their source text: the HTML is what shows, and the page is
// the box's most sent answer (GET /notices/:id has the source, for editing).
export const BoardNoticeSchema = Type.Omit(NoticeSchema, ['body'])

export const NoticePageSchema = Type.Object({
  notices: Type.Array(BoardNoticeSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
})

export const ArchivePageSchema = Type.Object({
  notices: Type.Array(NoticeSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
})
export const NoticeQueueSchema = Type.Object({ notices: Type.Array(NoticeSchema) })

export const BoardQuerySchema = Type.Object({
  cursor: Type.Optional(Type.String({ pattern: '^[01]{2}[0-9a-f-]{36}$', description: 'nextCursor of the previous page.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
})
export const ArchiveQuerySchema = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Words to find in the title or body (case and accents ignored).' })),
  cursor: Type.Optional(IdSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
})

const TitleSchema = Type.String({ minLength: 1, maxLength: 120 })
const BodySchema = Type.String({ maxLength: 5000, description: 'Plain text: blank line = paragraph, "- " = list item, **bold**, [text](https://…).' })
const AudienceSchema = Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 50, description: 'Entrances; [] or absent = the whole building.' })

export const NewNoticeBodySchema = Type.Object(
  {
    kind: NoticeKindSchema,
    title: TitleSchema,
    body: BodySchema,
    pinned: Type.Optional(Type.Boolean()),
    startsAt: Type.Optional(Type.Union([TimestampSchema, Type.Null()], { description: 'Absent or null: from publication.' })),
    expiresAt: Type.Optional(NullableTimestampSchema),
    audience: Type.Optional(AudienceSchema),
  },
  { additionalProperties: false },
)
export type NewNoticeBody = Static<typeof NewNoticeBodySchema>

export const NoticePatchBodySchema = Type.Object(
  {
    kind: Type.Optional(NoticeKindSchema),
    title: Type.Optional(TitleSchema),
    body: Type.Optional(BodySchema),
    pinned: Type.Optional(Type.Boolean()),
    startsAt: Type.Optional(Type.Union([TimestampSchema, Type.Null()])),
    expiresAt: Type.Optional(NullableTimestampSchema),
    audience: Type.Optional(AudienceSchema),
  },
  { additionalProperties: false },
)
export type NoticePatchBody = Static<typeof NoticePatchBodySchema>

export const ReactionParamsSchema = Type.Object({ id: IdSchema, kind: ReactionKindSchema })
export const ReactionsSchema = Type.Object({
  going: Type.Integer(),
  thanks: Type.Integer(),
  myReactions: Type.Array(ReactionKindSchema),
})

export const ImageParamsSchema = Type.Object({ id: IdSchema, imageId: IdSchema })
export const ImageUploadedSchema = Type.Object({ id: IdSchema, url: Type.String(), mime: Type.String() })
export const ImageBytesSchema = Type.String({ description: 'The image (image/jpeg, image/png or image/webp).' })

export const NoticeStatsSchema = Type.Object({
  households: Type.Integer({ description: 'Households (flats) in which someone saw the notice.' }),
  totalHouseholds: Type.Integer({ description: 'Flats with access and at least one resident account.' }),
})

export const NoticeSettingsSchema = Type.Object({ residentPosting: ResidentPostingSchema }, { additionalProperties: false })

export const NotModifiedSchema = Type.Null({ description: 'Not modified: the client’s copy (If-None-Match) is current.' })
export const NoticeHtmlSchema = Type.String({ description: 'An HTML page.' })
