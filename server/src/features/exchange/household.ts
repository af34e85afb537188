// Who acts in the exchange. The parties are households (flats): a resident acts for their flat;
// the caretaker acts for a household only when asked to with `asFlat`, and only for a flat that
// has no active resident account — a household without a smartphone. A household with accounts
// keeps its conversations private, from the caretaker too.
import type { FastifyRequest } from 'fastify'
import { prepared, type Db } from '../../db/index.js'
import { NotFoundError } from '../../lib/errors.js'
import { currentUser } from '../../plugins/auth.js'
import { OnBehalfNotAllowedError, ResidentsOnlyError } from './errors.js'

export interface Actor {
  userId: string
  /** The household acting. */
  flatId: string
  /** The caretaker acting for a household without a smartphone. */
  onBehalf: boolean
}

/** The `asFlat` query parameter every household route accepts (schema fragment). */
export const AS_FLAT_PARAM = 'asFlat'

/** The household the request acts for, or throws (403) when it has none. */
export function actorOf(request: FastifyRequest): Actor {
  const user = currentUser(request)
  const asFlat = (request.query as Record<string, unknown> | undefined)?.[AS_FLAT_PARAM]
  if (user.role === 'resident') {
    if (asFlat !== undefined) throw new OnBehalfNotAllowedError()
    return { userId: user.id, flatId: user.flat!.id, onBehalf: false }
  }
  if (typeof asFlat !== 'string') throw new ResidentsOnlyError()
  if (!mayActFor(request.server.db, asFlat)) throw new OnBehalfNotAllowedError()
  return { userId: user.id, flatId: asFlat, onBehalf: true }
}

/** Like actorOf, but undefined for the caretaker without `asFlat` (routes the caretaker may read as such). */
export function optionalActorOf(request: FastifyRequest): Actor | undefined {
  const user = currentUser(request)
  const asFlat = (request.query as Record<string, unknown> | undefined)?.[AS_FLAT_PARAM]
  if (user.role === 'caretaker' && asFlat === undefined) return undefined
  return actorOf(request)
}

/** A flat that exists, is not revoked and has no active resident. */
export function mayActFor(db: Db, flatId: string): boolean {
  const flat = prepared(db, 'SELECT revoked_at FROM flats WHERE id = ?').get(flatId) as { revoked_at: number | null } | undefined
  if (!flat || flat.revoked_at !== null) return false
  return prepared(db, "SELECT 1 FROM users WHERE flat_id = ? AND role = 'resident' AND revoked_at IS NULL LIMIT 1").get(flatId) === undefined
}

/** Either household blocked the other. */
export function blockedBetween(db: Db, a: string, b: string): boolean {
  return (
    prepared(db, 'SELECT 1 FROM exchange_blocks WHERE (flat_id = ? AND blocked_flat_id = ?) OR (flat_id = ? AND blocked_flat_id = ?) LIMIT 1').get(
      a,
      b,
      b,
      a,
    ) !== undefined
  )
}

/** The households this one blocked or was blocked by: none of theirs is shown to it. */
export function hiddenFlatsFor(db: Db, flatId: string): string[] {
  const rows = prepared(
    db,
    'SELECT blocked_flat_id AS id FROM exchange_blocks WHERE flat_id = ? UNION SELECT flat_id AS id FROM exchange_blocks WHERE blocked_flat_id = ?',
  ).all(flatId, flatId) as { id: string }[]
  return rows.map((r) => r.id)
}

export interface HouseholdRef {
  id: string
  label: string
  /** The display name of the person who wrote, or of the flat's first resident. */
  name: string
}

/** How a household is shown: its flat label and a person's name. */
export function householdRef(db: Db, flatId: string, authorId?: string): HouseholdRef {
  const flat = prepared(db, 'SELECT id, label FROM flats WHERE id = ?').get(flatId) as { id: string; label: string } | undefined
  if (!flat) throw new NotFoundError()
  const author = authorId
    ? (prepared(db, "SELECT display_name FROM users WHERE id = ? AND role = 'resident'").get(authorId) as { display_name: string } | undefined)
    : undefined
  const first =
    author ??
    (prepared(db, "SELECT display_name FROM users WHERE flat_id = ? AND role = 'resident' AND revoked_at IS NULL ORDER BY created_at LIMIT 1").get(flatId) as
      | { display_name: string }
      | undefined)
  return { id: flat.id, label: flat.label, name: first?.display_name ?? flat.label }
}
