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
  | 'forbidden'
  | 'not-found'

/**
 * public: anyone; guest: only when signed out (else home); user: signed in (else sign-in page);
 * caretaker: the caretaker only (residents see "forbidden").
 */
export type Access = 'public' | 'guest' | 'user' | 'caretaker'

export const paths = {
  home: '/',
  welcome: '/bienvenue',
  setup: '/setup',
  login: '/connexion',
  join: '/rejoindre',
  reset: '/reinitialiser',
  account: '/compte',
  flats: '/logements',
  residents: '/residents',
} as const

interface RouteDef {
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
]

/** Pages in their own lazily loaded chunk: only the caretaker needs them. */
export const LAZY_PAGES: ReadonlySet<PageName> = new Set<PageName>(['flats', 'residents'])

export interface Viewer {
  role: 'caretaker' | 'resident'
}

export type Resolution =
  | { kind: 'page'; page: PageName; query: URLSearchParams }
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
  const route = ROUTES.find((r) => r.path === path)
  if (!route) return { kind: 'page', page: 'not-found', query }
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
  return { kind: 'page', page: route.page, query }
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
