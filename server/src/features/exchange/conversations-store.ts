// SQL for the private conversations between two households about a listing, what each household
// has read, and blocks. A conversation exists for its two households only: every read here is
// asked for by one of them, and a blocked pair sees none of it. Nothing here reaches the outbox.
import { prepared, type Db } from '../../db/index.js'
import { newId } from '../../lib/ids.js'
import { householdRef, type HouseholdRef } from './household.js'
import type { Block, Conversation, ConversationDetail, ConversationListing, ConversationSummary, ListingBrief, Message } from './conversations-schema.js'

const EXCERPT_LENGTH = 120

// Neither household of the conversation `c` blocked the other.
const NOT_BLOCKED = `NOT EXISTS (SELECT 1 FROM exchange_blocks b
  WHERE (b.flat_id = c.owner_flat_id AND b.blocked_flat_id = c.other_flat_id)
     OR (b.flat_id = c.other_flat_id AND b.blocked_flat_id = c.owner_flat_id))`

// What household @flat has read of the conversation `c` (0: nothing yet).
const LAST_READ = 'coalesce((SELECT r.last_read_seq FROM exchange_reads r WHERE r.conversation_id = c.id AND r.flat_id = @flat), 0)'

// Messages of `c` from the other household that @flat has not read; its own never count.
const UNREAD = `(SELECT count(*) FROM exchange_messages u
  WHERE u.conversation_id = c.id AND u.flat_id <> @flat AND u.seq > ${LAST_READ})`

export interface ListingRow {
  id: string
  flat_id: string
  author_id: string
  on_behalf: 0 | 1
  direction: ListingBrief['direction']
  kind: ListingBrief['kind']
  category: string
  title: string
  description: string
  availability: string
  status: ListingBrief['status']
  expires_at: number
  hidden_at: number | null
}

export interface ConversationRow {
  id: string
  listing_id: string
  owner_flat_id: string
  other_flat_id: string
  created_at: number
  last_message_seq: number
}

interface MessageRow {
  seq: number
  id: string
  conversation_id: string
  flat_id: string
  author_id: string
  on_behalf: 0 | 1
  body: string
  created_at: number
}

/** A reported message as the moderation sees it: the message alone, with its conversation's two households. */
export interface MessageForReport {
  id: string
  conversationId: string
  listingId: string
  /** The household that wrote it. */
  flatId: string
  authorId: string
  onBehalf: boolean
  /** '' once removed by the caretaker. */
  body: string
  createdAt: number
  /** The two households of the conversation: the only ones who may report it. */
  ownerFlatId: string
  otherFlatId: string
}

// ------------------------------------------------------------ used by the other modules

/** How many conversations of this household hold messages it has not read (the badge). */
export function unreadConversationCount(db: Db, flatId: string): number {
  const row = prepared(
    db,
    `SELECT count(*) AS n FROM exchange_conversations c
     WHERE (c.owner_flat_id = @flat OR c.other_flat_id = @flat)
       AND c.last_message_seq > ${LAST_READ}
       AND ${NOT_BLOCKED}
       AND ${UNREAD} > 0`,
  ).get({ flat: flatId }) as { n: number }
  return row.n
}

/** The conversation on this listing between these two households, whichever posted it (blocks not checked). */
export function conversationBetween(db: Db, listingId: string, flatA: string, flatB: string): { id: string } | undefined {
  return prepared(
    db,
    `SELECT id FROM exchange_conversations
     WHERE listing_id = @listing AND ((owner_flat_id = @a AND other_flat_id = @b) OR (owner_flat_id = @b AND other_flat_id = @a))`,
  ).get({ listing: listingId, a: flatA, b: flatB }) as { id: string } | undefined
}

/** One message with the households of its conversation, for a report; undefined when there is none. */
export function getMessageForReport(db: Db, messageId: string): MessageForReport | undefined {
  const row = prepared(
    db,
    `SELECT m.id, m.conversation_id, c.listing_id, m.flat_id, m.author_id, m.on_behalf, m.body, m.created_at, c.owner_flat_id, c.other_flat_id
     FROM exchange_messages m JOIN exchange_conversations c ON c.id = m.conversation_id
     WHERE m.id = ?`,
  ).get(messageId) as (Omit<MessageRow, 'seq'> & { listing_id: string; owner_flat_id: string; other_flat_id: string }) | undefined
  if (!row) return undefined
  return {
    id: row.id,
    conversationId: row.conversation_id,
    listingId: row.listing_id,
    flatId: row.flat_id,
    authorId: row.author_id,
    onBehalf: row.on_behalf === 1,
    body: row.body,
    createdAt: row.created_at,
    ownerFlatId: row.owner_flat_id,
    otherFlatId: row.other_flat_id,
  }
}

// ------------------------------------------------------------ listings, as conversations need them

export function getListingRow(db: Db, id: string): ListingRow | undefined {
  return prepared(
    db,
    `SELECT id, flat_id, author_id, on_behalf, direction, kind, category, title, description, availability, status, expires_at, hidden_at
     FROM exchange_listings WHERE id = ?`,
  ).get(id) as ListingRow | undefined
}

/** Household refs looked up once per (household, author) while one answer is made. */
function refs(db: Db): (flatId: string, authorId?: string) => HouseholdRef {
  const cache = new Map<string, HouseholdRef>()
  return (flatId, authorId) => {
    const key = `${flatId}|${authorId ?? ''}`
    let ref = cache.get(key)
    if (!ref) cache.set(key, (ref = householdRef(db, flatId, authorId)))
    return ref
  }
}

function toListing(db: Db, row: ListingRow, flatId: string, now: number, ref: ReturnType<typeof refs>): ConversationListing {
  const photos = prepared(db, 'SELECT id, mime FROM exchange_listing_photos WHERE listing_id = ? ORDER BY position').all(row.id) as {
    id: string
    mime: string
  }[]
  return {
    id: row.id,
    direction: row.direction,
    kind: row.kind,
    category: row.category,
    title: row.title,
    description: row.description,
    availability: row.availability,
    status: row.status,
    expiresAt: row.expires_at,
    expired: row.expires_at <= now,
    mine: row.flat_id === flatId,
    household: ref(row.flat_id, row.author_id),
    onBehalf: row.on_behalf === 1,
    photos: photos.map((p) => ({ id: p.id, url: `/api/v1/exchange/listings/${row.id}/photos/${p.id}`, mime: p.mime })),
  }
}

// ------------------------------------------------------------ conversations

/** The conversation if this household is one of its two and neither blocked the other. */
export function conversationFor(db: Db, id: string, flatId: string): ConversationRow | undefined {
  return prepared(
    db,
    `SELECT c.id, c.listing_id, c.owner_flat_id, c.other_flat_id, c.created_at, c.last_message_seq FROM exchange_conversations c
     WHERE c.id = @id AND (c.owner_flat_id = @flat OR c.other_flat_id = @flat) AND ${NOT_BLOCKED}`,
  ).get({ id, flat: flatId }) as ConversationRow | undefined
}

export interface NewMessage {
  flatId: string
  authorId: string
  onBehalf: boolean
  body: string
}

function insertMessage(db: Db, conversationId: string, m: NewMessage, now: number): string {
  const id = newId(now)
  const { lastInsertRowid } = prepared(
    db,
    'INSERT INTO exchange_messages (id, conversation_id, flat_id, author_id, on_behalf, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(id, conversationId, m.flatId, m.authorId, m.onBehalf ? 1 : 0, m.body, now)
  const seq = Number(lastInsertRowid)
  prepared(db, 'UPDATE exchange_conversations SET last_message_seq = ? WHERE id = ?').run(seq, conversationId)
  // A household has read what it answers to.
  markRead(db, conversationId, m.flatId, seq)
  return id
}

/** "Répondre": the conversation of this household about the listing, opened if need be, with the message added. */
export function answerListing(db: Db, listing: ListingRow, m: NewMessage, now: number): string {
  return db.transaction(() => {
    let conversation = prepared(db, 'SELECT id FROM exchange_conversations WHERE listing_id = ? AND other_flat_id = ?').get(listing.id, m.flatId) as
      | { id: string }
      | undefined
    if (!conversation) {
      conversation = { id: newId(now) }
      prepared(db, 'INSERT INTO exchange_conversations (id, listing_id, owner_flat_id, other_flat_id, created_at) VALUES (?, ?, ?, ?, ?)').run(
        conversation.id,
        listing.id,
        listing.flat_id,
        m.flatId,
        now,
      )
    }
    insertMessage(db, conversation.id, m, now)
    return conversation.id
  })()
}

export function addMessage(db: Db, conversationId: string, m: NewMessage, now: number): string {
  return db.transaction(() => insertMessage(db, conversationId, m, now))()
}

/** This household has read the conversation up to message `seq` (never moves back). */
export function markRead(db: Db, conversationId: string, flatId: string, seq: number): void {
  prepared(
    db,
    `INSERT INTO exchange_reads (conversation_id, flat_id, last_read_seq) VALUES (?, ?, ?)
     ON CONFLICT (conversation_id, flat_id) DO UPDATE SET last_read_seq = max(last_read_seq, excluded.last_read_seq)`,
  ).run(conversationId, flatId, seq)
}

function lastMessageAt(db: Db, c: ConversationRow): number | null {
  if (c.last_message_seq === 0) return null
  const row = prepared(db, 'SELECT created_at FROM exchange_messages WHERE seq = ?').get(c.last_message_seq) as { created_at: number } | undefined
  return row?.created_at ?? null
}

/** The conversation as one of its households sees it. */
export function toConversation(db: Db, c: ConversationRow, flatId: string): Conversation {
  const ownListing = c.owner_flat_id === flatId
  return {
    id: c.id,
    listingId: c.listing_id,
    ownListing,
    household: householdRef(db, ownListing ? c.other_flat_id : c.owner_flat_id),
    createdAt: c.created_at,
    lastMessageAt: lastMessageAt(db, c),
  }
}

function toMessage(r: MessageRow, flatId: string, ref: ReturnType<typeof refs>): Message {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    mine: r.flat_id === flatId,
    household: ref(r.flat_id, r.author_id),
    onBehalf: r.on_behalf === 1,
    body: r.body,
    // The moderation empties a removed message's body; a sent message is never empty.
    removed: r.body === '',
    createdAt: r.created_at,
  }
}

export function getMessage(db: Db, id: string, flatId: string): Message {
  const row = prepared(db, 'SELECT * FROM exchange_messages WHERE id = ?').get(id) as MessageRow
  return toMessage(row, flatId, refs(db))
}

/** The whole conversation for one of its households; reading it marks it read for that household. */
export function readConversation(db: Db, c: ConversationRow, flatId: string, now: number): ConversationDetail {
  const ref = refs(db)
  const listing = getListingRow(db, c.listing_id)!
  const rows = prepared(db, 'SELECT * FROM exchange_messages WHERE conversation_id = ? ORDER BY seq').all(c.id) as MessageRow[]
  if (c.last_message_seq > 0) markRead(db, c.id, flatId, c.last_message_seq)
  return {
    conversation: toConversation(db, c, flatId),
    listing: toListing(db, listing, flatId, now, ref),
    messages: rows.map((r) => toMessage(r, flatId, ref)),
  }
}

interface SummaryRow extends ConversationRow {
  unread: number
  l_direction: ListingBrief['direction']
  l_kind: ListingBrief['kind']
  l_category: string
  l_title: string
  l_status: ListingBrief['status']
  l_expires_at: number
  m_flat_id: string | null
  m_body: string | null
  m_created_at: number | null
}

/** This household's conversations, most recent message first, blocked pairs left out. */
export function listConversations(db: Db, flatId: string, now: number): ConversationSummary[] {
  const rows = prepared(
    db,
    `SELECT c.id, c.listing_id, c.owner_flat_id, c.other_flat_id, c.created_at, c.last_message_seq, ${UNREAD} AS unread,
       l.direction AS l_direction, l.kind AS l_kind, l.category AS l_category, l.title AS l_title, l.status AS l_status,
       l.expires_at AS l_expires_at, m.flat_id AS m_flat_id, m.body AS m_body, m.created_at AS m_created_at
     FROM exchange_conversations c
     JOIN exchange_listings l ON l.id = c.listing_id
     LEFT JOIN exchange_messages m ON m.seq = c.last_message_seq
     WHERE (c.owner_flat_id = @flat OR c.other_flat_id = @flat) AND ${NOT_BLOCKED}
     ORDER BY c.last_message_seq DESC, c.seq DESC`,
  ).all({ flat: flatId }) as SummaryRow[]
  const ref = refs(db)
  return rows.map((r) => {
    const ownListing = r.owner_flat_id === flatId
    return {
      id: r.id,
      listing: {
        id: r.listing_id,
        direction: r.l_direction,
        kind: r.l_kind,
        category: r.l_category,
        title: r.l_title,
        status: r.l_status,
        expired: r.l_expires_at <= now,
        mine: ownListing,
      },
      ownListing,
      household: ref(ownListing ? r.other_flat_id : r.owner_flat_id),
      lastMessage:
        r.m_created_at === null
          ? null
          : {
              excerpt: excerpt(r.m_body!),
              mine: r.m_flat_id === flatId,
              removed: r.m_body === '',
              at: r.m_created_at,
            },
      unread: r.unread,
      createdAt: r.created_at,
    }
  })
}

function excerpt(body: string): string {
  const line = body.replace(/\s+/gu, ' ').trim()
  return line.length <= EXCERPT_LENGTH ? line : `${line.slice(0, EXCERPT_LENGTH - 1)}…`
}

// ------------------------------------------------------------ blocks

/** The households this one blocked (not those that blocked it: that stays theirs to know). */
export function listBlocks(db: Db, flatId: string): Block[] {
  const rows = prepared(
    db,
    `SELECT b.blocked_flat_id AS flatId, f.label, b.created_at AS createdAt
     FROM exchange_blocks b JOIN flats f ON f.id = b.blocked_flat_id
     WHERE b.flat_id = ? ORDER BY f.label`,
  ).all(flatId) as Block[]
  return rows
}

export function flatExists(db: Db, flatId: string): boolean {
  return prepared(db, 'SELECT 1 FROM flats WHERE id = ?').get(flatId) !== undefined
}

/** Blocks the household; false when it was already blocked. */
export function addBlock(db: Db, flatId: string, blockedFlatId: string, now: number): boolean {
  return prepared(db, 'INSERT OR IGNORE INTO exchange_blocks (flat_id, blocked_flat_id, created_at) VALUES (?, ?, ?)').run(flatId, blockedFlatId, now).changes === 1
}

export function getBlock(db: Db, flatId: string, blockedFlatId: string): Block | undefined {
  return prepared(
    db,
    `SELECT b.blocked_flat_id AS flatId, f.label, b.created_at AS createdAt
     FROM exchange_blocks b JOIN flats f ON f.id = b.blocked_flat_id WHERE b.flat_id = ? AND b.blocked_flat_id = ?`,
  ).get(flatId, blockedFlatId) as Block | undefined
}

/** Lifts this household's own block; false when it had none. */
export function removeBlock(db: Db, flatId: string, blockedFlatId: string): boolean {
  return prepared(db, 'DELETE FROM exchange_blocks WHERE flat_id = ? AND blocked_flat_id = ?').run(flatId, blockedFlatId).changes === 1
}
