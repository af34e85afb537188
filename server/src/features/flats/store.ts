// SQL for flats (logements) and their invitation codes.
import { prepared, type Db } from '../../db/index.js'
import { newId } from '../../lib/ids.js'
import { newCode } from '../../lib/codes.js'
import { invalidateSessions } from '../accounts/store.js'

export interface Flat {
  id: string
  label: string
  entrance: string
  floor: string
  door: string
  createdAt: number
  revokedAt: number | null
  residentCount: number
  activeInviteCount: number
}

export interface Invite {
  id: string
  flatId: string
  code: string
  createdAt: number
  expiresAt: number
  revokedAt: number | null
}

export interface NewFlat {
  label: string
  entrance: string
  floor: string
  door: string
}

interface FlatRow {
  id: string
  label: string
  entrance: string
  floor: string
  door: string
  created_at: number
  revoked_at: number | null
  resident_count: number
  active_invite_count: number
}

const FLAT_SELECT = `
  SELECT f.id, f.label, f.entrance, f.floor, f.door, f.created_at, f.revoked_at,
    (SELECT count(*) FROM users u WHERE u.flat_id = f.id AND u.revoked_at IS NULL) AS resident_count,
    (SELECT count(*) FROM invites i WHERE i.flat_id = f.id AND i.revoked_at IS NULL AND i.expires_at > ?) AS active_invite_count
  FROM flats f`

function toFlat(r: FlatRow): Flat {
  return {
    id: r.id,
    label: r.label,
    entrance: r.entrance,
    floor: r.floor,
    door: r.door,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    residentCount: r.resident_count,
    activeInviteCount: r.active_invite_count,
  }
}

interface InviteRow {
  id: string
  flat_id: string
  code: string
  created_at: number
  expires_at: number
  revoked_at: number | null
}

function toInvite(r: InviteRow): Invite {
  return { id: r.id, flatId: r.flat_id, code: r.code, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at }
}

export function listFlats(db: Db, now: number): Flat[] {
  return (prepared(db, `${FLAT_SELECT} ORDER BY f.entrance, f.label COLLATE NOCASE`).all(now) as FlatRow[]).map(toFlat)
}

export function getFlat(db: Db, id: string, now: number): Flat | undefined {
  const row = prepared(db, `${FLAT_SELECT} WHERE f.id = ?`).get(now, id) as FlatRow | undefined
  return row && toFlat(row)
}

/** Two labels that differ only by case are the same flat. */
export function labelKey(label: string): string {
  return label.normalize('NFC').toLowerCase()
}

export function flatLabelTaken(db: Db, label: string): boolean {
  return prepared(db, 'SELECT 1 FROM flats WHERE label_key = ?').get(labelKey(label)) !== undefined
}

export function insertFlat(db: Db, flat: NewFlat, now: number): string {
  const id = newId(now)
  prepared(db, 'INSERT INTO flats (id, label, label_key, entrance, floor, door, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    id,
    flat.label,
    labelKey(flat.label),
    flat.entrance,
    flat.floor,
    flat.door,
    now,
  )
  return id
}

/** Marks the flat revoked and cancels its invitations (its sessions are ended by the caller). */
export function revokeFlat(db: Db, id: string, now: number): void {
  prepared(db, 'UPDATE flats SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?').run(now, id)
  prepared(db, 'UPDATE invites SET revoked_at = ? WHERE flat_id = ? AND revoked_at IS NULL').run(now, id)
  invalidateSessions(db)
}

export function insertInvite(db: Db, flatId: string, now: number, validityMs: number): Invite {
  const id = newId(now)
  // 3 groups of 4 from a 23-letter alphabet: ≈ 54 bits; collisions are retried by the unique index.
  for (;;) {
    const code = newCode(3)
    try {
      prepared(db, 'INSERT INTO invites (id, flat_id, code, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(
        id,
        flatId,
        code,
        now,
        now + validityMs,
      )
      return { id, flatId, code, createdAt: now, expiresAt: now + validityMs, revokedAt: null }
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err
    }
  }
}

export function listInvites(db: Db, flatId: string): Invite[] {
  return (prepared(db, 'SELECT * FROM invites WHERE flat_id = ? ORDER BY id DESC').all(flatId) as InviteRow[]).map(toInvite)
}

export function getInvite(db: Db, id: string): Invite | undefined {
  const row = prepared(db, 'SELECT * FROM invites WHERE id = ?').get(id) as InviteRow | undefined
  return row && toInvite(row)
}

export function revokeInvite(db: Db, id: string, now: number): void {
  prepared(db, 'UPDATE invites SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?').run(now, id)
}

/** The invitation a code opens, if it is still good: not revoked, not expired, flat still in. */
export function findValidInvite(db: Db, code: string, now: number): Invite | undefined {
  const row = prepared(
    db,
    `SELECT i.* FROM invites i JOIN flats f ON f.id = i.flat_id
     WHERE i.code = ? AND i.revoked_at IS NULL AND i.expires_at > ? AND f.revoked_at IS NULL`,
  ).get(code, now) as InviteRow | undefined
  return row && toInvite(row)
}

/** The newest still-valid invitation of a flat (what the printed letter shows). */
export function latestValidInvite(db: Db, flatId: string, now: number): Invite | undefined {
  const row = prepared(
    db,
    'SELECT * FROM invites WHERE flat_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY id DESC LIMIT 1',
  ).get(flatId, now) as InviteRow | undefined
  return row && toInvite(row)
}
