// The only way anything is queued for the landlord. The building is sealed: an event type not on
// this allow-list cannot be appended, and an append outside a transaction is refused so the event
// can never exist without the change that caused it (or the other way round).
import { prepared, type Db } from '../db/index.js'
import { newId } from './ids.js'

/** Event types that may leave the building. Resident-to-resident content never appears here. */
export const OUTBOX_EVENT_TYPES = [
  'incident.reported',
  'incident.affected',
  'incident.status',
  'incident.reopened',
  'incident.closed',
  'stats.aggregate',
  // per-day counts of the neighbour exchange (listings opened, exchanges done): never who or what
  'stats.exchange',
] as const
export type OutboxEventType = (typeof OUTBOX_EVENT_TYPES)[number]

export class OutboxError extends Error {
  override name = 'OutboxError'
}

export interface OutboxEvent {
  id: string
  type: OutboxEventType
  payload: unknown
  createdAt: number
}

export function appendOutbox(db: Db, type: OutboxEventType, payload: Record<string, unknown>, now: number = Date.now()): string {
  if (!(OUTBOX_EVENT_TYPES as readonly string[]).includes(type)) {
    throw new OutboxError(`event type "${type}" is not allowed to leave the building`)
  }
  if (!db.inTransaction) {
    throw new OutboxError('appendOutbox must run inside the transaction of the change that causes the event')
  }
  const id = newId(now)
  prepared(db, 'INSERT INTO outbox (id, type, payload, created_at) VALUES (?, ?, ?, ?)').run(id, type, JSON.stringify(payload), now)
  return id
}

/** Oldest first, in id order (ids are time-ordered). The sync agent reads with this. */
export function readOutbox(db: Db, limit = 100, afterId = ''): OutboxEvent[] {
  const rows = prepared(db, 'SELECT id, type, payload, created_at FROM outbox WHERE id > ? ORDER BY id LIMIT ?').all(afterId, limit) as {
    id: string
    type: OutboxEventType
    payload: string
    created_at: number
  }[]
  return rows.map((r) => ({ id: r.id, type: r.type, payload: JSON.parse(r.payload), createdAt: r.created_at }))
}

/** Removes events the hub has acknowledged. */
export function removeFromOutbox(db: Db, ids: readonly string[]): number {
  const del = prepared(db, 'DELETE FROM outbox WHERE id = ?')
  return db.transaction(() => ids.reduce((n, id) => n + del.run(id).changes, 0))()
}
