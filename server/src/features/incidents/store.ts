// SQL for incident reports: the incidents, the households they affect, their timelines. Every
// change the landlord must hear about appends its outbox event in the same transaction.
import { prepared, type Db } from '../../db/index.js'
import { newId } from '../../lib/ids.js'
import { appendOutbox } from '../../lib/outbox.js'
import { INCIDENT_STATUSES } from './schema.js'
import type { Incident, IncidentCategory, IncidentStatus, IncidentSummary, PlaceKind, TimelineEntry } from './schema.js'

export type Author = TimelineEntry['by']
type TimelineKind = TimelineEntry['kind']

/** Who is looking: visibility and the "my household" flags depend on it. */
export interface Viewer {
  userId: string
  flatId: string | null
  caretaker: boolean
}

/** The stored incident, whoever looks at it. */
export interface IncidentRecord {
  id: string
  category: IncidentCategory
  placeKind: PlaceKind
  placeDetail: string
  description: string
  status: IncidentStatus
  flatId: string | null
  reporterId: string | null
  photoId: string | null
  photoMime: string | null
  mergedInto: string | null
  createdAt: number
  updatedAt: number
}

interface IncidentRow {
  id: string
  category: IncidentCategory
  place_kind: PlaceKind
  place_detail: string
  description: string
  status: IncidentStatus
  flat_id: string | null
  reporter_id: string | null
  photo_id: string | null
  photo_mime: string | null
  merged_into: string | null
  created_at: number
  updated_at: number
}

interface SummaryRow extends IncidentRow {
  affected_count: number
  i_am_affected: 0 | 1
}

interface TimelineRow {
  id: string
  at: number
  kind: TimelineKind
  status: IncidentStatus | null
  message: string | null
  by: Author
}

function toRecord(r: IncidentRow): IncidentRecord {
  return {
    id: r.id,
    category: r.category,
    placeKind: r.place_kind,
    placeDetail: r.place_detail,
    description: r.description,
    status: r.status,
    flatId: r.flat_id,
    reporterId: r.reporter_id,
    photoId: r.photo_id,
    photoMime: r.photo_mime,
    mergedInto: r.merged_into,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export function photoUrl(incidentId: string, photoId: string): string {
  return `/api/v1/incidents/${incidentId}/photo/${photoId}`
}

function toSummary(r: SummaryRow, viewer: Viewer): IncidentSummary {
  const iAmAffected = r.i_am_affected === 1
  return {
    id: r.id,
    category: r.category,
    place: { kind: r.place_kind, detail: r.place_detail },
    description: r.description,
    photo: r.photo_id ? { id: r.photo_id, url: photoUrl(r.id, r.photo_id) } : null,
    status: r.status,
    private: r.place_kind === 'flat',
    affectedCount: r.affected_count,
    iAmAffected,
    iReported: r.reporter_id === viewer.userId,
    awaitingMyConfirmation: r.status === 'resolved' && iAmAffected && !viewer.caretaker,
    mergedInto: r.merged_into,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

function toEntry(r: TimelineRow): TimelineEntry {
  const entry: TimelineEntry = { id: r.id, at: r.at, kind: r.kind, by: r.by }
  if (r.status !== null) entry.status = r.status
  if (r.message !== null) entry.message = r.message
  return entry
}

/** "Entrée A" and "entrée  a" are the same place. */
export function placeKey(detail: string): string {
  return detail.normalize('NFC').replace(/\s+/gu, ' ').trim().toLowerCase()
}

// What a viewer may see: every common-area incident; a flat's incident only from that flat.
const VISIBLE = "(i.place_kind <> 'flat' OR @caretaker = 1 OR i.flat_id = @flat)"
const SUMMARY_SELECT = `
  SELECT i.*,
    (SELECT count(*) FROM incident_households h WHERE h.incident_id = i.id) AS affected_count,
    EXISTS (SELECT 1 FROM incident_households h WHERE h.incident_id = i.id AND h.flat_id = @flat) AS i_am_affected
  FROM incidents i`

function viewerParams(viewer: Viewer) {
  return { flat: viewer.flatId, caretaker: viewer.caretaker ? 1 : 0 }
}

export function canSee(incident: IncidentRecord, viewer: Viewer): boolean {
  return incident.placeKind !== 'flat' || viewer.caretaker || incident.flatId === viewer.flatId
}

export function getIncident(db: Db, id: string): IncidentRecord | undefined {
  const row = prepared(db, 'SELECT * FROM incidents WHERE id = ?').get(id) as IncidentRow | undefined
  return row && toRecord(row)
}

/** The incident with its timeline as this viewer sees it; undefined when it is not theirs to see. */
export function incidentView(db: Db, id: string, viewer: Viewer): Incident | undefined {
  const row = prepared(db, `${SUMMARY_SELECT} WHERE i.id = @id AND ${VISIBLE}`).get({ id, ...viewerParams(viewer) }) as
    | SummaryRow
    | undefined
  if (!row) return undefined
  const timeline = (
    prepared(db, 'SELECT id, at, kind, status, message, by FROM incident_timeline WHERE incident_id = ? ORDER BY seq').all(id) as TimelineRow[]
  ).map(toEntry)
  return { ...toSummary(row, viewer), timeline }
}

export type ListFilter = 'open' | 'closed' | 'all'
const FILTERS: Record<ListFilter, string> = {
  open: "i.status <> 'closed'",
  closed: "i.status = 'closed'",
  all: '1',
}

/** Newest first (in the order they were reported on the box, whatever its clock said). */
export function listIncidents(db: Db, viewer: Viewer, filter: ListFilter, limit = 200): IncidentSummary[] {
  const rows = prepared(db, `${SUMMARY_SELECT} WHERE ${FILTERS[filter]} AND ${VISIBLE} ORDER BY i.seq DESC LIMIT @limit`).all({
    ...viewerParams(viewer),
    limit,
  }) as SummaryRow[]
  return rows.map((r) => toSummary(r, viewer))
}

/** Open incidents of the same category at the same place: shown before a new report. */
export function listSimilar(db: Db, viewer: Viewer, category: IncidentCategory, kind: PlaceKind, detail: string): IncidentSummary[] {
  const rows = prepared(
    db,
    `${SUMMARY_SELECT} WHERE i.status <> 'closed' AND i.category = @category AND i.place_kind = @kind AND i.place_key = @key
       AND ${VISIBLE} ORDER BY i.seq DESC LIMIT 20`,
  ).all({ ...viewerParams(viewer), category, kind, key: kind === 'flat' ? '' : placeKey(detail) }) as SummaryRow[]
  return rows.map((r) => toSummary(r, viewer))
}

export function affectedCount(db: Db, id: string): number {
  return (prepared(db, 'SELECT count(*) AS n FROM incident_households WHERE incident_id = ?').get(id) as { n: number }).n
}

export function isAffected(db: Db, id: string, flatId: string | null): boolean {
  if (!flatId) return false
  return prepared(db, 'SELECT 1 FROM incident_households WHERE incident_id = ? AND flat_id = ?').get(id, flatId) !== undefined
}

function addEntry(
  db: Db,
  incidentId: string,
  e: { kind: TimelineKind; by: Author; status?: IncidentStatus | null; message?: string | null },
  now: number,
): void {
  prepared(db, 'INSERT INTO incident_timeline (id, incident_id, at, kind, status, message, by) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    newId(now),
    incidentId,
    now,
    e.kind,
    e.status ?? null,
    e.message ?? null,
    e.by,
  )
}

function setStatus(db: Db, id: string, status: IncidentStatus, now: number): void {
  prepared(db, 'UPDATE incidents SET status = ?, updated_at = ? WHERE id = ?').run(status, now, id)
}

function touch(db: Db, id: string, now: number): void {
  prepared(db, 'UPDATE incidents SET updated_at = ? WHERE id = ?').run(now, id)
}

/** Forward along the life cycle (steps may be skipped), or back from resolved to in progress. */
export function canMove(from: IncidentStatus, to: IncidentStatus): boolean {
  if (from === 'resolved' && to === 'in_progress') return true
  return INCIDENT_STATUSES.indexOf(to) > INCIDENT_STATUSES.indexOf(from)
}

export interface NewIncident {
  category: IncidentCategory
  placeKind: PlaceKind
  placeDetail: string
  description: string
  contactOk: boolean
  reporter: { userId: string; flat: { id: string; label: string } | null }
}

/** Records a report: the reporter's household counts as affected; 'incident.reported' goes upstream. */
export function createIncident(db: Db, input: NewIncident, now: number): string {
  const id = newId(now)
  const detail = input.placeKind === 'flat' ? '' : input.placeDetail
  const flat = input.reporter.flat
  db.transaction(() => {
    prepared(
      db,
      `INSERT INTO incidents (id, category, place_kind, place_detail, place_key, description, status, flat_id, reporter_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?)`,
    ).run(id, input.category, input.placeKind, detail, placeKey(detail), input.description, flat?.id ?? null, input.reporter.userId, now, now)
    if (flat) {
      prepared(db, 'INSERT INTO incident_households (incident_id, flat_id, contact_ok, created_at) VALUES (?, ?, ?, ?)').run(
        id,
        flat.id,
        input.contactOk ? 1 : 0,
        now,
      )
    }
    addEntry(db, id, { kind: 'reported', by: flat ? 'resident' : 'caretaker' }, now)
    // Never who reported it: the flat's name only when the resident agreed to be contacted.
    const payload: Record<string, unknown> = {
      id,
      category: input.category,
      place: { kind: input.placeKind, detail },
      description: input.description,
      affectedCount: flat ? 1 : 0,
      createdAt: now,
    }
    if (flat && input.contactOk) payload.flat = flat.label
    appendOutbox(db, 'incident.reported', payload, now)
  })()
  return id
}

/** "Moi aussi": once per household. Returns whether this household was new to it. */
export function addAffected(db: Db, id: string, flat: { id: string; label: string }, contactOk: boolean, now: number): boolean {
  return db.transaction(() => {
    const added =
      prepared(db, 'INSERT OR IGNORE INTO incident_households (incident_id, flat_id, contact_ok, created_at) VALUES (?, ?, ?, ?)').run(
        id,
        flat.id,
        contactOk ? 1 : 0,
        now,
      ).changes === 1
    if (!added) {
      // Already counted; a later "you may contact us" still counts.
      if (contactOk) prepared(db, 'UPDATE incident_households SET contact_ok = 1 WHERE incident_id = ? AND flat_id = ?').run(id, flat.id)
      return false
    }
    addEntry(db, id, { kind: 'affected', by: 'resident' }, now)
    touch(db, id, now)
    const payload: Record<string, unknown> = { id, affectedCount: affectedCount(db, id), at: now }
    if (contactOk) payload.flat = flat.label
    appendOutbox(db, 'incident.affected', payload, now)
    return true
  })()
}

/** A status change by the caretaker (the caller has checked canMove). */
export function changeStatus(db: Db, id: string, status: IncidentStatus, message: string | null, now: number): void {
  db.transaction(() => {
    setStatus(db, id, status, now)
    addEntry(db, id, { kind: 'status', by: 'caretaker', status, message }, now)
    const payload: Record<string, unknown> = { id, status, at: now }
    if (message) payload.message = message
    appendOutbox(db, 'incident.status', payload, now)
  })()
}

export function addMessage(db: Db, id: string, message: string, by: Author, now: number): void {
  db.transaction(() => {
    addEntry(db, id, { kind: 'message', by, message }, now)
    touch(db, id, now)
  })()
}

/** The answer to "Is it fixed?" from an affected household of a resolved incident. */
export function confirm(db: Db, id: string, fixed: boolean, message: string | null, now: number): void {
  db.transaction(() => {
    if (fixed) {
      setStatus(db, id, 'closed', now)
      addEntry(db, id, { kind: 'confirmed', by: 'resident', status: 'closed', message }, now)
      const payload: Record<string, unknown> = { id, at: now }
      if (message) payload.message = message
      appendOutbox(db, 'incident.closed', payload, now)
    } else {
      setStatus(db, id, 'in_progress', now)
      addEntry(db, id, { kind: 'reopened', by: 'resident', status: 'in_progress', message }, now)
      const payload: Record<string, unknown> = { id, at: now }
      if (message) payload.message = message
      appendOutbox(db, 'incident.reopened', payload, now)
    }
  })()
}

/**
 * Folds a duplicate into its target: the duplicate's households join the target (a household in
 * both counts once), the duplicate is closed and points at the target.
 */
export function merge(db: Db, duplicateId: string, targetId: string, now: number): void {
  db.transaction(() => {
    const before = affectedCount(db, targetId)
    prepared(
      db,
      `INSERT INTO incident_households (incident_id, flat_id, contact_ok, created_at)
       SELECT ?, flat_id, contact_ok, ? FROM incident_households WHERE incident_id = ?
       ON CONFLICT (incident_id, flat_id) DO UPDATE SET contact_ok = max(contact_ok, excluded.contact_ok)`,
    ).run(targetId, now, duplicateId)
    prepared(db, "UPDATE incidents SET status = 'closed', merged_into = ?, updated_at = ? WHERE id = ?").run(targetId, now, duplicateId)
    addEntry(db, duplicateId, { kind: 'merged', by: 'caretaker', status: 'closed' }, now)
    addEntry(db, targetId, { kind: 'merged', by: 'caretaker' }, now)
    touch(db, targetId, now)
    appendOutbox(db, 'incident.status', { id: duplicateId, status: 'closed', mergedInto: targetId, at: now }, now)
    const after = affectedCount(db, targetId)
    if (after !== before) appendOutbox(db, 'incident.affected', { id: targetId, affectedCount: after, at: now }, now)
  })()
}

/** Sets the photo; returns the previous one's id (its file is the caller's to remove). */
export function setPhoto(db: Db, id: string, photoId: string, mime: string, now: number): string | null {
  return db.transaction(() => {
    const previous = getIncident(db, id)?.photoId ?? null
    prepared(db, 'UPDATE incidents SET photo_id = ?, photo_mime = ?, updated_at = ? WHERE id = ?').run(photoId, mime, now, id)
    return previous
  })()
}

export interface LandlordStatus {
  incidentId: string
  /** The landlord's id for this event: the same event delivered twice is applied once. */
  eventId: string
  status: IncidentStatus
  message?: string | null
}

/**
 * For the sync agent: the landlord owns incident status. Idempotent by eventId. An event about
 * a duplicate the caretaker merged applies to the incident it was merged into. Nothing goes back
 * into the outbox: the landlord already knows.
 */
export function applyLandlordStatus(db: Db, event: LandlordStatus, now: number): 'applied' | 'duplicate' | 'unknown' {
  return db.transaction(() => {
    if (prepared(db, 'SELECT 1 FROM incident_landlord_events WHERE event_id = ?').get(event.eventId)) return 'duplicate'
    let incident = getIncident(db, event.incidentId)
    for (let hops = 0; incident?.mergedInto && hops < 10; hops++) incident = getIncident(db, incident.mergedInto)
    if (!incident) return 'unknown'
    prepared(db, 'INSERT INTO incident_landlord_events (event_id, incident_id, applied_at) VALUES (?, ?, ?)').run(
      event.eventId,
      incident.id,
      now,
    )
    const message = event.message || null
    if (event.status !== incident.status) {
      setStatus(db, incident.id, event.status, now)
      addEntry(db, incident.id, { kind: 'status', by: 'landlord', status: event.status, message }, now)
    } else if (message) {
      addEntry(db, incident.id, { kind: 'message', by: 'landlord', message }, now)
      touch(db, incident.id, now)
    }
    return 'applied'
  })()
}
