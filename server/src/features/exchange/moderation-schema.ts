// Schemas of the exchange's moderation (reports and the caretaker's queue) and of its settings.
// Data only: frozen to JSON at build.
import { Type, type Static } from 'typebox'
import { IdSchema, TimestampSchema } from '../../lib/schemas.js'
import { CATEGORIES, DIRECTIONS, HouseholdRefSchema, KINDS } from './common-schema.js'

// Far beyond any real use (1000 hours), small enough that no sum of balances can overflow.
const LIMIT_RANGE = 60_000

export const ExchangeSettingsSchema = Type.Object(
  {
    timeBankEnabled: Type.Boolean({ description: 'The time bank (SEL) is on. Off by default.' }),
    minBalanceMinutes: Type.Integer({ minimum: -LIMIT_RANGE, maximum: 0, description: 'Lowest balance a household may reach (≤ 0). Default -600.' }),
    maxBalanceMinutes: Type.Integer({ minimum: 0, maximum: LIMIT_RANGE, description: 'Highest balance a household may reach (≥ 0). Default 1200.' }),
    reportThreshold: Type.Integer({ minimum: 1, maximum: 20, description: 'Distinct households whose reports hide a listing until reviewed. Default 3.' }),
  },
  { additionalProperties: false },
)
export type ExchangeSettings = Static<typeof ExchangeSettingsSchema>

export const ExchangeSettingsPatchSchema = Type.Partial(ExchangeSettingsSchema, {
  additionalProperties: false,
  description: 'Fields left out keep their value. Lowering a limit below a current balance is allowed: only new transfers are checked.',
})
export type ExchangeSettingsPatch = Static<typeof ExchangeSettingsPatchSchema>

export const ReportTargetKindSchema = Type.Union([Type.Literal('listing'), Type.Literal('message')])
export type ReportTargetKind = Static<typeof ReportTargetKindSchema>
export const ResolutionSchema = Type.Union([Type.Literal('kept'), Type.Literal('removed')], {
  description: 'kept: the target stays (a hidden listing shows again); removed: a listing is withdrawn, a message emptied.',
})
export type Resolution = Static<typeof ResolutionSchema>

export const NewReportBodySchema = Type.Object(
  {
    targetKind: ReportTargetKindSchema,
    targetId: IdSchema,
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
export type NewReportBody = Static<typeof NewReportBodySchema>

export const ReportSchema = Type.Object({
  id: IdSchema,
  targetKind: ReportTargetKindSchema,
  targetId: IdSchema,
  reason: Type.String(),
  createdAt: TimestampSchema,
  resolution: Type.Union([ResolutionSchema, Type.Null()], { description: 'null while the caretaker has not reviewed it.' }),
})
export type Report = Static<typeof ReportSchema>

export const ReportedListingSchema = Type.Object({
  id: IdSchema,
  direction: Type.Union(DIRECTIONS.map((d) => Type.Literal(d))),
  kind: Type.Union(KINDS.map((k) => Type.Literal(k))),
  category: Type.Union(CATEGORIES.map((c) => Type.Literal(c))),
  title: Type.String(),
  description: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('reserved'), Type.Literal('done'), Type.Literal('withdrawn')]),
  household: HouseholdRefSchema,
  onBehalf: Type.Boolean(),
  hidden: Type.Boolean({ description: 'Hidden from other households until reviewed.' }),
  createdAt: TimestampSchema,
})

export const ReportedMessageSchema = Type.Object(
  {
    id: IdSchema,
    body: Type.String(),
    household: HouseholdRefSchema,
    onBehalf: Type.Boolean(),
    createdAt: TimestampSchema,
  },
  { description: 'The reported message alone: nothing else of its conversation is shown to the caretaker.' },
)

export const ReportGroupSchema = Type.Object({
  targetKind: ReportTargetKindSchema,
  targetId: IdSchema,
  count: Type.Integer({ description: 'Open reports, one per household.' }),
  reasons: Type.Array(Type.String(), { description: 'The non-empty reasons given, oldest first.' }),
  firstReportedAt: TimestampSchema,
  lastReportedAt: TimestampSchema,
  listing: Type.Optional(ReportedListingSchema),
  message: Type.Optional(ReportedMessageSchema),
})
export type ReportGroup = Static<typeof ReportGroupSchema>
export const ReportQueueSchema = Type.Object({ items: Type.Array(ReportGroupSchema) })

export const ResolveParamsSchema = Type.Object({ targetKind: ReportTargetKindSchema, targetId: IdSchema })
export const ResolveBodySchema = Type.Object({ resolution: ResolutionSchema }, { additionalProperties: false })
export const ResolvedSchema = Type.Object({
  targetKind: ReportTargetKindSchema,
  targetId: IdSchema,
  resolution: ResolutionSchema,
  reports: Type.Integer({ description: 'Reports closed by this review.' }),
})
export type Resolved = Static<typeof ResolvedSchema>

export const OnBehalfListSchema = Type.Object({
  items: Type.Array(HouseholdRefSchema, { description: 'Flats without an active resident account, by label.' }),
})
