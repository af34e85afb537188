// Loans, "merci", households' profiles and the time bank. A loan, a transfer and a household's
// ledger are seen by the households concerned only: anyone else gets 404.
import createError from '@fastify/error'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from '../../config.js'
import type { Db } from '../../db/index.js'
import { InvalidInputError, NotFoundError, withDetails } from '../../lib/errors.js'
import { errorResponses } from '../../lib/responses.js'
import { IdParamsSchema } from '../../lib/schemas.js'
import { AsFlatQuerySchema } from './common-schema.js'
import { ListingClosedError, NotYetDoneError, TimeBankOffError } from './errors.js'
import { actorOf, blockedBetween, householdRef, optionalActorOf } from './household.js'
import {
  FlatParamsSchema,
  HouseholdProfileSchema,
  LoanSchema,
  LoansSchema,
  NewLoanBodySchema,
  NewThanksBodySchema,
  NewTransferBodySchema,
  ThanksSchema,
  TimeBankSchema,
  TransferSchema,
  type Loan,
} from './loans-schema.js'
import { conversationBetween, conversationFor } from './conversations-store.js'
import { listMine } from './listings-store.js'
import * as loans from './loans-store.js'
import { exchangeSettings } from './moderation-store.js'
import * as bank from './timebank-store.js'

/** The step belongs to the other household (the borrower confirms, the lender marks returned, the payer confirms). */
const OtherHouseholdError = createError('PALIER_OTHER_HOUSEHOLD', 'the other household does this', 403)
const NotALoanError = createError('PALIER_NOT_A_LOAN', 'a loan is recorded on a lend listing', 409)

const MAX_LOAN_MS = 366 * 86_400_000

/** One line of text: NFC, controls and runs of spaces folded, trimmed. */
function cleanLine(text: string): string {
  return text.normalize('NFC').replace(/[\p{Cc}\s]+/gu, ' ').trim()
}

function toLoan(db: Db, row: loans.LoanRow, flatId: string, now: number): Loan {
  return {
    id: row.id,
    listingId: row.listing_id,
    listingTitle: row.listing_title,
    conversationId: row.conversation_id,
    lender: householdRef(db, row.lender_flat_id),
    borrower: householdRef(db, row.borrower_flat_id),
    item: row.item,
    dueAt: row.due_at,
    status: row.status,
    late: loans.isLate(row, now),
    dueTomorrow: loans.isDueTomorrow(row, now),
    side: row.lender_flat_id === flatId ? 'lender' : 'borrower',
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
    returnedAt: row.returned_at,
  }
}

function toTransfer(db: Db, t: bank.TransferRow) {
  return {
    id: t.id,
    payer: householdRef(db, t.payer_flat_id),
    payee: householdRef(db, t.payee_flat_id),
    requestedBy: t.requested_by_flat_id,
    minutes: t.minutes,
    memo: t.memo,
    listingId: t.listing_id,
    status: t.status,
    createdAt: t.created_at,
    settledAt: t.settled_at,
  }
}

export default async function loansRoutes(fastify: FastifyInstance, _opts: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = app.db

  /** The loan, if the household is one of its two sides. */
  function loanOr404(id: string, flatId: string): loans.LoanRow {
    const row = loans.getLoan(db, id)
    if (!row || (row.lender_flat_id !== flatId && row.borrower_flat_id !== flatId)) throw new NotFoundError()
    return row
  }

  // ------------------------------------------------------------ loans

  app.get(
    '/exchange/loans',
    {
      config: { access: 'member' },
      schema: {
        summary: '"Mes prêts": what the household lent and borrowed, with the late and due-tomorrow flags',
        tags: ['exchange'],
        querystring: AsFlatQuerySchema,
        response: { 200: LoansSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { flatId } = actorOf(request)
      const now = app.now()
      const all = loans.loansOf(db, flatId).map((r) => toLoan(db, r, flatId, now))
      return { lent: all.filter((l) => l.side === 'lender'), borrowed: all.filter((l) => l.side === 'borrower') }
    },
  )

  app.post(
    '/exchange/loans',
    {
      config: { access: 'member' },
      schema: {
        summary: 'The lender records a loan to the other household of a conversation about a lend listing (the borrower then confirms)',
        tags: ['exchange'],
        querystring: AsFlatQuerySchema,
        body: NewLoanBodySchema,
        response: { 201: LoanSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { flatId } = actorOf(request)
      const now = app.now()
      // Only one of its two households, and not a blocked pair.
      const conversation = conversationFor(db, request.body.conversationId, flatId)
      if (!conversation) throw new NotFoundError()
      const other = conversation.owner_flat_id === flatId ? conversation.other_flat_id : conversation.owner_flat_id
      const listing = loans.getListing(db, conversation.listing_id)!
      if (listing.kind !== 'lend') throw new NotALoanError()
      if (listing.status === 'withdrawn') throw new ListingClosedError()
      // The lender is the one who offered to lend, or the one who answered a request to borrow.
      const lender = listing.direction === 'offer' ? conversation.owner_flat_id : conversation.other_flat_id
      if (lender !== flatId) throw new OtherHouseholdError()
      const item = cleanLine(request.body.item)
      if (!item) throw withDetails(new InvalidInputError('item'), { field: 'item' })
      const dueAt = request.body.dueAt
      if (dueAt <= now || dueAt > now + MAX_LOAN_MS) throw withDetails(new InvalidInputError('dueAt'), { field: 'dueAt' })
      const id = loans.createLoan(db, { listingId: listing.id, lenderFlatId: flatId, borrowerFlatId: other, item, dueAt }, now)
      request.log.info({ loanId: id }, 'loan recorded')
      return reply.code(201).send(toLoan(db, loans.getLoan(db, id)!, flatId, now))
    },
  )

  for (const [action, summary] of [
    ['confirm', 'The borrower confirms the loan (proposed → active)'],
    ['returned', 'The lender marks the loan returned (active → returned)'],
    ['cancel', 'Take back a loan not yet confirmed: the lender cancels it, or the borrower declines it (proposed → cancelled)'],
  ] as const) {
    app.post(
      `/exchange/loans/:id/${action}`,
      {
        config: { access: 'member' },
        schema: {
          summary,
          tags: ['exchange'],
          params: IdParamsSchema,
          querystring: AsFlatQuerySchema,
          response: { 200: LoanSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const { flatId } = actorOf(request)
        const row = loanOr404(request.params.id, flatId)
        const lender = row.lender_flat_id === flatId
        if ((action === 'confirm' && lender) || (action === 'returned' && !lender)) throw new OtherHouseholdError()
        const now = app.now()
        loans.setLoanStatus(db, row.id, action === 'confirm' ? 'active' : action === 'returned' ? 'returned' : 'cancelled', now)
        request.log.info({ loanId: row.id, action }, 'loan changed')
        return toLoan(db, loans.getLoan(db, row.id)!, flatId, now)
      },
    )
  }

  // ------------------------------------------------------------ thanks and profile

  app.post(
    '/exchange/thanks',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Say "merci" to the other household of an exchange that is done (once per listing and pair)',
        tags: ['exchange'],
        querystring: AsFlatQuerySchema,
        body: NewThanksBodySchema,
        response: { 201: ThanksSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { flatId } = actorOf(request)
      const { listingId, toFlatId } = request.body
      if (toFlatId === flatId) throw withDetails(new InvalidInputError('toFlatId'), { field: 'toFlatId' })
      const listing = loans.getListing(db, listingId)
      if (!listing || !conversationBetween(db, listingId, flatId, toFlatId) || blockedBetween(db, flatId, toFlatId)) throw new NotFoundError()
      // The household that received says thanks: the borrower of a returned loan; for a done
      // listing, the one that answered an offer or the one that posted a request (both, for a swap).
      const mine = listing.flat_id === flatId
      const receiver = listing.kind === 'swap' || (listing.direction === 'offer' ? !mine : mine)
      if (!loans.hasReturnedLoan(db, listingId, toFlatId, flatId) && !(listing.status === 'done' && receiver)) {
        if (loans.hasReturnedLoan(db, listingId, flatId, toFlatId) || listing.status === 'done') throw new OtherHouseholdError()
        throw new NotYetDoneError()
      }
      const word = cleanLine(request.body.word ?? '')
      if (word.length > 140) throw withDetails(new InvalidInputError('word'), { field: 'word' })
      const thanks = loans.insertThanks(db, { listingId, fromFlatId: flatId, toFlatId, word }, app.now())
      request.log.info({ listingId }, 'thanks said')
      return reply.code(201).send({
        id: thanks.id,
        listingId,
        from: householdRef(db, flatId),
        to: householdRef(db, toFlatId),
        word,
        createdAt: thanks.created_at,
      })
    },
  )

  app.get(
    '/exchange/households/:flatId',
    {
      config: { access: 'member' },
      schema: {
        summary: 'A household’s profile: how many thanks it received (the only reputation) and its open listings',
        tags: ['exchange'],
        params: FlatParamsSchema,
        querystring: AsFlatQuerySchema,
        response: { 200: HouseholdProfileSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const viewer = optionalActorOf(request)
      const { flatId } = request.params
      if (!loans.flatExists(db, flatId) || (viewer && blockedBetween(db, viewer.flatId, flatId))) throw new NotFoundError()
      return {
        household: householdRef(db, flatId),
        thanksReceived: loans.thanksReceived(db, flatId),
        recentThanks: loans.recentThanks(db, flatId),
        // What anyone may see of it now: open or reserved, not expired, not hidden by reports.
        openListings: listMine(db, flatId, app.now())
          .filter((l) => (l.status === 'open' || l.status === 'reserved') && !l.expired && !l.hidden)
          .map((l) => ({ ...l, mine: l.household.id === viewer?.flatId })),
      }
    },
  )

  // ------------------------------------------------------------ time bank

  /** The transfer, if the household is its payer or payee. */
  function transferOr404(id: string, flatId: string): bank.TransferRow {
    const row = bank.getTransfer(db, id)
    if (!row || (row.payer_flat_id !== flatId && row.payee_flat_id !== flatId)) throw new NotFoundError()
    return row
  }

  app.get(
    '/exchange/timebank',
    {
      config: { access: 'member' },
      schema: {
        summary: 'The time bank as the household sees it: its balance, its own ledger and the transfers waiting',
        tags: ['exchange'],
        querystring: AsFlatQuerySchema,
        response: { 200: TimeBankSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { flatId } = actorOf(request)
      const settings = exchangeSettings(db)
      return {
        enabled: settings.timeBankEnabled,
        minBalanceMinutes: settings.minBalanceMinutes,
        maxBalanceMinutes: settings.maxBalanceMinutes,
        balanceMinutes: bank.balanceOf(db, flatId),
        entries: bank.ledgerOf(db, flatId).map((e) => ({
          transferId: e.transfer_id,
          minutes: e.minutes,
          balanceAfter: e.balance_after,
          other: householdRef(db, e.other_flat_id),
          memo: e.memo,
          createdAt: e.created_at,
        })),
        pending: bank.pendingTransfers(db, flatId).map((t) => toTransfer(db, t)),
      }
    },
  )

  app.post(
    '/exchange/timebank/transfers',
    {
      config: { access: 'member' },
      schema: {
        summary: 'Pay minutes to a household (applied at once) or ask one to pay (applied when it confirms); a retry with the same key returns the first transfer',
        tags: ['exchange'],
        querystring: AsFlatQuerySchema,
        body: NewTransferBodySchema,
        response: { 200: TransferSchema, 201: TransferSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { flatId } = actorOf(request)
      const settings = exchangeSettings(db)
      if (!settings.timeBankEnabled) throw new TimeBankOffError()
      const b = request.body
      if (b.toFlatId === flatId) throw withDetails(new InvalidInputError('toFlatId'), { field: 'toFlatId' })
      if (!loans.flatExists(db, b.toFlatId) || blockedBetween(db, flatId, b.toFlatId)) throw new NotFoundError()
      if (b.listingId !== undefined) {
        const listing = loans.getListing(db, b.listingId)
        if (!listing || blockedBetween(db, flatId, listing.flat_id)) throw new NotFoundError()
      }
      const { transfer, created } = bank.createTransfer(
        db,
        {
          requestedBy: flatId,
          direction: b.direction,
          toFlatId: b.toFlatId,
          minutes: b.minutes,
          memo: cleanLine(b.memo ?? ''),
          listingId: b.listingId ?? null,
          idempotencyKey: b.idempotencyKey,
        },
        settings,
        app.now(),
      )
      if (created) request.log.info({ transferId: transfer.id, direction: b.direction }, 'time bank transfer recorded')
      return reply.code(created ? 201 : 200).send(toTransfer(db, transfer))
    },
  )

  for (const [action, summary] of [
    ['confirm', 'The payer confirms a request: the minutes move (once, however often it is sent)'],
    ['decline', 'The payer declines a request'],
    ['cancel', 'The household that asked takes its request back'],
  ] as const) {
    app.post(
      `/exchange/timebank/transfers/:id/${action}`,
      {
        config: { access: 'member' },
        schema: {
          summary,
          tags: ['exchange'],
          params: IdParamsSchema,
          querystring: AsFlatQuerySchema,
          response: { 200: TransferSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const { flatId } = actorOf(request)
        const row = transferOr404(request.params.id, flatId)
        const settings = exchangeSettings(db)
        // Declining or cancelling moves nothing: still allowed once the bank is off, to clear what waits.
        if (action === 'confirm' && !settings.timeBankEnabled) throw new TimeBankOffError()
        const allowed = action === 'cancel' ? row.requested_by_flat_id === flatId : row.payer_flat_id === flatId
        if (!allowed) throw new OtherHouseholdError()
        const now = app.now()
        const after =
          action === 'confirm' ? bank.confirmTransfer(db, row.id, settings, now) : bank.closeTransfer(db, row.id, action === 'decline' ? 'declined' : 'cancelled', now)
        request.log.info({ transferId: row.id, action }, 'time bank transfer changed')
        return toTransfer(db, after)
      },
    )
  }
}
