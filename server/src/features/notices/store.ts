// SQL for the notice board: notices, reactions, household read records, images, the posting
// setting and the board version that the list's ETag is made from. Every change that alters
// what a board page shows bumps the version, in the same transaction.
import { prepared, type Db } from '../../db/index.js'
import { newId } from '../../lib/ids.js'
import { renderBody, searchKey } from './format.js'
import type { ImageMime } from './images.js'
import type { Notice } from './schema.js'

export type { Notice }
export type NoticeKind = 'urgent' | 'works' | 'info' | 'event'
export type NoticeOrigin = 'caretaker' | 'landlord' | 'resident'
export type NoticeStatus = 'published' | 'pending' | 'rejected' | 'archived'
export type ReactionKind = 'going' | 'thanks'
export type ResidentPosting = 'off' | 'approval' | 'free'

/** Who is looking: what a board shows depends on the role, the flat's entrance and the person. */
export interface Viewer {
  id: string
  role: 'caretaker' | 'resident'
  flat: { entrance: string } | null
}

export interface NewNotice {
  kind: NoticeKind
  title: string
  body: string
  origin: NoticeOrigin
  authorId: string | null
  pinned?: boolean
  /** Absent or null: shown from publication, so no clock error can hide it. */
  startsAt?: number | null
  expiresAt?: number | null
  audience?: string[]
  status?: NoticeStatus
  landlordRef?: string | null
}

export interface NoticeChanges {
  kind?: NoticeKind
  title?: string
  body?: string
  pinned?: boolean
  startsAt?: number | null
  expiresAt?: number | null
  audience?: string[]
}

export interface NoticeRow {
  id: string
  kind: NoticeKind
  title: string
  body: string
  body_html: string
  origin: NoticeOrigin
  author_id: string | null
  author_name: string | null
  landlord_ref: string | null
  status: NoticeStatus
  pinned: 0 | 1
  board_key: string
  starts_at: number | null
  expires_at: number | null
  audience: string
  going: number
  thanks: number
  created_at: number
  updated_at: number
}

const SEP = '\u001f'
const VERSION_KEY = 'notices.version'
const POSTING_KEY = 'notices.residentPosting'

const NOTICE_SELECT = `
  SELECT n.id, n.kind, n.title, n.body, n.body_html, n.origin, n.author_id, u.display_name AS author_name,
         n.landlord_ref, n.status, n.pinned, n.board_key, n.starts_at, n.expires_at, n.audience, n.going, n.thanks,
         n.created_at, n.updated_at
  FROM notices n LEFT JOIN users u ON u.id = n.author_id`

// Shown now to this viewer: published, started, not expired, for the viewer's entrance.
const ON_BOARD = `n.status = 'published'
  AND (n.starts_at IS NULL OR n.starts_at <= @now)
  AND (n.expires_at IS NULL OR n.expires_at > @now)
  AND (@all = 1 OR n.audience_key = '' OR instr(n.audience_key, @entrance) > 0)`

/** Entrances compare without regard to case or Unicode form. */
export function entranceKey(entrance: string): string {
  return entrance.normalize('NFC').trim().toLowerCase()
}

function audienceKey(audience: readonly string[]): string {
  return audience.length ? SEP + audience.map(entranceKey).join(SEP) + SEP : ''
}

/** Trimmed, without duplicates (by key), in the order given. */
export function cleanAudience(audience: readonly string[] | undefined): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const raw of audience ?? []) {
    const a = raw.normalize('NFC').replace(/[\p{Cc}\s]+/gu, ' ').trim()
    if (!a || seen.has(entranceKey(a))) continue
    seen.add(entranceKey(a))
    out.push(a)
  }
  return out
}

function boardKey(id: string, kind: NoticeKind, pinned: boolean): string {
  return `${kind === 'urgent' ? 1 : 0}${pinned ? 1 : 0}${id}`
}

function viewerParams(viewer: Viewer, now: number) {
  return {
    now,
    all: viewer.role === 'caretaker' ? 1 : 0,
    entrance: SEP + entranceKey(viewer.flat?.entrance ?? '') + SEP,
  }
}

export function imageUrl(noticeId: string, imageId: string): string {
  return `/api/v1/notices/${noticeId}/images/${imageId}`
}

/**
 * One person's reactions on the given notices, in one query: an IN list of bound ids (one
 * statement per list length, at most a page's) reads the primary key directly, which the board
 * does on every request.
 */
export function myReactionsOn(db: Db, userId: string, noticeIds: readonly string[]): Map<string, ReactionKind[]> {
  const mine = new Map<string, ReactionKind[]>()
  if (noticeIds.length === 0) return mine
  const rows = prepared(
    db,
    `SELECT notice_id, kind FROM notice_reactions WHERE user_id = ? AND notice_id IN (${noticeIds.map(() => '?').join(',')}) ORDER BY kind`,
  ).all(userId, ...noticeIds) as { notice_id: string; kind: ReactionKind }[]
  for (const r of rows) {
    let list = mine.get(r.notice_id)
    if (!list) mine.set(r.notice_id, (list = []))
    list.push(r.kind)
  }
  return mine
}

/** Rows to Notices for one viewer: images and the viewer's reactions in one query each. */
export function toNotices(db: Db, rows: NoticeRow[], viewerId: string | null): Notice[] {
  if (rows.length === 0) return []
  const ids = JSON.stringify(rows.map((r) => r.id))
  const images = new Map<string, Notice['images']>()
  const imageRows = prepared(
    db,
    'SELECT id, notice_id, mime FROM notice_images WHERE notice_id IN (SELECT value FROM json_each(?)) ORDER BY id',
  ).all(ids) as { id: string; notice_id: string; mime: string }[]
  for (const i of imageRows) {
    let list = images.get(i.notice_id)
    if (!list) images.set(i.notice_id, (list = []))
    list.push({ id: i.id, url: imageUrl(i.notice_id, i.id), width: null, height: null, mime: i.mime })
  }
  const mine = viewerId ? myReactionsOn(db, viewerId, rows.map((r) => r.id)) : new Map<string, ReactionKind[]>()
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    bodyHtml: r.body_html,
    origin: r.origin,
    author: r.origin === 'landlord' || r.author_name === null ? null : { displayName: r.author_name },
    status: r.status,
    pinned: r.pinned === 1,
    startsAt: r.starts_at ?? r.created_at,
    expiresAt: r.expires_at,
    audience: JSON.parse(r.audience) as string[],
    images: images.get(r.id) ?? [],
    going: r.going,
    thanks: r.thanks,
    myReactions: mine.get(r.id) ?? [],
    commentsAllowed: false,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }))
}

// ---------------------------------------------------------------- board version

/** Changes whenever anything a board page shows changes (a fresh time-ordered id, never reused). */
// The board asks for the version on every request. A change made by this process is known at
// once (bumpBoardVersion sets it); one made by another process (the sync agent) is read from
// the database at most VERSION_FRESH_MS later. Timed with the process's monotonic clock, not
// the box's wall clock.
const VERSION_FRESH_MS = 250
const versions = new WeakMap<Db, { value: string; readAt: number }>()

export function boardVersion(db: Db): string {
  const known = versions.get(db)
  const t = performance.now()
  if (known && t - known.readAt < VERSION_FRESH_MS) return known.value
  const value = (prepared(db, 'SELECT value FROM settings WHERE key = ?').get(VERSION_KEY) as { value: string } | undefined)?.value ?? '0'
  versions.set(db, { value, readAt: t })
  return value
}

export function bumpBoardVersion(db: Db, now: number): void {
  const value = newId(now)
  prepared(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(VERSION_KEY, value)
  versions.set(db, { value, readAt: performance.now() })
}

/**
 * The stretch of time around `now` in which no notice starts or expires: within it, and at one
 * board version, every board page stays the same. lo is the last start/expiry at or before now,
 * hi the first after it (±Infinity when there is none). Four indexed lookups.
 */
export function boardWindow(db: Db, now: number): { lo: number; hi: number } {
  const one = (sql: string) => (prepared(db, sql).get(now) as { v: number | null }).v
  const lo = Math.max(
    one('SELECT max(starts_at) AS v FROM notices WHERE starts_at <= ?') ?? -Infinity,
    one('SELECT max(expires_at) AS v FROM notices WHERE expires_at <= ?') ?? -Infinity,
  )
  const hi = Math.min(
    one('SELECT min(starts_at) AS v FROM notices WHERE starts_at > ?') ?? Infinity,
    one('SELECT min(expires_at) AS v FROM notices WHERE expires_at > ?') ?? Infinity,
  )
  return { lo, hi }
}

// ---------------------------------------------------------------- reading

export function getNoticeRow(db: Db, id: string): NoticeRow | undefined {
  return prepared(db, `${NOTICE_SELECT} WHERE n.id = ?`).get(id) as NoticeRow | undefined
}

/** Whether the viewer may see this notice now: the caretaker sees all, an author their own. */
export function canSee(row: NoticeRow, viewer: Viewer, now: number): boolean {
  if (viewer.role === 'caretaker' || row.author_id === viewer.id) return true
  if (row.status !== 'published') return false
  if (row.starts_at !== null && row.starts_at > now) return false
  if (row.expires_at !== null && row.expires_at <= now) return false
  const audience = JSON.parse(row.audience) as string[]
  const mine = entranceKey(viewer.flat?.entrance ?? '')
  return audience.length === 0 || audience.some((a) => entranceKey(a) === mine)
}

export function getNoticeForViewer(db: Db, id: string, viewer: Viewer, now: number): Notice | undefined {
  const row = getNoticeRow(db, id)
  if (!row || !canSee(row, viewer, now)) return undefined
  return toNotices(db, [row], viewer.id)[0]
}

/** A notice as the caretaker sees it (every status), e.g. to answer a route that just made it. */
export function getNotice(db: Db, id: string, viewerId: string | null = null): Notice | undefined {
  const row = getNoticeRow(db, id)
  return row && toNotices(db, [row], viewerId)[0]
}

/**
 * One page of the board: urgent first, then pinned, then newest. The same for everyone with the
 * same audience, so myReactions is left empty: the route fills in each person's.
 */
export function listBoard(
  db: Db,
  viewer: Viewer,
  now: number,
  cursor: string | undefined,
  limit: number,
): { notices: Notice[]; nextCursor: string | null } {
  const rows = prepared(
    db,
    `${NOTICE_SELECT} WHERE ${ON_BOARD} AND n.board_key < @cursor ORDER BY n.board_key DESC LIMIT @limit`,
  ).all({ ...viewerParams(viewer, now), cursor: cursor ?? '2', limit: limit + 1 }) as NoticeRow[]
  const more = rows.length > limit
  if (more) rows.length = limit
  return { notices: toNotices(db, rows, null), nextCursor: more ? rows[rows.length - 1]!.board_key : null }
}

/** Notices started within the next `horizonMs` and not expired by now, for the printed digest. */
export function listUpcoming(db: Db, now: number, horizonMs: number): Notice[] {
  const rows = prepared(
    db,
    `${NOTICE_SELECT} WHERE n.status = 'published' AND (n.starts_at IS NULL OR n.starts_at <= @until)
       AND (n.expires_at IS NULL OR n.expires_at > @now) ORDER BY n.board_key DESC LIMIT 100`,
  ).all({ now, until: now + horizonMs }) as NoticeRow[]
  return toNotices(db, rows, null)
}

export function listPending(db: Db): Notice[] {
  const rows = prepared(db, `${NOTICE_SELECT} WHERE n.status = 'pending' ORDER BY n.id LIMIT 200`).all() as NoticeRow[]
  return toNotices(db, rows, null)
}

/** Archived notices and expired ones, newest first, optionally matching words of the title or body. */
export function searchArchive(
  db: Db,
  now: number,
  q: string,
  cursor: string | undefined,
  limit: number,
): { notices: Notice[]; nextCursor: string | null } {
  const rows = prepared(
    db,
    `${NOTICE_SELECT}
     WHERE (n.status = 'archived' OR (n.status = 'published' AND n.expires_at IS NOT NULL AND n.expires_at <= @now))
       AND n.id < @cursor AND (@q = '' OR instr(n.search_text, @q) > 0)
     ORDER BY n.id DESC LIMIT @limit`,
  ).all({ now, q: searchKey(q), cursor: cursor ?? 'g', limit: limit + 1 }) as NoticeRow[]
  const more = rows.length > limit
  if (more) rows.length = limit
  return { notices: toNotices(db, rows, null), nextCursor: more ? rows[rows.length - 1]!.id : null }
}

// ---------------------------------------------------------------- writing

/** Creates a notice; returns its id. The incidents feature makes urgent notices with it. */
export function createNotice(db: Db, input: NewNotice, now: number): string {
  const id = newId(now)
  const pinned = input.pinned ?? false
  const audience = cleanAudience(input.audience)
  db.transaction(() => {
    prepared(
      db,
      `INSERT INTO notices (id, kind, title, body, body_html, origin, author_id, landlord_ref, status, pinned, board_key,
         starts_at, expires_at, audience, audience_key, search_text, created_at, updated_at)
       VALUES (@id, @kind, @title, @body, @bodyHtml, @origin, @authorId, @landlordRef, @status, @pinned, @boardKey,
         @startsAt, @expiresAt, @audience, @audienceKey, @searchText, @now, @now)`,
    ).run({
      id,
      kind: input.kind,
      title: input.title,
      body: input.body,
      bodyHtml: renderBody(input.body),
      origin: input.origin,
      authorId: input.authorId,
      landlordRef: input.landlordRef ?? null,
      status: input.status ?? 'published',
      pinned: pinned ? 1 : 0,
      boardKey: boardKey(id, input.kind, pinned),
      startsAt: input.startsAt ?? null,
      expiresAt: input.expiresAt ?? null,
      audience: JSON.stringify(audience),
      audienceKey: audienceKey(audience),
      searchText: searchKey(`${input.title}\n${input.body}`),
      now,
    })
    bumpBoardVersion(db, now)
  })()
  return id
}

/** Applies the given changes; derived columns (HTML, order key, search text) follow. */
export function updateNotice(db: Db, id: string, changes: NoticeChanges, now: number): void {
  db.transaction(() => {
    const row = getNoticeRow(db, id)
    if (!row) return
    const kind = changes.kind ?? row.kind
    const title = changes.title ?? row.title
    const body = changes.body ?? row.body
    const pinned = changes.pinned ?? row.pinned === 1
    const audience = changes.audience !== undefined ? cleanAudience(changes.audience) : (JSON.parse(row.audience) as string[])
    prepared(
      db,
      `UPDATE notices SET kind = @kind, title = @title, body = @body, body_html = @bodyHtml, pinned = @pinned,
         board_key = @boardKey, starts_at = @startsAt, expires_at = @expiresAt, audience = @audience,
         audience_key = @audienceKey, search_text = @searchText, updated_at = @now
       WHERE id = @id`,
    ).run({
      id,
      kind,
      title,
      body,
      bodyHtml: body === row.body ? row.body_html : renderBody(body),
      pinned: pinned ? 1 : 0,
      boardKey: boardKey(id, kind, pinned),
      startsAt: changes.startsAt !== undefined ? changes.startsAt : row.starts_at,
      expiresAt: changes.expiresAt !== undefined ? changes.expiresAt : row.expires_at,
      audience: JSON.stringify(audience),
      audienceKey: audienceKey(audience),
      searchText: searchKey(`${title}\n${body}`),
      now,
    })
    bumpBoardVersion(db, now)
  })()
}

export function setNoticeStatus(db: Db, id: string, status: NoticeStatus, now: number): void {
  db.transaction(() => {
    prepared(db, 'UPDATE notices SET status = ?, updated_at = ? WHERE id = ?').run(status, now, id)
    bumpBoardVersion(db, now)
  })()
}

export interface LandlordNotice {
  landlordRef: string
  kind: NoticeKind
  title: string
  body: string
  startsAt: number | null
  expiresAt: number | null
  audience: string[]
}

/**
 * For sync: creates or updates the notice the landlord knows as `landlordRef`. Idempotent: the
 * same event applied twice leaves one notice and, the second time, changes nothing at all.
 */
export function upsertLandlordNotice(db: Db, n: LandlordNotice, now: number): string {
  return db.transaction(() => {
    const existing = prepared(db, 'SELECT id FROM notices WHERE landlord_ref = ?').get(n.landlordRef) as { id: string } | undefined
    if (!existing) {
      return createNotice(db, { ...n, origin: 'landlord', authorId: null, status: 'published' }, now)
    }
    const row = getNoticeRow(db, existing.id)!
    const audience = cleanAudience(n.audience)
    const same =
      row.kind === n.kind &&
      row.title === n.title &&
      row.body === n.body &&
      row.starts_at === n.startsAt &&
      row.expires_at === n.expiresAt &&
      row.audience === JSON.stringify(audience)
    if (!same) updateNotice(db, row.id, { kind: n.kind, title: n.title, body: n.body, startsAt: n.startsAt, expiresAt: n.expiresAt, audience }, now)
    return row.id
  })()
}

// ---------------------------------------------------------------- reactions and reads

export function reactionsOf(db: Db, noticeId: string, userId: string): { going: number; thanks: number; myReactions: ReactionKind[] } {
  const counts = prepared(db, 'SELECT going, thanks FROM notices WHERE id = ?').get(noticeId) as { going: number; thanks: number }
  const mine = prepared(db, 'SELECT kind FROM notice_reactions WHERE user_id = ? AND notice_id = ? ORDER BY kind').all(userId, noticeId) as {
    kind: ReactionKind
  }[]
  return { going: counts.going, thanks: counts.thanks, myReactions: mine.map((r) => r.kind) }
}

/** Adds (on) or removes the person's reaction; a repeat changes nothing. */
export function setReaction(db: Db, noticeId: string, userId: string, kind: ReactionKind, on: boolean, now: number): void {
  const column = kind === 'going' ? 'going' : 'thanks'
  db.transaction(() => {
    const changed = on
      ? prepared(db, 'INSERT OR IGNORE INTO notice_reactions (user_id, notice_id, kind, created_at) VALUES (?, ?, ?, ?)').run(
          userId,
          noticeId,
          kind,
          now,
        ).changes
      : prepared(db, 'DELETE FROM notice_reactions WHERE user_id = ? AND notice_id = ? AND kind = ?').run(userId, noticeId, kind).changes
    if (changed === 0) return
    prepared(db, `UPDATE notices SET ${column} = ${column} + ? WHERE id = ?`).run(on ? 1 : -1, noticeId)
    bumpBoardVersion(db, now)
  })()
}

/** Records that someone of this flat saw the notice; writes only the first time per flat. */
export function markSeen(db: Db, noticeId: string, flatId: string, now: number): void {
  if (prepared(db, 'SELECT 1 FROM notice_reads WHERE notice_id = ? AND flat_id = ?').get(noticeId, flatId)) return
  prepared(db, 'INSERT OR IGNORE INTO notice_reads (notice_id, flat_id, seen_at) VALUES (?, ?, ?)').run(noticeId, flatId, now)
}

export function readStats(db: Db, noticeId: string): { households: number; totalHouseholds: number } {
  const households = (prepared(db, 'SELECT count(*) AS n FROM notice_reads WHERE notice_id = ?').get(noticeId) as { n: number }).n
  const totalHouseholds = (
    prepared(
      db,
      `SELECT count(*) AS n FROM flats f WHERE f.revoked_at IS NULL
         AND EXISTS (SELECT 1 FROM users u WHERE u.flat_id = f.id AND u.revoked_at IS NULL)`,
    ).get() as { n: number }
  ).n
  return { households, totalHouseholds }
}

// ---------------------------------------------------------------- images

export function countImages(db: Db, noticeId: string): number {
  return (prepared(db, 'SELECT count(*) AS n FROM notice_images WHERE notice_id = ?').get(noticeId) as { n: number }).n
}

export function insertImage(db: Db, image: { id: string; noticeId: string; mime: ImageMime; size: number }, now: number): void {
  db.transaction(() => {
    prepared(db, 'INSERT INTO notice_images (id, notice_id, mime, size, created_at) VALUES (?, ?, ?, ?, ?)').run(
      image.id,
      image.noticeId,
      image.mime,
      image.size,
      now,
    )
    prepared(db, 'UPDATE notices SET updated_at = ? WHERE id = ?').run(now, image.noticeId)
    bumpBoardVersion(db, now)
  })()
}

export function getImage(db: Db, noticeId: string, imageId: string): { id: string; mime: ImageMime; size: number } | undefined {
  return prepared(db, 'SELECT id, mime, size FROM notice_images WHERE id = ? AND notice_id = ?').get(imageId, noticeId) as
    | { id: string; mime: ImageMime; size: number }
    | undefined
}

// ---------------------------------------------------------------- setting

export function residentPosting(db: Db): ResidentPosting {
  const v = (prepared(db, 'SELECT value FROM settings WHERE key = ?').get(POSTING_KEY) as { value: string } | undefined)?.value
  return v === 'off' || v === 'free' ? v : 'approval'
}

export function setResidentPosting(db: Db, value: ResidentPosting): void {
  prepared(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(POSTING_KEY, value)
}
