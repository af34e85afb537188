// The notice board's rules that need no browser: kinds and their labels, what a resident may
// post, the new-notice form's checks and request body, and the board's sections. The server
// stays the authority; these give people an answer at once, in their language.
import type { NewNotice, Notice, NoticeKind, ResidentPosting, Role } from '../api/types.js'
import type { FieldError } from '../forms/validation.js'
import type { MessageKey } from '../i18n/translate.js'

export const NOTICE_KINDS: readonly NoticeKind[] = ['urgent', 'works', 'info', 'event']
/** Residents announce information and events; urgent notices and works are the caretaker's. */
export const RESIDENT_KINDS: readonly NoticeKind[] = ['info', 'event']

export const TITLE_MAX = 120
export const BODY_MAX = 5000

export const KIND_LABEL: Readonly<Record<NoticeKind, MessageKey>> = {
  urgent: 'notice.kind.urgent',
  works: 'notice.kind.works',
  info: 'notice.kind.info',
  event: 'notice.kind.event',
}

export const POSTING_LABEL: Readonly<Record<ResidentPosting, MessageKey>> = {
  off: 'noticeAdmin.postingOff',
  approval: 'noticeAdmin.postingApproval',
  free: 'noticeAdmin.postingFree',
}

export function kindsFor(role: Role): readonly NoticeKind[] {
  return role === 'caretaker' ? NOTICE_KINDS : RESIDENT_KINDS
}

/** Whether the new-notice page is open to this person under the caretaker's setting. */
/** Whether to offer posting: residents only once the setting is known to allow it. */
export function canPost(role: Role, posting: ResidentPosting | undefined): boolean {
  return role === 'caretaker' || (posting !== undefined && posting !== 'off')
}

/** Urgent notices in their own section at the top, the rest in the server's order. */
export function boardSections<N extends Pick<Notice, 'kind'>>(notices: readonly N[]): { urgent: N[]; others: N[] } {
  return {
    urgent: notices.filter((n) => n.kind === 'urgent'),
    others: notices.filter((n) => n.kind !== 'urgent'),
  }
}

/** Adds a later page to the board, without showing twice a notice that moved between pages. */
export function appendPage<N extends Pick<Notice, 'id'>>(shown: readonly N[], next: readonly N[]): N[] {
  const seen = new Set(shown.map((n) => n.id))
  return [...shown, ...next.filter((n) => !seen.has(n.id))]
}

/** `YYYY-MM-DD` (what <input type="date"> holds) of a moment, in the phone's time zone. */
export function dateInputValue(ms: number): string {
  const d = new Date(ms)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/**
 * The moment a date input means: the start of that day, or its very end for an expiry ("until
 * Thursday" includes Thursday). null when empty or not a real date.
 */
export function parseDateInput(value: string, endOfDay = false): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim())
  if (!m) return null
  const [year, month, day] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])]
  const date = endOfDay ? new Date(year, month, day, 23, 59, 59, 999) : new Date(year, month, day)
  if (date.getFullYear() !== year || date.getMonth() !== month || date.getDate() !== day) return null
  return date.getTime()
}

/** What the new-notice form holds, as typed. */
export type NoticeValues = {
  kind: string
  title: string
  body: string
  /** First day on the board, empty for now. */
  startsOn: string
  /** Last day on the board, empty for "until removed". */
  endsOn: string
}

export const EMPTY_NOTICE: NoticeValues = { kind: 'info', title: '', body: '', startsOn: '', endsOn: '' }

function length(text: string): number {
  return Array.from(text).length
}

/** The form's checks, in the order it shows its inputs. */
export function checkNotice(values: NoticeValues, role: Role): FieldError | null {
  if (!(kindsFor(role) as readonly string[]).includes(values.kind)) return { field: 'kind', key: 'validation.noticeKind' }
  const title = values.title.trim()
  if (!title) return { field: 'title', key: 'validation.noticeTitle' }
  if (length(title) > TITLE_MAX) return { field: 'title', key: 'validation.noticeTitleLong' }
  if (!values.body.trim()) return { field: 'body', key: 'validation.noticeBody' }
  if (length(values.body) > BODY_MAX) return { field: 'body', key: 'validation.noticeBodyLong' }
  if (values.startsOn && parseDateInput(values.startsOn) === null) return { field: 'startsOn', key: 'validation.date' }
  if (values.endsOn) {
    const end = parseDateInput(values.endsOn, true)
    if (end === null) return { field: 'endsOn', key: 'validation.date' }
    const start = values.startsOn ? parseDateInput(values.startsOn) : null
    if (start !== null && end < start) return { field: 'endsOn', key: 'validation.noticeDates' }
  }
  return null
}

/** The request body of POST /notices; dates and audience only when chosen. */
export function noticeBody(
  values: NoticeValues,
  options: { role: Role; pinned: boolean; audience: readonly string[] },
): NewNotice {
  const body: NewNotice = {
    kind: values.kind as NoticeKind,
    title: values.title.replace(/\s+/g, ' ').trim(),
    body: values.body.replace(/\r\n?/g, '\n').trim(),
  }
  const startsAt = values.startsOn ? parseDateInput(values.startsOn) : null
  if (startsAt !== null) body.startsAt = startsAt
  const expiresAt = values.endsOn ? parseDateInput(values.endsOn, true) : null
  if (expiresAt !== null) body.expiresAt = expiresAt
  if (options.role === 'caretaker') {
    body.pinned = options.pinned
    if (options.audience.length > 0) body.audience = [...options.audience]
  }
  return body
}

/** The distinct entrances of the building's flats, sorted the way people count them. */
export function entrancesOf(flats: readonly { entrance: string; revokedAt: number | null }[], lang: string): string[] {
  const names = new Set<string>()
  for (const flat of flats) if (flat.revokedAt === null && flat.entrance.trim()) names.add(flat.entrance.trim())
  return [...names].sort((a, b) => a.localeCompare(b, lang, { numeric: true }))
}
