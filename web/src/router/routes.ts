// The app's pages, their real paths and who may see them; `resolve` decides, for a URL and the
// signed-in person, which page to show or where to go instead. Pure: tested without a browser.

export type PageName =
  | 'welcome'
  | 'setup'
  | 'login'
  | 'join'
  | 'reset'
  | 'home'
  | 'account'
  | 'flats'
  | 'residents'
  | 'board'
  | 'notice-new'
  | 'notices-admin'
  | 'incidents'
  | 'incident-new'
  | 'incident'
  | 'files'
  | 'files-trash'
  | 'files-usage'
  | 'exchange'
  | 'exchange-new'
  | 'exchange-listing'
  | 'exchange-mine'
  | 'exchange-messages'
  | 'exchange-conversation'
  | 'exchange-loans'
  | 'exchange-household'
  | 'exchange-timebank'
  | 'exchange-admin'
  | 'network'
  | 'forbidden'
  | 'not-found'

/**
 * public: anyone; guest: only when signed out (else home); user: signed in (else sign-in page);
 * caretaker: the caretaker only (residents see "forbidden").
 */
export type Access = 'public' | 'guest' | 'user' | 'caretaker'

export const paths = {
  home: '/',
  welcome: '/accueil', // /bienvenue is the server's captive welcome page
  setup: '/setup',
  login: '/connexion',
  join: '/rejoindre',
  reset: '/reinitialiser',
  account: '/compte',
  flats: '/logements',
  residents: '/residents',
  board: '/annonces',
  noticeNew: '/annonces/nouvelle',
  noticesAdmin: '/annonces/gestion',
  incidents: '/signalements',
  incidentNew: '/signalements/nouveau',
  files: '/fichiers',
  filesTrash: '/fichiers/corbeille',
  filesUsage: '/fichiers/stockage',
  exchange: '/echanges',
  exchangeNew: '/echanges/nouvelle',
  exchangeMine: '/echanges/mes-annonces',
  exchangeMessages: '/echanges/messages',
  exchangeLoans: '/echanges/prets',
  exchangeListing: '/echanges/annonce',
  exchangeHousehold: '/echanges/foyer',
  exchangeTimebank: '/echanges/banque-de-temps',
  exchangeAdmin: '/echanges/gestion',
  network: '/reseau',
} as const

/** Address of one incident's page. */
export function incidentPath(id: string): string {
  return `${paths.incidents}/${encodeURIComponent(id)}`
}

/** Address of one exchange listing's page. */
export function listingPath(id: string): string {
  return `${paths.exchangeListing}/${encodeURIComponent(id)}`
}

/** Address of one exchange conversation. */
export function conversationPath(id: string): string {
  return `${paths.exchangeMessages}/${encodeURIComponent(id)}`
}

/** Address of a household's exchange profile (its thanks). */
export function householdPath(flatId: string): string {
  return `${paths.exchangeHousehold}/${encodeURIComponent(flatId)}`
}

interface RouteDef {
  /** A fixed path, or one ending in `/:name`, whose last segment becomes `params[name]`. */
  path: string
  page: PageName
  access: Access
}

const ROUTES: readonly RouteDef[] = [
  { path: paths.welcome, page: 'welcome', access: 'public' },
  { path: paths.setup, page: 'setup', access: 'guest' },
  { path: paths.login, page: 'login', access: 'guest' },
  { path: paths.join, page: 'join', access: 'public' },
  { path: paths.reset, page: 'reset', access: 'public' },
  { path: paths.account, page: 'account', access: 'user' },
  { path: paths.flats, page: 'flats', access: 'caretaker' },
  { path: paths.residents, page: 'residents', access: 'caretaker' },
  { path: paths.board, page: 'board', access: 'user' },
  { path: paths.noticeNew, page: 'notice-new', access: 'user' },
  { path: paths.noticesAdmin, page: 'notices-admin', access: 'caretaker' },
  { path: paths.incidents, page: 'incidents', access: 'user' },
  { path: paths.incidentNew, page: 'incident-new', access: 'user' },
  { path: paths.incidents + '/:id', page: 'incident', access: 'user' },
  { path: paths.files, page: 'files', access: 'user' },
  { path: paths.filesTrash, page: 'files-trash', access: 'user' },
  { path: paths.filesUsage, page: 'files-usage', access: 'caretaker' },
  { path: paths.exchange, page: 'exchange', access: 'user' },
  { path: paths.exchangeNew, page: 'exchange-new', access: 'user' },
  { path: paths.exchangeMine, page: 'exchange-mine', access: 'user' },
  { path: paths.exchangeMessages, page: 'exchange-messages', access: 'user' },
  { path: paths.exchangeLoans, page: 'exchange-loans', access: 'user' },
  { path: paths.exchangeListing + '/:id', page: 'exchange-listing', access: 'user' },
  { path: paths.exchangeMessages + '/:id', page: 'exchange-conversation', access: 'user' },
  { path: paths.exchangeHousehold + '/:id', page: 'exchange-household', access: 'user' },
  { path: paths.exchangeTimebank, page: 'exchange-timebank', access: 'user' },
  { path: paths.exchangeAdmin, page: 'exchange-admin', access: 'caretaker' },
  { path: paths.network, page: 'network', access: 'caretaker' },
]

/**
 * Pages in their own lazily loaded chunk: the caretaker's, and those opened less often than the
 * board. The board itself comes with the first load: it is what residents open the app for.
 */
export const LAZY_PAGES: ReadonlySet<PageName> = new Set<PageName>([
  'flats',
  'residents',
  'notice-new',
  'notices-admin',
  'incidents',
  'incident-new',
  'incident',
  'files',
  'files-trash',
  'files-usage',
  'exchange',
  'exchange-new',
  'exchange-listing',
  'exchange-mine',
  'exchange-messages',
  'exchange-conversation',
  'exchange-loans',
  'exchange-household',
  'exchange-timebank',
  'exchange-admin',
  'network',
])

export interface Viewer {
  role: 'caretaker' | 'resident'
}

export type Resolution =
  | { kind: 'page'; page: PageName; query: URLSearchParams; params?: Readonly<Record<string, string>> }
  | { kind: 'redirect'; to: string }

/** `/connexion/` and `/Connexion` are `/connexion`. */
export function normalizePath(pathname: string): string {
  const trimmed = pathname.replace(/\/+$/, '')
  return trimmed === '' ? '/' : trimmed.toLowerCase()
}

export function resolve(location: { pathname: string; search: string }, viewer: Viewer | null): Resolution {
  const path = normalizePath(location.pathname)
  const query = new URLSearchParams(location.search)
  if (path === paths.home) return { kind: 'page', page: viewer ? 'home' : 'welcome', query }
  const found = match(path, location.pathname)
  if (!found) return { kind: 'page', page: 'not-found', query }
  const { route, params } = found
  switch (route.access) {
    case 'guest':
      if (viewer) return { kind: 'redirect', to: safeNext(query.get('next')) }
      break
    case 'user':
    case 'caretaker':
      if (!viewer) return { kind: 'redirect', to: `${paths.login}?next=${encodeURIComponent(path + location.search)}` }
      if (route.access === 'caretaker' && viewer.role !== 'caretaker') return { kind: 'page', page: 'forbidden', query }
      break
  }
  return { kind: 'page', page: route.page, query, params }
}

/** The route of a normalised path; a parameter keeps the case it was written in. */
function match(path: string, original: string): { route: RouteDef; params: Record<string, string> } | undefined {
  const exact = ROUTES.find((r) => r.path === path)
  if (exact) return { route: exact, params: {} }
  const cut = path.lastIndexOf('/')
  const parent = path.slice(0, cut)
  const rawSegment = original.replace(/\/+$/, '').split('/').pop() ?? ''
  for (const route of ROUTES) {
    const m = /^(.*)\/:(\w+)$/.exec(route.path)
    if (!m || m[1] !== parent || cut <= 0) continue
    let value: string
    try {
      value = decodeURIComponent(rawSegment)
    } catch {
      return undefined
    }
    if (!value) return undefined
    return { route, params: { [m[2]!]: value } }
  }
  return undefined
}

/**
 * Where to go after signing in: only a path of this site (never `//evil.example` or
 * `https://…`, which would make the sign-in page an open redirect), else home.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return paths.home
  if (next.startsWith('/api/')) return paths.home
  return next
}

/**
 * Whether a click on a link to `href` should be handled by the app instead of the browser:
 * same origin, not the API (printable pages, downloads), plain left click in the same tab.
 */
export function shouldIntercept(
  href: URL,
  current: { origin: string; pathname: string; search: string },
  click: { button: number; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean },
  link: { target: string; download: boolean },
): boolean {
  if (click.button !== 0 || click.ctrlKey || click.metaKey || click.shiftKey || click.altKey) return false
  if ((link.target && link.target !== '_self') || link.download) return false
  if (href.origin !== current.origin) return false
  if (href.pathname.startsWith('/api/') || href.pathname.startsWith('/assets/')) return false
  // A link to an anchor of this very page ("skip to content") is the browser's business.
  if (href.hash && href.pathname === current.pathname && href.search === current.search) return false
  return true
}
