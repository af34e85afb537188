// SQL for people and their sessions. Store functions take the database first and return
// domain objects; writes that belong together run in one transaction at the call site.
import { prepared, type Db } from '../../db/index.js'
import { newId } from '../../lib/ids.js'

export type Role = 'caretaker' | 'resident'

export interface FlatRef {
  id: string
  label: string
  entrance: string
  floor: string
  door: string
}

export interface User {
  id: string
  login: string
  displayName: string
  role: Role
  flat: FlatRef | null
  createdAt: number
  revokedAt: number | null
  /** Revoked in person or through the flat. */
  active: boolean
}

interface UserRow {
  id: string
  login: string
  display_name: string
  role: Role
  created_at: number
  revoked_at: number | null
  flat_id: string | null
  flat_label: string | null
  flat_entrance: string | null
  flat_floor: string | null
  flat_door: string | null
  flat_revoked_at: number | null
}

const USER_SELECT = `
  SELECT u.id, u.login, u.display_name, u.role, u.created_at, u.revoked_at,
         f.id AS flat_id, f.label AS flat_label, f.entrance AS flat_entrance, f.floor AS flat_floor,
         f.door AS flat_door, f.revoked_at AS flat_revoked_at
  FROM users u LEFT JOIN flats f ON f.id = u.flat_id`

const LOGIN_SELECT = `${USER_SELECT.replace('SELECT', 'SELECT u.password_hash,')} WHERE u.login = ?`
// Runs on every signed-in request: one indexed lookup, compiled once.
const SESSION_SELECT = `${USER_SELECT.replace('SELECT', 'SELECT s.last_seen_at,')} JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = ?`

function toUser(r: UserRow): User {
  return {
    id: r.id,
    login: r.login,
    displayName: r.display_name,
    role: r.role,
    flat: r.flat_id ? { id: r.flat_id, label: r.flat_label!, entrance: r.flat_entrance!, floor: r.flat_floor!, door: r.flat_door! } : null,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    active: r.revoked_at === null && r.flat_revoked_at === null,
  }
}

/** Logins are compared in one canonical form: NFC, lower case, trimmed. */
export function canonicalLogin(login: string): string {
  return login.normalize('NFC').trim().toLowerCase()
}

export const LOGIN_PATTERN = /^[\p{L}\p{N}._-]{3,32}$/u

export function getSetting(db: Db, key: string): string | undefined {
  return (prepared(db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value
}

export function setSetting(db: Db, key: string, value: string): void {
  prepared(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value)
}

export function deleteSetting(db: Db, key: string): void {
  prepared(db, 'DELETE FROM settings WHERE key = ?').run(key)
}

export function caretakerExists(db: Db): boolean {
  return prepared(db, "SELECT 1 FROM users WHERE role = 'caretaker' LIMIT 1").get() !== undefined
}

export function loginTaken(db: Db, login: string): boolean {
  return prepared(db, 'SELECT 1 FROM users WHERE login = ?').get(canonicalLogin(login)) !== undefined
}

export function insertUser(
  db: Db,
  u: { login: string; displayName: string; passwordHash: string; role: Role; flatId: string | null },
  now: number,
): string {
  const id = newId(now)
  prepared(db, 
    'INSERT INTO users (id, login, display_name, password_hash, role, flat_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(id, canonicalLogin(u.login), u.displayName, u.passwordHash, u.role, u.flatId, now)
  return id
}

export function getUser(db: Db, id: string): User | undefined {
  const row = prepared(db, `${USER_SELECT} WHERE u.id = ?`).get(id) as UserRow | undefined
  return row && toUser(row)
}

export function findLogin(db: Db, login: string): { user: User; passwordHash: string } | undefined {
  const row = prepared(db, LOGIN_SELECT).get(canonicalLogin(login)) as (UserRow & { password_hash: string }) | undefined
  return row && { user: toUser(row), passwordHash: row.password_hash }
}

export function getPasswordHash(db: Db, userId: string): string | undefined {
  return (prepared(db, 'SELECT password_hash FROM users WHERE id = ?').get(userId) as { password_hash: string } | undefined)?.password_hash
}

export function setPasswordHash(db: Db, userId: string, hash: string): void {
  prepared(db, 'UPDATE users SET password_hash = ? WHERE id = ?').run(hash, userId)
}

export function listResidents(db: Db): User[] {
  return (prepared(db, `${USER_SELECT} WHERE u.role = 'resident' ORDER BY f.label COLLATE NOCASE, u.display_name COLLATE NOCASE`).all() as UserRow[]).map(
    toUser,
  )
}

export function revokeUser(db: Db, userId: string, now: number): void {
  prepared(db, 'UPDATE users SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?').run(now, userId)
  invalidateSessions(db)
  deleteUserSessions(db, userId)
}

// ——— sessions ———

export interface SessionRow {
  userId: string
  lastSeenAt: number
}

export function insertSession(db: Db, tokenHash: Buffer, userId: string, now: number): void {
  prepared(db, 'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)').run(tokenHash, userId, now, now)
}

// Every signed-in request looks its session up; most of them are the same few hundred sessions.
// They are kept in memory, and any write that could change who may do what (ending sessions,
// revoking a person or a flat) drops them all at once, so a revocation still acts on the very
// next request. Only this process writes sessions and accounts.
interface SessionCache {
  entries: Map<string, SessionRow & { user: User }>
}
const sessionCaches = new WeakMap<Db, SessionCache>()
const MAX_CACHED_SESSIONS = 5_000

function sessionCache(db: Db): SessionCache {
  let cache = sessionCaches.get(db)
  if (!cache) sessionCaches.set(db, (cache = { entries: new Map() }))
  return cache
}

/** Forgets every cached session: call after any write to sessions, users or flats' access. */
export function invalidateSessions(db: Db): void {
  sessionCache(db).entries.clear()
}

export function getSession(db: Db, tokenHash: Buffer): (SessionRow & { user: User }) | undefined {
  const cache = sessionCache(db)
  const key = tokenHash.toString('base64')
  const hit = cache.entries.get(key)
  if (hit) return hit
  const row = prepared(db, SESSION_SELECT).get(tokenHash) as (UserRow & { last_seen_at: number }) | undefined
  if (!row) return undefined
  const session = { userId: row.id, lastSeenAt: row.last_seen_at, user: toUser(row) }
  if (cache.entries.size >= MAX_CACHED_SESSIONS) cache.entries.clear()
  cache.entries.set(key, session)
  return session
}

export function touchSession(db: Db, tokenHash: Buffer, now: number): void {
  prepared(db, 'UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?').run(now, tokenHash)
  const cached = sessionCache(db).entries.get(tokenHash.toString('base64'))
  if (cached) cached.lastSeenAt = now
}

export function deleteSession(db: Db, tokenHash: Buffer): void {
  prepared(db, 'DELETE FROM sessions WHERE token_hash = ?').run(tokenHash)
  sessionCache(db).entries.delete(tokenHash.toString('base64'))
}

export function deleteUserSessions(db: Db, userId: string, except?: Buffer): void {
  if (except) prepared(db, 'DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?').run(userId, except)
  else prepared(db, 'DELETE FROM sessions WHERE user_id = ?').run(userId)
  invalidateSessions(db)
}

export function deleteFlatSessions(db: Db, flatId: string): void {
  prepared(db, 'DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE flat_id = ?)').run(flatId)
  invalidateSessions(db)
}

/** Drops sessions idle for longer than their role allows (run now and then, not per request). */
export function purgeIdleSessions(db: Db, now: number, residentIdleMs: number, caretakerIdleMs: number): number {
  const changes = prepared(
    db,
    `DELETE FROM sessions WHERE token_hash IN (
       SELECT s.token_hash FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.last_seen_at < ? - CASE u.role WHEN 'caretaker' THEN ? ELSE ? END)`,
  ).run(now, caretakerIdleMs, residentIdleMs).changes
  if (changes > 0) invalidateSessions(db)
  return changes
}

// ——— reset codes ———

export function setResetCode(db: Db, userId: string, codeHash: Buffer, expiresAt: number): void {
  prepared(db, 
    'INSERT INTO reset_codes (user_id, code_hash, expires_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at',
  ).run(userId, codeHash, expiresAt)
}

export function getResetCode(db: Db, userId: string): { codeHash: Buffer; expiresAt: number } | undefined {
  const row = prepared(db, 'SELECT code_hash, expires_at FROM reset_codes WHERE user_id = ?').get(userId) as
    | { code_hash: Buffer; expires_at: number }
    | undefined
  return row && { codeHash: row.code_hash, expiresAt: row.expires_at }
}

export function deleteResetCode(db: Db, userId: string): void {
  prepared(db, 'DELETE FROM reset_codes WHERE user_id = ?').run(userId)
}
