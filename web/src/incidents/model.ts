// The incident reports' rules that need no browser: categories, places and statuses with their
// labels, the caretaker's next steps, the report form's checks and request body, and the words
// of each timeline entry. The server stays the authority.
import type {
  IncidentCategory,
  IncidentStatus,
  NewIncident,
  PlaceKind,
  TimelineEntry,
} from '../api/types.js'
import type { FieldError } from '../forms/validation.js'
import type { MessageKey } from '../i18n/translate.js'

export const CATEGORIES: readonly IncidentCategory[] = [
  'lift',
  'heating',
  'hot_water',
  'leak',
  'electricity',
  'doors_intercom',
  'cleanliness',
  'pests',
  'other',
]

export const PLACE_KINDS: readonly PlaceKind[] = ['entrance', 'floor', 'common', 'flat']

export const STATUSES: readonly IncidentStatus[] = ['new', 'acknowledged', 'in_progress', 'resolved', 'closed']

export const DESCRIPTION_MAX = 2000
export const DETAIL_MAX = 80
export const MESSAGE_MAX = 1000

export const CATEGORY_LABEL: Readonly<Record<IncidentCategory, MessageKey>> = {
  lift: 'incident.category.lift',
  heating: 'incident.category.heating',
  hot_water: 'incident.category.hot_water',
  leak: 'incident.category.leak',
  electricity: 'incident.category.electricity',
  doors_intercom: 'incident.category.doors_intercom',
  cleanliness: 'incident.category.cleanliness',
  pests: 'incident.category.pests',
  other: 'incident.category.other',
}

export const PLACE_LABEL: Readonly<Record<PlaceKind, MessageKey>> = {
  entrance: 'incident.place.entrance',
  floor: 'incident.place.floor',
  common: 'incident.place.common',
  flat: 'incident.place.flat',
}

export const STATUS_LABEL: Readonly<Record<IncidentStatus, MessageKey>> = {
  new: 'incident.status.new',
  acknowledged: 'incident.status.acknowledged',
  in_progress: 'incident.status.in_progress',
  resolved: 'incident.status.resolved',
  closed: 'incident.status.closed',
}

/** The caretaker's buttons: "move to …", in the life cycle's order. */
export const STATUS_ACTION: Readonly<Record<IncidentStatus, MessageKey>> = {
  new: 'triage.toNew',
  acknowledged: 'triage.toAcknowledged',
  in_progress: 'triage.toInProgress',
  resolved: 'triage.toResolved',
  closed: 'triage.toClosed',
}

export function isOpen(status: IncidentStatus): boolean {
  return status !== 'closed'
}

/** 1 to 5: where the incident is in its life cycle, said as "step 2 of 5". */
export function statusStep(status: IncidentStatus): number {
  return STATUSES.indexOf(status) + 1
}

/**
 * Where the caretaker can move an incident: forward along the life cycle (skipping steps is
 * allowed: a lift repaired the same morning goes straight to resolved), and back to "in
 * progress" from "resolved". A closed incident stays closed.
 */
export function nextStatuses(status: IncidentStatus): IncidentStatus[] {
  if (status === 'closed') return []
  const later = STATUSES.slice(STATUSES.indexOf(status) + 1)
  return status === 'resolved' ? ['in_progress', ...later] : later
}

/** Inside a flat there is nothing to say where; elsewhere we need "Entrée A", "3e étage"… */
export function needsDetail(kind: PlaceKind | ''): boolean {
  return kind !== '' && kind !== 'flat'
}

/** Detail as people type it → as sent and compared: single spaces, no spaces around. */
export function cleanDetail(detail: string): string {
  return detail.normalize('NFC').replace(/\s+/g, ' ').trim()
}

/** What the report form holds, as typed. */
export type ReportValues = {
  category: IncidentCategory | ''
  placeKind: PlaceKind | ''
  placeDetail: string
  description: string
}

export const EMPTY_REPORT: ReportValues = { category: '', placeKind: '', placeDetail: '', description: '' }

/** Category and place are chosen: time to show the similar open reports. */
export function placeChosen(values: ReportValues): boolean {
  return values.category !== '' && values.placeKind !== '' && (!needsDetail(values.placeKind) || cleanDetail(values.placeDetail) !== '')
}

/** The first step's checks: what and where. */
export function checkWhatWhere(values: ReportValues): FieldError | null {
  if (!values.category) return { field: 'category', key: 'validation.incidentCategory' }
  if (!values.placeKind) return { field: 'placeKind', key: 'validation.incidentPlace' }
  if (needsDetail(values.placeKind)) {
    const detail = cleanDetail(values.placeDetail)
    if (!detail) return { field: 'placeDetail', key: 'validation.incidentPlaceDetail' }
    if (Array.from(detail).length > DETAIL_MAX) return { field: 'placeDetail', key: 'validation.incidentPlaceDetailLong' }
  }
  return null
}

/** Every check of the report, in the order the form shows its inputs. */
export function checkReport(values: ReportValues): FieldError | null {
  const where = checkWhatWhere(values)
  if (where) return where
  const description = values.description.trim()
  if (!description) return { field: 'description', key: 'validation.incidentDescription' }
  if (Array.from(description).length > DESCRIPTION_MAX) return { field: 'description', key: 'validation.incidentDescriptionLong' }
  return null
}

/** The request body of POST /incidents (call after checkReport). */
export function reportBody(values: ReportValues, contactOk: boolean): NewIncident {
  const kind = values.placeKind as PlaceKind
  return {
    category: values.category as IncidentCategory,
    place: { kind, detail: needsDetail(kind) ? cleanDetail(values.placeDetail) : '' },
    description: values.description.replace(/\r\n?/g, '\n').trim(),
    contactOk,
  }
}

/** A suggestion for the place detail from the person's flat ("A" for entrance A). */
export function suggestedDetail(kind: PlaceKind | '', flat: { entrance: string; floor: string } | null): string {
  if (!flat) return ''
  if (kind === 'entrance') return flat.entrance
  if (kind === 'floor') return flat.floor
  return ''
}

/** The sentence of a timeline entry; its message, if any, is shown under it. */
export function timelineKey(entry: TimelineEntry): MessageKey {
  switch (entry.kind) {
    case 'reported':
      return 'timeline.reported'
    case 'affected':
      return 'timeline.affected'
    case 'status':
      return 'timeline.status'
    case 'message':
      return entry.by === 'landlord' ? 'timeline.messageLandlord' : 'timeline.messageCaretaker'
    case 'confirmed':
      return 'timeline.confirmed'
    case 'reopened':
      return 'timeline.reopened'
    case 'merged':
      return 'timeline.merged'
  }
}

export const BY_LABEL: Readonly<Record<TimelineEntry['by'], MessageKey>> = {
  resident: 'timeline.byResident',
  caretaker: 'timeline.byCaretaker',
  landlord: 'timeline.byLandlord',
}
