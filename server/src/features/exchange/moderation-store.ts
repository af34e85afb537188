// SQL for the exchange's moderation and settings: reports of listings and messages, the hiding
// of a listing reported by enough households, the caretaker's review, and the `exchange.*`
// settings (time bank switch and limits, report threshold). Nothing here reaches the outbox.
import { prepared, type Db } from '../../db/index.js'
import { newId } from '../../lib/ids.js'
import { getMessageForReport } from './conversations-store.js'
import { blockedBetween, householdRef } from './household.js'
import type {
  ExchangeSettings,
  ExchangeSettingsPatch,
  Report,
  ReportGroup,
  ReportTargetKind,
  Resolution,
  Resolved,
} from './moderation-schema.js'

export type { ExchangeSettings, Report, ReportGroup, ReportTargetKind, Resolution, Resolved }

// ---------------------------------------------------------------- settings

export const EXCHANGE_SETTINGS_DEFAULTS: Readonly<ExchangeSettings> = Object.freeze({
  timeBankEnabled: false,
  minBalanceMinutes: -600,
  maxBalanceMinutes: 1200,
  reportThreshold: 3,
})

const KEYS = {
  timeBankEnabled: 'exchange.timeBankEnabled',
  minBalanceMinutes: 'exchange.minBalanceMinutes',
  maxBalanceMinutes: 'exchange.maxBalanceMinutes',
  reportThreshold: 'exchange.reportThreshold',
} as const satisfies Record<keyof ExchangeSettings, string>

function storedInt(value: string | undefined, lo: number, hi: number, fallback: number): number {
  if (value === undefined || !/^-?\d+$/.test(value)) return fallback
  const n = Number(value)
  return n >= lo && n <= hi ? n : fallback
}

/** The exchange's settings, each falling back to its default when unset or unreadable. */
export function exchangeSettings(db: Db): ExchangeSettings {
  const rows = prepared(db, "SELECT key, value FROM settings WHERE key LIKE 'exchange.%'").all() as { key: string; value: string }[]
  const v = new Map(rows.map((r) => [r.key, r.value]))
  const d = EXCHANGE_SETTINGS_DEFAULTS
  const min = storedInt(v.get(KEYS.minBalanceMinutes), -Infinity, 0, d.minBalanceMinutes)
  const max = storedInt(v.get(KEYS.maxBalanceMinutes), 0, Infinity, d.maxBalanceMinutes)
  return {
    timeBankEnabled: v.get(KEYS.timeBankEnabled) === 'true',
    minBalanceMinutes: min,
    maxBalanceMinutes: max,
    reportThreshold: storedInt(v.get(KEYS.reportThreshold), 1, 20, d.reportThreshold),
  }
}

/**
 * Merges the change into the settings (the schema has already bounded each field; min ≤ 0 ≤ max
 * follows). A lower threshold applies at once to listings already reported that often.
 */
export function updateExchangeSettings(db: Db, patch: ExchangeSettingsPatch, now: number): ExchangeSettings {
  return db.transaction(() => {
    const next = { ...exchangeSettings(db), ...patch }
    const put = prepared(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
    for (const [field, key] of Object.entries(KEYS) as [keyof ExchangeSettings, string][]) put.run(key, String(next[field]))
    prepared(
      db,
      `UPDATE exchange_listings SET hidden_at = ?
        WHERE hidden_at IS NULL AND id IN (
          SELECT target_id FROM exchange_reports WHERE target_kind = 'listing' AND resolved_at IS NULL
           GROUP BY target_id HAVING COUNT(DISTINCT flat_id) >= ?)`,
    ).run(now, next.reportThreshold)
    return next
  })()
}

// ---------------------------------------------------------------- what a household may report

type ReportedListing = NonNullable<ReportGroup['listing']>

interface ListingRow {
  id: string
  flat_id: string
  author_id: string
  on_behalf: 0 | 1
  direction: ReportedListing['direction']
  kind: ReportedListing['kind']
  category: ReportedListing['category']
  title: string
  description: string
  status: ReportedListing['status']
  hidden_at: number | null
  created_at: number
}

function listingRow(db: Db, id: string): ListingRow | undefined {
  return prepared(
    db,
    `SELECT id, flat_id, author_id, on_behalf, direction, kind, category, title, description, status, hidden_at, created_at
       FROM exchange_listings WHERE id = ?`,
  ).get(id) as ListingRow | undefined
}

/**
 * The household of a target the given household may see, or undefined when it may not see it
 * (unknown, hidden by reports and not its own, blocked, or a message of a conversation it is
 * not in) — which the routes answer 404, like any other thing out of sight.
 */
export function visibleTargetOwner(db: Db, kind: ReportTargetKind, targetId: string, flatId: string): string | undefined {
  if (kind === 'listing') {
    const l = listingRow(db, targetId)
    if (!l) return undefined
    if (l.flat_id === flatId) return l.flat_id
    if (l.hidden_at !== null || blockedBetween(db, l.flat_id, flatId)) return undefined
    return l.flat_id
  }
  const m = getMessageForReport(db, targetId)
  if (!m || (m.ownerFlatId !== flatId && m.otherFlatId !== flatId)) return undefined
  const other = m.ownerFlatId === flatId ? m.otherFlatId : m.ownerFlatId
  if (blockedBetween(db, flatId, other)) return undefined
  return m.flatId
}

// ---------------------------------------------------------------- reports

interface ReportRow {
  id: string
  target_kind: ReportTargetKind
  target_id: string
  reason: string
  created_at: number
  resolution: Resolution | null
}

function toReport(r: ReportRow): Report {
  return { id: r.id, targetKind: r.target_kind, targetId: r.target_id, reason: r.reason, createdAt: r.created_at, resolution: r.resolution }
}

const REPORT_COLUMNS = 'id, target_kind, target_id, reason, created_at, resolution'

export interface NewReport {
  targetKind: ReportTargetKind
  targetId: string
  flatId: string
  reporterId: string
  reason: string
}

/**
 * Records a household's report, once per target: a repeat returns the first report
 * (`created: false`). A listing reported by `threshold` distinct households since its last
 * review is hidden; reports closed by a "kept" review do not count again.
 */
export function createReport(db: Db, r: NewReport, threshold: number, now: number): { report: Report; created: boolean } {
  return db.transaction(() => {
    const existing = prepared(db, `SELECT ${REPORT_COLUMNS} FROM exchange_reports WHERE target_kind = ? AND target_id = ? AND flat_id = ?`).get(
      r.targetKind,
      r.targetId,
      r.flatId,
    ) as ReportRow | undefined
    if (existing) return { report: toReport(existing), created: false }
    const id = newId(now)
    prepared(
      db,
      'INSERT INTO exchange_reports (id, target_kind, target_id, flat_id, reporter_id, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(id, r.targetKind, r.targetId, r.flatId, r.reporterId, r.reason, now)
    if (r.targetKind === 'listing') {
      const { n } = prepared(
        db,
        "SELECT COUNT(DISTINCT flat_id) AS n FROM exchange_reports WHERE target_kind = 'listing' AND target_id = ? AND resolved_at IS NULL",
      ).get(r.targetId) as { n: number }
      if (n >= threshold) prepared(db, 'UPDATE exchange_listings SET hidden_at = ? WHERE id = ? AND hidden_at IS NULL').run(now, r.targetId)
    }
    const row = prepared(db, `SELECT ${REPORT_COLUMNS} FROM exchange_reports WHERE id = ?`).get(id) as ReportRow
    return { report: toReport(row), created: true }
  })()
}

interface GroupRow {
  target_kind: ReportTargetKind
  target_id: string
  count: number
  first_at: number
  last_at: number
  first_seq: number
}

/**
 * The caretaker's queue: open reports grouped by target, oldest first. A reported message comes
 * alone — its body, author household and date — never with the rest of its conversation.
 */
export function reportQueue(db: Db): ReportGroup[] {
  const groups = prepared(
    db,
    `SELECT target_kind, target_id, COUNT(*) AS count, MIN(created_at) AS first_at, MAX(created_at) AS last_at, MIN(seq) AS first_seq
       FROM exchange_reports WHERE resolved_at IS NULL
      GROUP BY target_kind, target_id ORDER BY first_seq`,
  ).all() as GroupRow[]
  const reasons = prepared(
    db,
    "SELECT reason FROM exchange_reports WHERE target_kind = ? AND target_id = ? AND resolved_at IS NULL AND reason <> '' ORDER BY seq",
  )
  const items: ReportGroup[] = []
  for (const g of groups) {
    const item: ReportGroup = {
      targetKind: g.target_kind,
      targetId: g.target_id,
      count: g.count,
      reasons: (reasons.all(g.target_kind, g.target_id) as { reason: string }[]).map((r) => r.reason),
      firstReportedAt: g.first_at,
      lastReportedAt: g.last_at,
    }
    if (g.target_kind === 'listing') {
      const l = listingRow(db, g.target_id)
      if (!l) continue
      item.listing = {
        id: l.id,
        direction: l.direction,
        kind: l.kind,
        category: l.category,
        title: l.title,
        description: l.description,
        status: l.status,
        household: householdRef(db, l.flat_id, l.author_id),
        onBehalf: l.on_behalf === 1,
        hidden: l.hidden_at !== null,
        createdAt: l.created_at,
      }
    } else {
      // Picked field by field: the conversation and its listing stay out of the caretaker's sight.
      const m = getMessageForReport(db, g.target_id)
      if (!m) continue
      item.message = {
        id: m.id,
        body: m.body,
        household: householdRef(db, m.flatId, m.authorId),
        onBehalf: m.onBehalf,
        createdAt: m.createdAt,
      }
    }
    items.push(item)
  }
  return items
}

/**
 * The caretaker's review of a target's open reports, or undefined when it has none. Kept: a
 * hidden listing shows again. Removed: a listing is withdrawn and stays hidden; a message's
 * body is emptied (an empty body is how a removed message is told apart: a sent one never is).
 */
export function resolveReports(db: Db, kind: ReportTargetKind, targetId: string, resolution: Resolution, now: number): Resolved | undefined {
  return db.transaction(() => {
    const { changes } = prepared(
      db,
      'UPDATE exchange_reports SET resolved_at = ?, resolution = ? WHERE target_kind = ? AND target_id = ? AND resolved_at IS NULL',
    ).run(now, resolution, kind, targetId)
    if (changes === 0) return undefined
    if (kind === 'listing') {
      if (resolution === 'kept') {
        prepared(db, 'UPDATE exchange_listings SET hidden_at = NULL, reviewed_at = ? WHERE id = ?').run(now, targetId)
      } else {
        prepared(
          db,
          "UPDATE exchange_listings SET status = 'withdrawn', hidden_at = COALESCE(hidden_at, ?), reviewed_at = ?, updated_at = ? WHERE id = ?",
        ).run(now, now, now, targetId)
      }
    } else if (resolution === 'removed') {
      prepared(db, "UPDATE exchange_messages SET body = '' WHERE id = ?").run(targetId)
    }
    return { targetKind: kind, targetId, resolution, reports: changes }
  })()
}

// ---------------------------------------------------------------- acting on behalf

/** Flats the caretaker may act for: not revoked, without an active resident account. */
export function onBehalfFlats(db: Db): { id: string; label: string; name: string }[] {
  const rows = prepared(
    db,
    `SELECT f.id, f.label FROM flats f
      WHERE f.revoked_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM users u WHERE u.flat_id = f.id AND u.role = 'resident' AND u.revoked_at IS NULL)
      ORDER BY f.label_key, f.id`,
  ).all() as { id: string; label: string }[]
  // No resident to name the household after: the label stands for it (as householdRef does).
  return rows.map((r) => ({ id: r.id, label: r.label, name: r.label }))
}
