// SQL for the exchange's listings: search (FTS5), the household's own, status changes, photos,
// and the per-day counters — the only thing of the exchange that ever reaches the outbox.
import { randomBytes } from 'node:crypto'
import { prepared, type Db } from '../../db/index.js'
import { newId } from '../../lib/ids.js'
import { appendOutbox } from '../../lib/outbox.js'
import { blockedBetween, hiddenFlatsFor } from './household.js'
import type { Listing, ListingSummary } from './listings-schema.js'

export type ListingStatus = ListingSummary['status']
export type Direction = ListingSummary['direction']
export type Kind = ListingSummary['kind']
export type Category = ListingSummary['category']

export const DAY_MS = 86_400_000
/** An expired listing stays in its household's summary this long, then is just an old listing. */
export const EXPIRED_SHOWN_MS = 30 * DAY_MS
export const MAX_PHOTOS = 3
const EXCERPT_CHARS = 140
/** More words than this add cost and hardly ever narrow a search in one building. */
const MAX_SEARCH_WORDS = 8

/** Who is looking: their household (none for the caretaker acting as such). */
export interface Viewer {
  flatId: string | null
  caretaker: boolean
}

/** The stored listing, whoever looks at it. */
export interface ListingRecord {
  seq: number
  id: string
  flatId: string
  authorId: string
  onBehalf: boolean
  direction: Direction
  kind: Kind
  category: Category
  title: string
  description: string
  availability: string
  status: ListingStatus
  expiresAt: number
  expiryNotifiedAt: number | null
  hiddenAt: number | null
  createdAt: number
  updatedAt: number
}

interface ListingRow {
  seq: number
  id: string
  flat_id: string
  author_id: string
  on_behalf: 0 | 1
  direction: Direction
  kind: Kind
  category: Category
  title: string
  description: string
  availability: string
  status: ListingStatus
  expires_at: number
  expiry_notified_at: number | null
  hidden_at: number | null
  created_at: number
  updated_at: number
}

/** A row of the lists: the listing with its household and first photo, joined in one query. */
interface SummaryRow extends ListingRow {
  flat_label: string
  household_name: string
  photo_id: string | null
  photo_mime: string | null
}

function toRecord(r: ListingRow): ListingRecord {
  return {
    seq: r.seq,
    id: r.id,
    flatId: r.flat_id,
    authorId: r.author_id,
    onBehalf: r.on_behalf === 1,
    direction: r.direction,
    kind: r.kind,
    category: r.category,
    title: r.title,
    description: r.description,
    availability: r.availability,
    status: r.status,
    expiresAt: r.expires_at,
    expiryNotifiedAt: r.expiry_notified_at,
    hiddenAt: r.hidden_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export function photoUrl(listingId: string, photoId: string): string {
  return `/api/v1/exchange/listings/${listingId}/photos/${photoId}`
}

function excerpt(text: string): string {
  if (text.length <= EXCERPT_CHARS) return text
  // Cut on a whole character (never half of a surrogate pair), then mark the cut.
  return `${Array.from(text.slice(0, EXCERPT_CHARS + 1)).slice(0, EXCERPT_CHARS - 1).join('').trimEnd()}…`
}

function isExpired(status: ListingStatus, expiresAt: number, now: number): boolean {
  return (status === 'open' || status === 'reserved') && expiresAt < now
}

function toSummary(r: SummaryRow, viewer: Viewer, now: number): ListingSummary {
  return {
    id: r.id,
    direction: r.direction,
    kind: r.kind,
    category: r.category,
    title: r.title,
    excerpt: excerpt(r.description),
    availability: r.availability,
    status: r.status,
    household: { id: r.flat_id, label: r.flat_label, name: r.household_name },
    onBehalf: r.on_behalf === 1,
    photo: r.photo_id && r.photo_mime ? { id: r.photo_id, url: photoUrl(r.id, r.photo_id), mime: r.photo_mime } : null,
    mine: viewer.flatId === r.flat_id,
    expired: isExpired(r.status, r.expires_at, now),
    hidden: r.hidden_at !== null,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

// The household as shown (same rule as householdRef: the author if a resident, else the flat's
// first resident, else its label), and the first photo — joined so a page is one query.
const SUMMARY_COLUMNS = `l.*, f.label AS flat_label,
  coalesce(u.display_name,
    (SELECT r.display_name FROM users r WHERE r.flat_id = l.flat_id AND r.role = 'resident' AND r.revoked_at IS NULL ORDER BY r.created_at LIMIT 1),
    f.label) AS household_name,
  p.id AS photo_id, p.mime AS photo_mime`
const SUMMARY_JOINS = `JOIN flats f ON f.id = l.flat_id
  LEFT JOIN users u ON u.id = l.author_id AND u.role = 'resident'
  LEFT JOIN exchange_listing_photos p ON p.listing_id = l.id AND p.position = (SELECT min(position) FROM exchange_listing_photos q WHERE q.listing_id = l.id)`

// ------------------------------------------------------------ reading

export function getListing(db: Db, id: string): ListingRecord | undefined {
  const row = prepared(db, 'SELECT * FROM exchange_listings WHERE id = ?').get(id) as ListingRow | undefined
  return row && toRecord(row)
}

/**
 * Whether this viewer may read the listing (and its photos). Its household always may. A blocked
 * pair never; a listing hidden by reports only the caretaker; a withdrawn one only the households
 * that talked about it (their conversation still shows it). Done, reserved or expired listings
 * are no longer listed but stay readable by their link.
 */
export function canSee(db: Db, listing: ListingRecord, viewer: Viewer): boolean {
  if (viewer.flatId === listing.flatId) return true
  if (viewer.flatId && blockedBetween(db, viewer.flatId, listing.flatId)) return false
  if (viewer.caretaker) return true
  if (listing.hiddenAt !== null) return false
  if (listing.status === 'withdrawn') return conversationOf(db, listing.id, viewer.flatId) !== null
  return true
}

/** The conversation of this household about someone else's listing. */
function conversationOf(db: Db, listingId: string, flatId: string | null): string | null {
  if (!flatId) return null
  const row = prepared(db, 'SELECT id FROM exchange_conversations WHERE listing_id = ? AND other_flat_id = ?').get(listingId, flatId) as
    | { id: string }
    | undefined
  return row?.id ?? null
}

export function listPhotos(db: Db, listingId: string): { id: string; mime: string }[] {
  return prepared(db, 'SELECT id, mime FROM exchange_listing_photos WHERE listing_id = ? ORDER BY position').all(listingId) as {
    id: string
    mime: string
  }[]
}

/** The whole listing as this viewer sees it (visibility is the caller's check: see canSee). */
export function listingView(db: Db, id: string, viewer: Viewer, now: number): Listing | undefined {
  const row = prepared(db, `SELECT ${SUMMARY_COLUMNS} FROM exchange_listings l ${SUMMARY_JOINS} WHERE l.id = ?`).get(id) as SummaryRow | undefined
  if (!row) return undefined
  return {
    ...toSummary(row, viewer, now),
    description: row.description,
    photos: listPhotos(db, id).map((p) => ({ id: p.id, url: photoUrl(id, p.id), mime: p.mime })),
    conversationId: viewer.flatId === row.flat_id ? null : conversationOf(db, id, viewer.flatId),
  }
}

/**
 * The FTS5 expression for the user's words, or undefined when there is no word. Each word is
 * quoted as a string and made a prefix ("dri" finds "drill"); all must match. Nothing the user
 * typed is ever read as FTS syntax: quotes, *, -, parentheses, OR, NEAR… are split away or
 * quoted. Accents and case are folded by the table's tokenizer, on both sides.
 */
export function matchExpression(q: string): string | undefined {
  const words = q.normalize('NFC').match(/[\p{L}\p{N}\p{M}]+/gu)
  if (!words) return undefined
  return words
    .slice(0, MAX_SEARCH_WORDS)
    .map((w) => `"${w.replaceAll('"', '""')}"*`)
    .join(' AND ')
}

export interface ListFilters {
  q?: string | undefined
  direction?: Direction | undefined
  kind?: Kind | undefined
  category?: Category | undefined
  sort: 'newest' | 'closing'
}

/** Where the previous page stopped: the sort key of its last item. */
interface Cursor {
  expiresAt: number
  seq: number
}

function encodeCursor(sort: ListFilters['sort'], c: Cursor): string {
  return Buffer.from(JSON.stringify(sort === 'newest' ? [c.seq] : [c.expiresAt, c.seq]), 'utf8').toString('base64url')
}

/** The cursor, or undefined when it is not one we made for this sort. */
export function decodeCursor(sort: ListFilters['sort'], text: string): Cursor | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
    if (!Array.isArray(v) || !v.every((n) => Number.isSafeInteger(n))) return undefined
    if (sort === 'newest' && v.length === 1) return { expiresAt: 0, seq: v[0] as number }
    if (sort === 'closing' && v.length === 2) return { expiresAt: v[0] as number, seq: v[1] as number }
    return undefined
  } catch {
    return undefined
  }
}

// What the list shows: open or reserved, not expired, not hidden by reports, nor of a household
// this one blocked or was blocked by. The filters are written so that a missing one costs nothing.
const LISTED_REST = `l.hidden_at IS NULL
  AND (@direction IS NULL OR l.direction = @direction) AND (@kind IS NULL OR l.kind = @kind)
  AND (@category IS NULL OR l.category = @category)
  AND (@hidden = '[]' OR l.flat_id NOT IN (SELECT value FROM json_each(@hidden)))`
const LISTED = `l.status IN ('open', 'reserved') AND l.expires_at >= @now AND ${LISTED_REST}`
const AFTER_CLOSING = '(@seq IS NULL OR (l.expires_at, l.seq) > (@expiresAt, @seq))'

/**
 * Which listings make the page, in order: only their seq, so that the household, photo and
 * excerpt are worked out for the page alone, never for every match.
 * - With words, FTS5 finds the matches first (CROSS JOIN keeps it the outer loop whatever the
 *   planner guesses) and each is fetched by its rowid, which is its seq; "newest" walks the FTS
 *   rowids downwards and stops at the page's end, with no sort.
 * - "newest" without words walks the listings by seq; the status and expiry are written (+) so
 *   that their index is not chosen: it would mean sorting every open listing for one page.
 * - "closing" without words reads the (status, expires_at) index once per status, each already
 *   in order, and merges the two.
 */
function pageSql(search: boolean, sort: ListFilters['sort']): string {
  if (search) {
    const after = sort === 'newest' ? '(@seq IS NULL OR exchange_listings_fts.rowid < @seq)' : AFTER_CLOSING
    const order = sort === 'newest' ? 'exchange_listings_fts.rowid DESC' : 'l.expires_at, l.seq'
    return `SELECT l.seq, l.expires_at FROM exchange_listings_fts CROSS JOIN exchange_listings l ON l.seq = exchange_listings_fts.rowid
      WHERE exchange_listings_fts MATCH @match AND ${LISTED} AND ${after} ORDER BY ${order} LIMIT @limit`
  }
  if (sort === 'newest') {
    return `SELECT l.seq, l.expires_at FROM exchange_listings l
      WHERE +l.status IN ('open', 'reserved') AND +l.expires_at >= @now AND ${LISTED_REST} AND (@seq IS NULL OR l.seq < @seq)
      ORDER BY l.seq DESC LIMIT @limit`
  }
  const one = (status: string) => `SELECT * FROM (SELECT l.seq, l.expires_at FROM exchange_listings l
      WHERE l.status = '${status}' AND l.expires_at >= @now AND ${LISTED_REST} AND ${AFTER_CLOSING}
      ORDER BY l.expires_at, l.seq LIMIT @limit)`
  return `${one('open')} UNION ALL ${one('reserved')} ORDER BY expires_at, seq LIMIT @limit`
}

/** The SQL of one page of the list (exported for the query-plan test). */
export function listSql(search: boolean, sort: ListFilters['sort']): string {
  return `SELECT ${SUMMARY_COLUMNS} FROM (${pageSql(search, sort)}) page CROSS JOIN exchange_listings l ON l.seq = page.seq ${SUMMARY_JOINS}
    ORDER BY ${sort === 'newest' ? 'l.seq DESC' : 'l.expires_at, l.seq'}`
}

type Page = { items: ListingSummary[]; nextCursor: string | null }

/** A page as sent: its JSON bytes and their ETag. */
export interface PageBytes {
  body: Buffer
  etag: string
}

interface CachedPage {
  page: Page
  version: string
  /** The moment it was made: a clock stepped back may bring expired listings back. */
  at: number
  /** The first moment a listed listing expires, changing the list. */
  until: number
  /** The page for a viewer with none of its listings (every "mine" false). */
  shared: PageBytes
  /** The households with a listing on the page, and the page as each of them sees it. */
  owners: Set<string>
  own: Map<string, PageBytes>
}

// Searches are the exchange's most frequent request and answer the same for every household
// that blocked nobody. A page is kept, as the JSON bytes sent, until anything is written to the
// database (by this process or another, e.g. a restore) or a listed listing expires. The only
// per-viewer field, "mine", differs only for the households whose listings are on the page: each
// of them gets its own copy, made once.
const pageCache = new WeakMap<Db, Map<string, CachedPage>>()
const MAX_CACHED_PAGES = 2_000

// Every request asks for the version. A write by this connection (any feature: a block made in a
// conversation too) shows at once in total_changes(); one by another process (a restore, the
// sync agent) in data_version, read again at most every VERSION_FRESH_MS. Timed with the
// process's monotonic clock, not the box's wall clock.
const VERSION_FRESH_MS = 250
const otherWrites = new WeakMap<Db, { value: number; readAt: number }>()

function dataVersion(db: Db): string {
  const t = performance.now()
  let known = otherWrites.get(db)
  if (!known || t - known.readAt >= VERSION_FRESH_MS) {
    known = { value: (prepared(db, 'PRAGMA data_version').get() as { data_version: number }).data_version, readAt: t }
    otherWrites.set(db, known)
  }
  const changes = (prepared(db, 'SELECT total_changes() AS n').get() as { n: number }).n
  return `${known.value}:${changes}`
}

// The households hidden from each one (blocks), kept at one version like the pages.
const hiddenCache = new WeakMap<Db, Map<string, { version: string; json: string }>>()
const MAX_CACHED_HIDDEN = 5_000

function hiddenOf(db: Db, flatId: string, version: string): string {
  let cache = hiddenCache.get(db)
  if (!cache) hiddenCache.set(db, (cache = new Map()))
  let entry = cache.get(flatId)
  if (!entry || entry.version !== version) {
    if (cache.size >= MAX_CACHED_HIDDEN) cache.clear()
    entry = { version, json: JSON.stringify(hiddenFlatsFor(db, flatId).sort()) }
    cache.set(flatId, entry)
  }
  return entry.json
}

// ETags name one made copy: unique within the process, and the process's own prefix keeps a
// copy from before a restart from ever matching.
const ETAG_PREFIX = randomBytes(6).toString('base64url')
let etagSerial = 0

function toBytes(page: Page): PageBytes {
  // Already JSON of the objects the response schema describes: nothing is serialised per request.
  return { body: Buffer.from(JSON.stringify(page)), etag: `"${ETAG_PREFIX}.${(++etagSerial).toString(36)}"` }
}

/** The first expiry still to come among listed listings (the list changes then), or Infinity. */
function nextExpiry(db: Db, now: number): number {
  const first = prepared(db, 'SELECT min(expires_at) AS at FROM exchange_listings WHERE status = ? AND expires_at >= ?')
  const times = ['open', 'reserved'].map((status) => (first.get(status, now) as { at: number | null }).at ?? Infinity)
  return Math.min(...times)
}

/** One page of the listings this viewer may see, as JSON bytes; the words are searched with FTS5. */
export function listListings(db: Db, viewer: Viewer, filters: ListFilters, now: number, limit: number, after: Cursor | undefined): PageBytes {
  const match = filters.q === undefined ? undefined : matchExpression(filters.q)
  const version = dataVersion(db)
  const hidden = viewer.flatId ? hiddenOf(db, viewer.flatId, version) : '[]'
  const key = `${JSON.stringify([match ?? null, filters.direction ?? null, filters.kind ?? null, filters.category ?? null, filters.sort, limit, after ?? null])}${hidden}`
  let cache = pageCache.get(db)
  if (!cache) pageCache.set(db, (cache = new Map()))
  let entry = cache.get(key)
  if (!entry || entry.version !== version || now < entry.at || now > entry.until) {
    const page = readPage(db, { match, hidden }, filters, now, limit, after)
    if (cache.size >= MAX_CACHED_PAGES) cache.clear()
    entry = {
      page,
      version,
      at: now,
      until: nextExpiry(db, now),
      shared: toBytes(page),
      owners: new Set(page.items.map((i) => i.household.id)),
      own: new Map(),
    }
    cache.set(key, entry)
  }
  const flatId = viewer.flatId
  if (!flatId || !entry.owners.has(flatId)) return entry.shared
  let own = entry.own.get(flatId)
  if (!own) {
    const { items, nextCursor } = entry.page
    own = toBytes({ items: items.map((i) => (i.household.id === flatId ? { ...i, mine: true } : i)), nextCursor })
    entry.own.set(flatId, own)
  }
  return own
}

/** The page as the database has it now (its items with mine = false: the caller sets it). */
function readPage(
  db: Db,
  how: { match: string | undefined; hidden: string },
  filters: ListFilters,
  now: number,
  limit: number,
  after: Cursor | undefined,
): Page {
  const rows = prepared(db, listSql(how.match !== undefined, filters.sort)).all({
    now,
    direction: filters.direction ?? null,
    kind: filters.kind ?? null,
    category: filters.category ?? null,
    hidden: how.hidden,
    seq: after?.seq ?? null,
    expiresAt: after?.expiresAt ?? null,
    limit: limit + 1,
    ...(how.match === undefined ? {} : { match: how.match }),
  }) as SummaryRow[]
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    items: page.map((r) => toSummary(r, { flatId: null, caretaker: false }, now)),
    nextCursor: rows.length > limit && last ? encodeCursor(filters.sort, { expiresAt: last.expires_at, seq: last.seq }) : null,
  }
}

/** The household's own listings, every status, newest first (at most 200). */
export function listMine(db: Db, flatId: string, now: number): ListingSummary[] {
  const rows = prepared(db, `SELECT ${SUMMARY_COLUMNS} FROM exchange_listings l ${SUMMARY_JOINS} WHERE l.flat_id = ? ORDER BY l.seq DESC LIMIT 200`).all(
    flatId,
  ) as SummaryRow[]
  return rows.map((r) => toSummary(r, { flatId, caretaker: false }, now))
}

/**
 * The household's listings that expired in the last 30 days and are still open or reserved: the
 * summary tells their author. The first time each expiry is shown is recorded (renewing clears it).
 */
export function expiredListings(db: Db, flatId: string, now: number): ListingSummary[] {
  const rows = prepared(
    db,
    `SELECT ${SUMMARY_COLUMNS} FROM exchange_listings l ${SUMMARY_JOINS}
     WHERE l.flat_id = ? AND l.status IN ('open', 'reserved') AND l.expires_at < ? AND l.expires_at >= ? ORDER BY l.expires_at DESC`,
  ).all(flatId, now, now - EXPIRED_SHOWN_MS) as SummaryRow[]
  const told = prepared(db, 'UPDATE exchange_listings SET expiry_notified_at = ? WHERE seq = ? AND expiry_notified_at IS NULL')
  for (const r of rows) if (r.expiry_notified_at === null) told.run(now, r.seq)
  return rows.map((r) => toSummary(r, { flatId, caretaker: false }, now))
}

// ------------------------------------------------------------ writing

/** The UTC day of a moment, as the counters name it. */
export function utcDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10)
}

function count(db: Db, column: 'listings' | 'completed', now: number): void {
  // A clock stepped back into a day already sent still counts there; that day is not sent again.
  prepared(db, `INSERT INTO exchange_counters (day, ${column}) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET ${column} = ${column} + 1`).run(utcDay(now))
}

export interface NewListing {
  flatId: string
  authorId: string
  onBehalf: boolean
  direction: Direction
  kind: Kind
  category: Category
  title: string
  description: string
  availability: string
  expiresInDays: number
}

export function createListing(db: Db, input: NewListing, now: number): string {
  const id = newId(now)
  db.transaction(() => {
    prepared(
      db,
      `INSERT INTO exchange_listings (id, flat_id, author_id, on_behalf, direction, kind, category, title, description, availability,
         status, expires_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)`,
    ).run(
      id,
      input.flatId,
      input.authorId,
      input.onBehalf ? 1 : 0,
      input.direction,
      input.kind,
      input.category,
      input.title,
      input.description,
      input.availability,
      now + input.expiresInDays * DAY_MS,
      now,
      now,
    )
    count(db, 'listings', now)
  })()
  return id
}

/** open ↔ reserved, open or reserved → done, anything not final → withdrawn. */
export function canMove(from: ListingStatus, to: ListingStatus): boolean {
  if (from === 'done' || from === 'withdrawn') return false
  return from !== to
}

export interface ListingChanges {
  title?: string | undefined
  description?: string | undefined
  availability?: string | undefined
  category?: Category | undefined
  status?: ListingStatus | undefined
}

/** Applies the changes (the status move checked by the caller); reaching done counts one exchange. */
export function updateListing(db: Db, listing: ListingRecord, changes: ListingChanges, now: number): void {
  db.transaction(() => {
    prepared(
      db,
      `UPDATE exchange_listings SET title = coalesce(@title, title), description = coalesce(@description, description),
         availability = coalesce(@availability, availability), category = coalesce(@category, category),
         status = coalesce(@status, status), updated_at = @now WHERE id = @id`,
    ).run({
      id: listing.id,
      title: changes.title ?? null,
      description: changes.description ?? null,
      availability: changes.availability ?? null,
      category: changes.category ?? null,
      status: changes.status ?? null,
      now,
    })
    if (changes.status === 'done' && listing.status !== 'done') count(db, 'completed', now)
  })()
}

export function renewListing(db: Db, id: string, days: number, now: number): void {
  prepared(db, 'UPDATE exchange_listings SET expires_at = ?, expiry_notified_at = NULL, updated_at = ? WHERE id = ?').run(now + days * DAY_MS, now, id)
}

export function countPhotos(db: Db, listingId: string): number {
  return (prepared(db, 'SELECT count(*) AS n FROM exchange_listing_photos WHERE listing_id = ?').get(listingId) as { n: number }).n
}

/** Records a saved photo in the first free place; false when the listing already has three. */
export function addPhoto(db: Db, listingId: string, photoId: string, mime: string, now: number): boolean {
  return db.transaction(() => {
    const taken = new Set(
      (prepared(db, 'SELECT position FROM exchange_listing_photos WHERE listing_id = ?').all(listingId) as { position: number }[]).map((r) => r.position),
    )
    const position = [0, 1, 2].find((p) => !taken.has(p))
    if (position === undefined) return false
    prepared(db, 'INSERT INTO exchange_listing_photos (id, listing_id, mime, position, created_at) VALUES (?, ?, ?, ?, ?)').run(
      photoId,
      listingId,
      mime,
      position,
      now,
    )
    prepared(db, 'UPDATE exchange_listings SET updated_at = ? WHERE id = ?').run(now, listingId)
    return true
  })()
}

export function getPhoto(db: Db, listingId: string, photoId: string): { id: string; mime: string } | undefined {
  return prepared(db, 'SELECT id, mime FROM exchange_listing_photos WHERE listing_id = ? AND id = ?').get(listingId, photoId) as
    | { id: string; mime: string }
    | undefined
}

export function deletePhoto(db: Db, listingId: string, photoId: string): boolean {
  return prepared(db, 'DELETE FROM exchange_listing_photos WHERE listing_id = ? AND id = ?').run(listingId, photoId).changes > 0
}

// ------------------------------------------------------------ counters

/**
 * Queues one `stats.exchange` event per finished UTC day not yet sent: counts only, never who or
 * what. Today is left to grow; days that ended while the box was off go out at the next start.
 */
export function flushCounters(db: Db, now: number): void {
  const today = utcDay(now)
  db.transaction(() => {
    const days = prepared(db, 'SELECT day, listings, completed FROM exchange_counters WHERE sent_at IS NULL AND day < ? ORDER BY day').all(today) as {
      day: string
      listings: number
      completed: number
    }[]
    const sent = prepared(db, 'UPDATE exchange_counters SET sent_at = ? WHERE day = ?')
    for (const d of days) {
      appendOutbox(db, 'stats.exchange', { day: d.day, listings: d.listings, completed: d.completed }, now)
      sent.run(now, d.day)
    }
  })()
}
