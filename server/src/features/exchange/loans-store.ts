// SQL for loans (recorded by the lender, confirmed by the borrower, seen by those two only),
// for "merci" (the only reputation) and for a household's profile.
import { prepared, type Db } from '../../db/index.js'
import { newId } from '../../lib/ids.js'
import { AlreadyThankedError, ExchangeBadTransitionError } from './errors.js'

export type LoanStatus = 'proposed' | 'active' | 'returned' | 'cancelled'

export interface LoanRow {
  seq: number
  id: string
  listing_id: string
  listing_title: string
  lender_flat_id: string
  borrower_flat_id: string
  item: string
  due_at: number
  status: LoanStatus
  created_at: number
  confirmed_at: number | null
  returned_at: number | null
  conversation_id: string | null
}

export interface ListingRow {
  id: string
  flat_id: string
  direction: 'offer' | 'request'
  kind: 'lend' | 'give' | 'help' | 'swap'
  title: string
  status: 'open' | 'reserved' | 'done' | 'withdrawn'
}

// ------------------------------------------------------------ calendar days in Paris

// The building lives on Paris time: "tomorrow" is the next calendar day there, whatever the
// box's own time zone, summer time included.
// Made on first use: a time-zone formatter loads ICU data (megabytes) an idle box should not hold.
let parisDate: Intl.DateTimeFormat | undefined

/** The calendar day in Paris of an instant, as YYYY-MM-DD. */
export function parisDay(ms: number): string {
  parisDate ??= new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' })
  const parts = Object.fromEntries(parisDate.formatToParts(ms).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day}`
}

/** The day after a YYYY-MM-DD day. */
function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)
}

/** An active loan due on the next calendar day (Paris): the day-before reminder. */
export function isDueTomorrow(loan: { status: LoanStatus; due_at: number }, now: number): boolean {
  return loan.status === 'active' && loan.due_at >= now && parisDay(loan.due_at) === nextDay(parisDay(now))
}

/** An active loan past its due time. */
export function isLate(loan: { status: LoanStatus; due_at: number }, now: number): boolean {
  return loan.status === 'active' && loan.due_at < now
}

// ------------------------------------------------------------ loans

const LOAN_SELECT = `
  SELECT l.seq, l.id, l.listing_id, li.title AS listing_title, l.lender_flat_id, l.borrower_flat_id, l.item, l.due_at, l.status,
         l.created_at, l.confirmed_at, l.returned_at,
         (SELECT c.id FROM exchange_conversations c WHERE c.listing_id = l.listing_id
            AND ((c.owner_flat_id = l.lender_flat_id AND c.other_flat_id = l.borrower_flat_id)
              OR (c.owner_flat_id = l.borrower_flat_id AND c.other_flat_id = l.lender_flat_id))) AS conversation_id
  FROM exchange_loans l JOIN exchange_listings li ON li.id = l.listing_id`

/** For the badge and the reminders: loans of the household due tomorrow or late (either side), and loans it has to confirm. */
export function loanCounts(db: Db, flatId: string, now: number): { dueTomorrow: number; late: number; toConfirm: number } {
  const rows = prepared(
    db,
    `SELECT status, due_at, borrower_flat_id FROM exchange_loans
     WHERE (lender_flat_id = ? AND status = 'active') OR (borrower_flat_id = ? AND status IN ('active', 'proposed'))`,
  ).all(flatId, flatId) as { status: LoanStatus; due_at: number; borrower_flat_id: string }[]
  let dueTomorrow = 0
  let late = 0
  let toConfirm = 0
  for (const r of rows) {
    if (r.status === 'proposed') toConfirm++
    else if (isLate(r, now)) late++
    else if (isDueTomorrow(r, now)) dueTomorrow++
  }
  return { dueTomorrow, late, toConfirm }
}

export function getLoan(db: Db, id: string): LoanRow | undefined {
  return prepared(db, `${LOAN_SELECT} WHERE l.id = ?`).get(id) as LoanRow | undefined
}

/** The household's loans, both sides, cancelled ones left out; newest first. */
export function loansOf(db: Db, flatId: string): LoanRow[] {
  return prepared(
    db,
    `${LOAN_SELECT} WHERE (l.lender_flat_id = ? OR l.borrower_flat_id = ?) AND l.status <> 'cancelled' ORDER BY l.seq DESC LIMIT 500`,
  ).all(flatId, flatId) as LoanRow[]
}

export function createLoan(
  db: Db,
  loan: { listingId: string; lenderFlatId: string; borrowerFlatId: string; item: string; dueAt: number },
  now: number,
): string {
  const id = newId(now)
  prepared(
    db,
    `INSERT INTO exchange_loans (id, listing_id, lender_flat_id, borrower_flat_id, item, due_at, status, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 'proposed', ?)`,
  ).run(id, loan.listingId, loan.lenderFlatId, loan.borrowerFlatId, loan.item, loan.dueAt, now)
  return id
}

const NEXT: Record<'active' | 'returned' | 'cancelled', { from: LoanStatus; column: string }> = {
  active: { from: 'proposed', column: 'confirmed_at' },
  returned: { from: 'active', column: 'returned_at' },
  cancelled: { from: 'proposed', column: 'returned_at' },
}

/** Moves a loan on; the status guard in the UPDATE refuses a second move from two devices at once. */
export function setLoanStatus(db: Db, id: string, status: 'active' | 'returned' | 'cancelled', now: number): void {
  const { from, column } = NEXT[status]
  // A cancelled loan keeps returned_at null: the column is only the date it came back.
  const sql =
    status === 'cancelled'
      ? 'UPDATE exchange_loans SET status = ? WHERE id = ? AND status = ?'
      : `UPDATE exchange_loans SET status = ?, ${column} = ? WHERE id = ? AND status = ?`
  const result = status === 'cancelled' ? prepared(db, sql).run(status, id, from) : prepared(db, sql).run(status, now, id, from)
  if (result.changes !== 1) throw new ExchangeBadTransitionError()
}

// ------------------------------------------------------------ listings (read only)

export function getListing(db: Db, id: string): ListingRow | undefined {
  return prepared(db, 'SELECT id, flat_id, direction, kind, title, status FROM exchange_listings WHERE id = ?').get(id) as ListingRow | undefined
}

// ------------------------------------------------------------ thanks and profile

/** A loan on the listing from `lender` to `borrower` that came back. */
export function hasReturnedLoan(db: Db, listingId: string, lender: string, borrower: string): boolean {
  return (
    prepared(
      db,
      "SELECT 1 FROM exchange_loans WHERE listing_id = ? AND lender_flat_id = ? AND borrower_flat_id = ? AND status = 'returned' LIMIT 1",
    ).get(listingId, lender, borrower) !== undefined
  )
}

export interface ThanksRow {
  id: string
  listing_id: string
  from_flat_id: string
  to_flat_id: string
  word: string
  created_at: number
}

/** Once per listing and pair: a second "merci" (even from two devices at once) is refused. */
export function insertThanks(db: Db, t: { listingId: string; fromFlatId: string; toFlatId: string; word: string }, now: number): ThanksRow {
  const id = newId(now)
  const result = prepared(
    db,
    `INSERT INTO exchange_thanks (id, listing_id, from_flat_id, to_flat_id, word, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (listing_id, from_flat_id, to_flat_id) DO NOTHING`,
  ).run(id, t.listingId, t.fromFlatId, t.toFlatId, t.word, now)
  if (result.changes !== 1) throw new AlreadyThankedError()
  return { id, listing_id: t.listingId, from_flat_id: t.fromFlatId, to_flat_id: t.toFlatId, word: t.word, created_at: now }
}

export function thanksReceived(db: Db, flatId: string): number {
  return (prepared(db, 'SELECT COUNT(*) AS n FROM exchange_thanks WHERE to_flat_id = ?').get(flatId) as { n: number }).n
}

/** The last words of thanks, newest first (who said them is not shown: the count is the reputation). */
export function recentThanks(db: Db, flatId: string, limit = 10): { word: string; at: number }[] {
  return prepared(db, 'SELECT word, created_at AS at FROM exchange_thanks WHERE to_flat_id = ? ORDER BY seq DESC LIMIT ?').all(flatId, limit) as {
    word: string
    at: number
  }[]
}

/** A flat that exists and has not been revoked. */
export function flatExists(db: Db, flatId: string): boolean {
  return prepared(db, 'SELECT 1 FROM flats WHERE id = ? AND revoked_at IS NULL').get(flatId) !== undefined
}
