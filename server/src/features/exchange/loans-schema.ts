// Schemas of loans, thanks, households' profiles and the time bank. Data only: frozen to JSON at
// build time.
import { Type, type Static } from 'typebox'
import { IdSchema, NullableTimestampSchema, TimestampSchema } from '../../lib/schemas.js'
import { HouseholdRefSchema } from './common-schema.js'
import { ListingSummarySchema } from './listings-schema.js'

// ------------------------------------------------------------ loans

export const LoanStatusSchema = Type.Union([Type.Literal('proposed'), Type.Literal('active'), Type.Literal('returned'), Type.Literal('cancelled')], {
  description: 'proposed (recorded by the lender) → active (confirmed by the borrower) → returned (marked by the lender); proposed → cancelled.',
})

export const LoanSchema = Type.Object({
  id: IdSchema,
  listingId: IdSchema,
  listingTitle: Type.String(),
  conversationId: Type.Union([IdSchema, Type.Null()], { description: 'The conversation of the two households about the listing.' }),
  lender: HouseholdRefSchema,
  borrower: HouseholdRefSchema,
  item: Type.String(),
  dueAt: TimestampSchema,
  status: LoanStatusSchema,
  late: Type.Boolean({ description: 'Active and past its due time (shown to the two households only).' }),
  dueTomorrow: Type.Boolean({ description: 'Active and due on the next calendar day (Paris time): the day-before reminder.' }),
  side: Type.Union([Type.Literal('lender'), Type.Literal('borrower')], { description: 'The caller’s household’s side.' }),
  createdAt: TimestampSchema,
  confirmedAt: NullableTimestampSchema,
  returnedAt: NullableTimestampSchema,
})
export type Loan = Static<typeof LoanSchema>

export const LoansSchema = Type.Object({
  lent: Type.Array(LoanSchema, { description: 'Newest first; cancelled loans left out.' }),
  borrowed: Type.Array(LoanSchema, { description: 'Newest first; cancelled loans left out.' }),
})

export const NewLoanBodySchema = Type.Object(
  {
    conversationId: IdSchema,
    item: Type.String({ minLength: 1, maxLength: 80, description: 'What is lent ("perceuse + mèches").' }),
    dueAt: Type.Integer({ description: 'When it should come back (milliseconds since 1970), in the future, within a year.' }),
  },
  { additionalProperties: false },
)
export type NewLoanBody = Static<typeof NewLoanBodySchema>

// ------------------------------------------------------------ thanks and profile

export const NewThanksBodySchema = Type.Object(
  {
    listingId: IdSchema,
    toFlatId: Type.String({ minLength: 1, maxLength: 64, description: 'The household thanked.' }),
    word: Type.Optional(Type.String({ maxLength: 140, description: 'A short word, may be empty.' })),
  },
  { additionalProperties: false },
)
export type NewThanksBody = Static<typeof NewThanksBodySchema>

export const ThanksSchema = Type.Object({
  id: IdSchema,
  listingId: IdSchema,
  from: HouseholdRefSchema,
  to: HouseholdRefSchema,
  word: Type.String(),
  createdAt: TimestampSchema,
})

export const FlatParamsSchema = Type.Object({ flatId: Type.String({ minLength: 1, maxLength: 64 }) })

export const HouseholdProfileSchema = Type.Object({
  household: HouseholdRefSchema,
  thanksReceived: Type.Integer({ description: 'How many times households said "merci" to this one: the only reputation.' }),
  recentThanks: Type.Array(Type.Object({ word: Type.String(), at: TimestampSchema }), { description: 'The last 10, newest first.' }),
  openListings: Type.Array(ListingSummarySchema, { description: 'Its listings open or reserved now, newest first.' }),
})

// ------------------------------------------------------------ time bank

export const TransferStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('applied'), Type.Literal('declined'), Type.Literal('cancelled')])

export const TransferSchema = Type.Object({
  id: IdSchema,
  payer: HouseholdRefSchema,
  payee: HouseholdRefSchema,
  requestedBy: Type.String({ description: 'The flat id of the household that asked for it (the payer, for a payment).' }),
  minutes: Type.Integer(),
  memo: Type.String(),
  listingId: Type.Union([IdSchema, Type.Null()]),
  status: TransferStatusSchema,
  createdAt: TimestampSchema,
  settledAt: NullableTimestampSchema,
})

export const LedgerEntrySchema = Type.Object({
  transferId: IdSchema,
  minutes: Type.Integer({ description: 'In (> 0) or out (< 0).' }),
  balanceAfter: Type.Integer(),
  other: HouseholdRefSchema,
  memo: Type.String(),
  createdAt: TimestampSchema,
})

export const TimeBankSchema = Type.Object({
  enabled: Type.Boolean(),
  minBalanceMinutes: Type.Integer(),
  maxBalanceMinutes: Type.Integer(),
  balanceMinutes: Type.Integer(),
  entries: Type.Array(LedgerEntrySchema, { description: 'The household’s own ledger, newest first (the last 200).' }),
  pending: Type.Array(TransferSchema, { description: 'Requests waiting for a confirmation, to or from the household.' }),
})

export const NewTransferBodySchema = Type.Object(
  {
    idempotencyKey: Type.String({
      minLength: 8,
      maxLength: 64,
      pattern: '^[\\x21-\\x7e]+$',
      description: 'Made by the client once per transfer: sent again, the same request returns the first transfer.',
    }),
    direction: Type.Union([Type.Literal('pay'), Type.Literal('request')], {
      description: 'pay: the caller’s household pays, applied at once; request: it asks to be paid, applied when the payer confirms.',
    }),
    toFlatId: Type.String({ minLength: 1, maxLength: 64 }),
    minutes: Type.Integer({ minimum: 1, maximum: 6000 }),
    memo: Type.Optional(Type.String({ maxLength: 140 })),
    listingId: Type.Optional(IdSchema),
  },
  { additionalProperties: false },
)
export type NewTransferBody = Static<typeof NewTransferBodySchema>
