// SQL for the time bank (SEL): minutes of help moved between households by double entry. A
// transfer is applied once, in one transaction that checks the limits, writes two entries that
// sum to zero and moves both balances; so the sum of all balances stays zero.
import { prepared, type Db } from '../../db/index.js'
import { newId } from '../../lib/ids.js'
import { BalanceLimitError, ExchangeBadTransitionError, IdempotencyConflictError } from './errors.js'

export type TransferStatus = 'pending' | 'applied' | 'declined' | 'cancelled'

export interface TransferRow {
  seq: number
  id: string
  idempotency_key: string
  requested_by_flat_id: string
  payer_flat_id: string
  payee_flat_id: string
  minutes: number
  memo: string
  listing_id: string | null
  status: TransferStatus
  created_at: number
  settled_at: number | null
}

/** The caretaker's bounds on every balance, in minutes. */
export interface Limits {
  minBalanceMinutes: number
  maxBalanceMinutes: number
}

export interface NewTransfer {
  /** The household asking: the payer for a payment, the payee for a request. */
  requestedBy: string
  direction: 'pay' | 'request'
  /** The other household. */
  toFlatId: string
  minutes: number
  memo: string
  listingId: string | null
  idempotencyKey: string
}

export interface LedgerEntry {
  seq: number
  transfer_id: string
  flat_id: string
  minutes: number
  balance_after: number
  created_at: number
  other_flat_id: string
  memo: string
}

const TRANSFER_SELECT = `SELECT seq, id, idempotency_key, requested_by_flat_id, payer_flat_id, payee_flat_id, minutes, memo,
  listing_id, status, created_at, settled_at FROM exchange_transfers`

export function getTransfer(db: Db, id: string): TransferRow | undefined {
  return prepared(db, `${TRANSFER_SELECT} WHERE id = ?`).get(id) as TransferRow | undefined
}

export function balanceOf(db: Db, flatId: string): number {
  const row = prepared(db, 'SELECT minutes FROM exchange_balances WHERE flat_id = ?').get(flatId) as { minutes: number } | undefined
  return row?.minutes ?? 0
}

/** The sum of every balance: zero, always (the property tests and the summary check it). */
export function ledgerTotal(db: Db): number {
  const row = prepared(db, 'SELECT COALESCE(SUM(minutes), 0) AS total FROM exchange_balances').get() as { total: number }
  return row.total
}

/** Transfers waiting for this household, as the payer, to confirm or decline. */
export function pendingTransferCount(db: Db, flatId: string): number {
  const row = prepared(db, "SELECT COUNT(*) AS n FROM exchange_transfers WHERE payer_flat_id = ? AND status = 'pending'").get(flatId) as { n: number }
  return row.n
}

/** Pending transfers this household is party to (to confirm, or waiting for the other side), newest first. */
export function pendingTransfers(db: Db, flatId: string): TransferRow[] {
  return prepared(
    db,
    `${TRANSFER_SELECT} WHERE status = 'pending' AND (payer_flat_id = ? OR payee_flat_id = ?) ORDER BY seq DESC LIMIT 200`,
  ).all(flatId, flatId) as TransferRow[]
}

/** The household's own ledger, newest first. */
export function ledgerOf(db: Db, flatId: string, limit = 200): LedgerEntry[] {
  return prepared(
    db,
    `SELECT e.seq, e.transfer_id, e.flat_id, e.minutes, e.balance_after, e.created_at, t.memo,
            CASE WHEN t.payer_flat_id = e.flat_id THEN t.payee_flat_id ELSE t.payer_flat_id END AS other_flat_id
     FROM exchange_ledger_entries e JOIN exchange_transfers t ON t.id = e.transfer_id
     WHERE e.flat_id = ? ORDER BY e.seq DESC LIMIT ?`,
  ).all(flatId, limit) as LedgerEntry[]
}

/**
 * Moves the minutes of a pending transfer, or throws BalanceLimitError with nothing written.
 * Each balance is checked in the direction it moves (the payer's floor, the payee's ceiling):
 * limits lowered below a balance leave it where it is, and a transfer that brings it back
 * towards its limits is not refused for it.
 */
function apply(db: Db, t: TransferRow, limits: Limits, now: number): void {
  const payer = balanceOf(db, t.payer_flat_id) - t.minutes
  const payee = balanceOf(db, t.payee_flat_id) + t.minutes
  if (payer < limits.minBalanceMinutes || payee > limits.maxBalanceMinutes) throw new BalanceLimitError()
  const entry = prepared(
    db,
    'INSERT INTO exchange_ledger_entries (transfer_id, flat_id, minutes, balance_after, created_at) VALUES (?, ?, ?, ?, ?)',
  )
  entry.run(t.id, t.payer_flat_id, -t.minutes, payer, now)
  entry.run(t.id, t.payee_flat_id, t.minutes, payee, now)
  const balance = prepared(db, 'INSERT INTO exchange_balances (flat_id, minutes) VALUES (?, ?) ON CONFLICT (flat_id) DO UPDATE SET minutes = excluded.minutes')
  balance.run(t.payer_flat_id, payer)
  balance.run(t.payee_flat_id, payee)
  // The status guard makes a second apply of the same transfer a no-op that the caller sees.
  const changed = prepared(db, "UPDATE exchange_transfers SET status = 'applied', settled_at = ? WHERE id = ? AND status = 'pending'").run(now, t.id)
  if (changed.changes !== 1) throw new ExchangeBadTransitionError()
}

function sameRequest(row: TransferRow, t: NewTransfer, payer: string, payee: string): boolean {
  return row.payer_flat_id === payer && row.payee_flat_id === payee && row.minutes === t.minutes && row.memo === t.memo && row.listing_id === t.listingId
}

/**
 * Records a transfer; a payment is applied at once (its creation is the payer's confirmation).
 * A retry with the same key and the same request returns the first transfer, unchanged and
 * not applied again (`created: false`); a different request under the same key is refused.
 */
export function createTransfer(db: Db, t: NewTransfer, limits: Limits, now: number): { transfer: TransferRow; created: boolean } {
  const payer = t.direction === 'pay' ? t.requestedBy : t.toFlatId
  const payee = t.direction === 'pay' ? t.toFlatId : t.requestedBy
  return db
    .transaction(() => {
      const existing = prepared(db, `${TRANSFER_SELECT} WHERE requested_by_flat_id = ? AND idempotency_key = ?`).get(t.requestedBy, t.idempotencyKey) as
        | TransferRow
        | undefined
      if (existing) {
        if (!sameRequest(existing, t, payer, payee)) throw new IdempotencyConflictError()
        return { transfer: existing, created: false }
      }
      const id = newId(now)
      prepared(
        db,
        `INSERT INTO exchange_transfers (id, idempotency_key, requested_by_flat_id, payer_flat_id, payee_flat_id, minutes, memo, listing_id, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
      ).run(id, t.idempotencyKey, t.requestedBy, payer, payee, t.minutes, t.memo, t.listingId, now)
      // A refused payment rolls back with the transaction: it leaves no transfer behind, so
      // the same key can be tried again once the balances allow it.
      if (t.direction === 'pay') apply(db, getTransfer(db, id)!, limits, now)
      return { transfer: getTransfer(db, id)!, created: true }
    })
    .immediate()
}

/** The payer confirms a request: applied once; confirming an applied transfer again changes nothing. */
export function confirmTransfer(db: Db, id: string, limits: Limits, now: number): TransferRow {
  return db
    .transaction(() => {
      const row = getTransfer(db, id)!
      if (row.status === 'applied') return row
      if (row.status !== 'pending') throw new ExchangeBadTransitionError()
      apply(db, row, limits, now)
      return getTransfer(db, id)!
    })
    .immediate()
}

/** Declined by the payer or cancelled by the requester: only while pending. */
export function closeTransfer(db: Db, id: string, status: 'declined' | 'cancelled', now: number): TransferRow {
  return db
    .transaction(() => {
      const row = getTransfer(db, id)!
      if (row.status === status) return row
      if (row.status !== 'pending') throw new ExchangeBadTransitionError()
      prepared(db, "UPDATE exchange_transfers SET status = ?, settled_at = ? WHERE id = ? AND status = 'pending'").run(status, now, id)
      return getTransfer(db, id)!
    })
    .immediate()
}
