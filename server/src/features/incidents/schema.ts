// Schemas of the incident reports ("Signaler un problème"). Data only: frozen to JSON at build.
import { Type, type Static } from 'typebox'
import { IdSchema, TimestampSchema } from '../../lib/schemas.js'

/** The life cycle, in order: a status may only move forward, except resolved → in_progress. */
export const INCIDENT_STATUSES = ['new', 'acknowledged', 'in_progress', 'resolved', 'closed'] as const

const CategorySchema = Type.Union(
  [
    Type.Literal('lift'),
    Type.Literal('heating'),
    Type.Literal('hot_water'),
    Type.Literal('leak'),
    Type.Literal('electricity'),
    Type.Literal('doors_intercom'),
    Type.Literal('cleanliness'),
    Type.Literal('pests'),
    Type.Literal('other'),
  ],
  { description: 'lift, heating, hot_water, leak, electricity (and lighting), doors_intercom, cleanliness, pests, other.' },
)
const PlaceKindSchema = Type.Union(
  [Type.Literal('entrance'), Type.Literal('floor'), Type.Literal('common'), Type.Literal('flat')],
  { description: "'flat' = inside my flat: private to that flat and the caretaker." },
)
export const StatusSchema = Type.Union([
  Type.Literal('new'),
  Type.Literal('acknowledged'),
  Type.Literal('in_progress'),
  Type.Literal('resolved'),
  Type.Literal('closed'),
])
const MessageSchema = Type.String({ minLength: 1, maxLength: 1000 })

export const PlaceSchema = Type.Object(
  {
    kind: PlaceKindSchema,
    detail: Type.String({ maxLength: 80, description: 'e.g. "Entrée A", "3e étage", "Local vélos"; empty for a flat.' }),
  },
  { additionalProperties: false },
)

export const PhotoSchema = Type.Object({ id: IdSchema, url: Type.String() })

const summaryFields = {
  id: IdSchema,
  category: CategorySchema,
  place: PlaceSchema,
  description: Type.String(),
  photo: Type.Union([PhotoSchema, Type.Null()]),
  status: StatusSchema,
  private: Type.Boolean({ description: 'Inside a flat: only that flat and the caretaker see it.' }),
  affectedCount: Type.Integer({ description: 'Households affected (the reporter’s and each "moi aussi"), once each.' }),
  iAmAffected: Type.Boolean({ description: 'The caller’s household is among them.' }),
  iReported: Type.Boolean({ description: 'The caller reported it.' }),
  awaitingMyConfirmation: Type.Boolean({ description: 'Resolved, and the caller’s household is asked "Is it fixed?".' }),
  mergedInto: Type.Union([IdSchema, Type.Null()]),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
}

export const IncidentSummarySchema = Type.Object(summaryFields)
export const IncidentListSchema = Type.Object({ incidents: Type.Array(IncidentSummarySchema) })

export const TimelineEntrySchema = Type.Object({
  id: IdSchema,
  at: TimestampSchema,
  kind: Type.Union([
    Type.Literal('reported'),
    Type.Literal('affected'),
    Type.Literal('status'),
    Type.Literal('message'),
    Type.Literal('confirmed'),
    Type.Literal('reopened'),
    Type.Literal('merged'),
  ]),
  status: Type.Optional(StatusSchema),
  message: Type.Optional(Type.String()),
  by: Type.Union([Type.Literal('resident'), Type.Literal('caretaker'), Type.Literal('landlord')]),
})

export const IncidentSchema = Type.Object({
  ...summaryFields,
  timeline: Type.Array(TimelineEntrySchema, { description: 'Oldest first, in the order things happened on the box.' }),
})
export type Incident = Static<typeof IncidentSchema>
export type IncidentCategory = Static<typeof CategorySchema>
export type PlaceKind = Static<typeof PlaceKindSchema>
export type IncidentStatus = Static<typeof StatusSchema>
export type IncidentSummary = Static<typeof IncidentSummarySchema>
export type TimelineEntry = Static<typeof TimelineEntrySchema>

export const ListQuerySchema = Type.Object({
  status: Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('all')], {
    default: 'open',
    description: 'open = not closed.',
  }),
})

export const SimilarQuerySchema = Type.Object({
  category: CategorySchema,
  placeKind: PlaceKindSchema,
  placeDetail: Type.String({ maxLength: 80, default: '' }),
})

export const NewIncidentBodySchema = Type.Object(
  {
    category: CategorySchema,
    place: PlaceSchema,
    description: Type.String({ minLength: 1, maxLength: 2000 }),
    contactOk: Type.Optional(Type.Boolean({ description: 'The landlord may contact me: sends my flat’s name with the report.' })),
  },
  { additionalProperties: false },
)

export const AffectedBodySchema = Type.Object(
  { contactOk: Type.Optional(Type.Boolean({ description: 'The landlord may contact my household.' })) },
  { additionalProperties: false },
)
export const AffectedResultSchema = Type.Object({ affectedCount: Type.Integer(), iAmAffected: Type.Boolean() })

export const StatusBodySchema = Type.Object({ status: StatusSchema, message: Type.Optional(MessageSchema) }, { additionalProperties: false })
export const MessageBodySchema = Type.Object({ message: MessageSchema }, { additionalProperties: false })
export const ConfirmBodySchema = Type.Object(
  { fixed: Type.Boolean(), message: Type.Optional(MessageSchema) },
  { additionalProperties: false },
)
export const MergeBodySchema = Type.Object({ into: IdSchema }, { additionalProperties: false })
export const NoticeFromIncidentBodySchema = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    body: Type.Optional(Type.String({ minLength: 1, maxLength: 5000 })),
  },
  { additionalProperties: false },
)

export const PhotoParamsSchema = Type.Object({ id: IdSchema, photoId: IdSchema })
export const PhotoBytesSchema = Type.String({ description: 'The image bytes (JPEG, PNG or WebP).' })
