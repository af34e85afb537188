// The exchange's words and rules the pages share, in plain TypeScript (tested without a browser):
// labels of kinds, directions, categories and statuses, checks of the forms before they are
// sent, and the dates of a loan.
import type { ExchangeCategory, ExchangeDirection, ExchangeKind, ListingSearch, ListingStatus, NewListing } from '../api/types.js'
import type { MessageKey } from '../i18n/translate.js'
import { paths } from '../router/routes.js'

export const DIRECTIONS: readonly ExchangeDirection[] = ['offer', 'request']
export const KINDS: readonly ExchangeKind[] = ['lend', 'give', 'help', 'swap']
export const CATEGORIES: readonly ExchangeCategory[] = [
  'tools',
  'home',
  'kids',
  'books_media',
  'clothes',
  'food',
  'lessons',
  'repairs',
  'garden',
  'transport',
  'care',
  'other',
]

export const TITLE_MIN = 3
export const TITLE_MAX = 80
export const DESCRIPTION_MAX = 2000
export const AVAILABILITY_MAX = 200
export const MESSAGE_MAX = 2000
export const ITEM_MAX = 80
export const WORD_MAX = 140
/** A listing closing within this many days is flagged "bientôt fini". */
export const CLOSING_SOON_DAYS = 3
const DAY = 86_400_000

export const DIRECTION_LABEL: Readonly<Record<ExchangeDirection, MessageKey>> = {
  offer: 'exchange.direction.offer',
  request: 'exchange.direction.request',
}

export const KIND_LABEL: Readonly<Record<ExchangeKind, MessageKey>> = {
  lend: 'exchange.kind.lend',
  give: 'exchange.kind.give',
  help: 'exchange.kind.help',
  swap: 'exchange.kind.swap',
}

export const CATEGORY_LABEL: Readonly<Record<ExchangeCategory, MessageKey>> = {
  tools: 'exchange.category.tools',
  home: 'exchange.category.home',
  kids: 'exchange.category.kids',
  books_media: 'exchange.category.books_media',
  clothes: 'exchange.category.clothes',
  food: 'exchange.category.food',
  lessons: 'exchange.category.lessons',
  repairs: 'exchange.category.repairs',
  garden: 'exchange.category.garden',
  transport: 'exchange.category.transport',
  care: 'exchange.category.care',
  other: 'exchange.category.other',
}

export const STATUS_LABEL: Readonly<Record<ListingStatus, MessageKey>> = {
  open: 'exchange.status.open',
  reserved: 'exchange.status.reserved',
  done: 'exchange.status.done',
  withdrawn: 'exchange.status.withdrawn',
}

export function isDirection(v: string | null): v is ExchangeDirection {
  return (DIRECTIONS as readonly string[]).includes(v ?? '')
}
export function isKind(v: string | null): v is ExchangeKind {
  return (KINDS as readonly string[]).includes(v ?? '')
}
export function isCategory(v: string | null): v is ExchangeCategory {
  return (CATEGORIES as readonly string[]).includes(v ?? '')
}

/** Still open or reserved: one can answer it, and its household can renew it. */
export function isLive(status: ListingStatus): boolean {
  return status === 'open' || status === 'reserved'
}

export function closingSoon(expiresAt: number, now: number): boolean {
  return expiresAt > now && expiresAt - now <= CLOSING_SOON_DAYS * DAY
}

/** The status buttons the listing's own household gets, from the current status. */
export function nextStatuses(status: ListingStatus): ListingStatus[] {
  switch (status) {
    case 'open':
      return ['reserved', 'done', 'withdrawn']
    case 'reserved':
      return ['open', 'done', 'withdrawn']
    default:
      return []
  }
}

export interface ListingValues extends Record<string, string> {
  direction: string
  kind: string
  category: string
  title: string
  description: string
  availability: string
}

export const EMPTY_LISTING: ListingValues = { direction: 'offer', kind: 'lend', category: '', title: '', description: '', availability: '' }

export function checkListing(v: ListingValues): { field: string; key: MessageKey } | null {
  if (!isDirection(v.direction)) return { field: 'direction', key: 'exchange.form.directionMissing' }
  if (!isKind(v.kind)) return { field: 'kind', key: 'exchange.form.kindMissing' }
  if (!isCategory(v.category)) return { field: 'category', key: 'exchange.form.categoryMissing' }
  if (v.title.trim().length < TITLE_MIN) return { field: 'title', key: 'exchange.form.titleShort' }
  if (!v.description.trim()) return { field: 'description', key: 'exchange.form.descriptionMissing' }
  return null
}

export function listingBody(v: ListingValues): NewListing {
  return {
    direction: v.direction as ExchangeDirection,
    kind: v.kind as ExchangeKind,
    category: v.category as ExchangeCategory,
    title: v.title.trim(),
    description: v.description.trim(),
    availability: v.availability.trim(),
  }
}

/** `YYYY-MM-DD` of a local date, as <input type="date"> wants it. */
export function dateInputValue(ms: number): string {
  const d = new Date(ms)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/**
 * A loan "until" a day lasts that whole day: the end of that local day, so it is late only
 * from the day after. Undefined for anything that is not a date from today on.
 */
export function dueAtFrom(value: string, now: number): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!m) return undefined
  const end = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999)
  if (Number.isNaN(end.getTime()) || end.getTime() < now) return undefined
  return end.getTime()
}

/** The address of the list for a search: what is in the address bar is what is shown. */
export function exchangeSearchPath(s: ListingSearch): string {
  const q = new URLSearchParams()
  if (s.q?.trim()) q.set('q', s.q.trim())
  if (s.direction) q.set('sens', s.direction)
  if (s.kind) q.set('type', s.kind)
  if (s.category) q.set('categorie', s.category)
  if (s.sort === 'closing') q.set('tri', 'bientot-fini')
  const qs = q.toString()
  return paths.exchange + (qs ? '?' + qs : '')
}

/** The search an address of the list asks for (unknown values are ignored). */
export function searchFromQuery(query: URLSearchParams): ListingSearch {
  const direction = query.get('sens')
  const kind = query.get('type')
  const category = query.get('categorie')
  return {
    q: query.get('q') ?? '',
    direction: isDirection(direction) ? direction : '',
    kind: isKind(kind) ? kind : '',
    category: isCategory(category) ? category : '',
    sort: query.get('tri') === 'bientot-fini' ? 'closing' : 'newest',
  }
}
