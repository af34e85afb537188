// The application shell: header with the language picker, the menu once signed in, and the page
// of the current address. Provides the API client and the session to every page (@lit/context).
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { provide } from '@lit/context'
import { ApiClient, ApiError } from './api/client.js'
import type { Me } from './api/types.js'
import { apiContext, sessionContext, type Session } from './context.js'
import { ACTING_CHANGED, actingFor, setActing } from './exchange/acting.js'
import { LocaleController, currentLanguage, t, tHtml } from './i18n/locale.js'
import type { MessageKey } from './i18n/translate.js'
import { LOCATION_CHANGED, navigate } from './router/history.js'
import { LAZY_PAGES, normalizePath, paths, resolve, safeNext, shouldIntercept, type PageName } from './router/routes.js'
import { toFormError } from './ui/errors.js'
import { sharedStyles } from './ui/styles.js'
import './palier-language-picker.js'
import './palier-welcome.js'
import './palier-setup.js'
import './palier-login.js'
import './palier-join.js'
import './palier-reset-password.js'
import './palier-home.js'
import './palier-account.js'
import './palier-status-page.js'
import './palier-board.js'

const TITLES: Readonly<Record<PageName, MessageKey>> = {
  welcome: 'welcome.title',
  setup: 'setup.title',
  login: 'login.title',
  join: 'join.title',
  reset: 'reset.title',
  home: 'home.title',
  account: 'account.title',
  flats: 'flats.title',
  residents: 'residents.title',
  board: 'board.title',
  'notice-new': 'noticeForm.title',
  'notices-admin': 'noticeAdmin.title',
  incidents: 'incidents.title',
  'incident-new': 'report.title',
  incident: 'incident.title',
  files: 'files.title',
  'files-trash': 'filesTrash.title',
  'files-usage': 'filesUsage.title',
  exchange: 'exchange.title',
  'exchange-new': 'exchange.form.title',
  'exchange-listing': 'exchange.listing.title',
  'exchange-mine': 'exchange.mine.title',
  'exchange-messages': 'exchange.messages.title',
  'exchange-conversation': 'exchange.conversation.title',
  'exchange-loans': 'exchange.loans.title',
  'exchange-household': 'exchange.household.title',
  'exchange-timebank': 'timebank.title',
  'exchange-admin': 'exchangeAdmin.title',
  network: 'network.title',
  forbidden: 'forbidden.title',
  'not-found': 'notFound.title',
}

// Caretaker pages live in their own chunks: residents' phones never download them. Secondary
// pages load when first opened (the service worker keeps them all for offline use).
const LAZY: Partial<Record<PageName, () => Promise<unknown>>> = {
  flats: () => import('./palier-flats.js'),
  residents: () => import('./palier-residents.js'),
  'notice-new': () => import('./palier-notice-form.js'),
  'notices-admin': () => import('./palier-notices-admin.js'),
  incidents: () => import('./palier-incidents.js'),
  'incident-new': () => import('./palier-incident-form.js'),
  incident: () => import('./palier-incident.js'),
  files: () => import('./palier-files.js'),
  'files-trash': () => import('./palier-files-trash.js'),
  'files-usage': () => import('./palier-files-usage.js'),
  exchange: () => import('./palier-exchange.js'),
  'exchange-new': () => import('./palier-exchange-form.js'),
  'exchange-listing': () => import('./palier-exchange-listing.js'),
  'exchange-mine': () => import('./palier-exchange-mine.js'),
  'exchange-messages': () => import('./palier-exchange-messages.js'),
  'exchange-conversation': () => import('./palier-exchange-conversation.js'),
  'exchange-loans': () => import('./palier-exchange-loans.js'),
  'exchange-household': () => import('./palier-exchange-household.js'),
  'exchange-timebank': () => import('./palier-timebank.js'),
  'exchange-admin': () => import('./palier-exchange-admin.js'),
  network: () => import('./palier-network.js'),
}

/** The service worker's copy of the board (see web/sw/sw.ts): not for the next person on this phone. */
const BOARD_CACHE = 'palier-board'

function forgetBoardCopy(): void {
  if (typeof caches !== 'undefined') void caches.delete(BOARD_CACHE).catch(() => undefined)
}

/** The root element, placed in the page by main.ts once the language is known. */
@customElement('palier-app')
export class PalierApp extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        min-height: 100vh;
      }
      .skip {
        position: absolute;
        inset-inline-start: 0.5rem;
        top: -100px;
        z-index: 1;
        padding: 0.75rem 1rem;
        background: #fff;
      }
      .skip:focus {
        top: 0.5rem;
      }
      header {
        color: #fff;
        background: #0b3d77;
      }
      .bar {
        display: flex;
        align-items: center;
        justify-content: space-between;
        flex-wrap: wrap;
        max-width: 44rem;
        margin: 0 auto;
        padding: 0.25rem 0.75rem;
      }
      .brand {
        display: inline-flex;
        align-items: center;
        min-height: 48px;
        padding-inline-end: 0.5rem;
        font-size: 1.35rem;
        font-weight: 700;
        color: #fff;
        text-decoration: none;
      }
      .brand svg {
        margin-inline-end: 0.4rem;
      }
      .brand:focus,
      header a:focus,
      header button:focus {
        outline-color: #ffd166;
      }
      nav {
        background: #0a3366;
      }
      nav ul {
        display: flex;
        flex-wrap: wrap;
        max-width: 44rem;
        margin: 0 auto;
        padding: 0.25rem 0.5rem;
        list-style: none;
      }
      nav li {
        margin: 0.15rem;
      }
      nav a,
      nav button {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        padding: 0.4rem 0.6rem;
        font: inherit;
        font-weight: 600;
        font-size: 1rem;
        color: #fff;
        background: transparent;
        border: 2px solid transparent;
        border-radius: 6px;
        text-decoration: none;
        cursor: pointer;
      }
      nav a[aria-current='page'] {
        border-color: #fff;
      }
      nav .badge {
        min-width: 1.5rem;
        margin-inline-start: 0.35rem;
        padding: 0 0.35rem;
        font-size: 0.9rem;
        line-height: 1.5rem;
        text-align: center;
        color: #0a3366;
        background: #ffd166;
        border-radius: 999px;
      }
      main {
        max-width: 44rem;
        margin: 0 auto;
        padding: 1.25rem 1rem 3rem;
      }
      main:focus {
        outline: none;
      }
      /* A printed page (the network poster) carries no menu. */
      @media print {
        header,
        .skip {
          display: none;
        }
        main {
          max-width: none;
          padding: 0;
        }
      }
    `,
  ]

  @provide({ context: apiContext })
  private api: ApiClient = new ApiClient({
    language: currentLanguage,
    onUnauthenticated: () => this.sessionLost(),
  })

  @provide({ context: sessionContext })
  @state()
  private session: Session = this.makeSession(null)

  /** undefined until /me has answered: no page is chosen before we know who is there. */
  @state() private me: Me | null | undefined = undefined
  @state() private page: PageName | null = null
  @state() private query = new URLSearchParams()
  @state() private params: Readonly<Record<string, string>> = {}
  @state() private pageLoading = false
  @state() private pageLoadFailed = false
  @state() private bootError: string | null = null
  /** /me got no answer at all: the box is out of reach. The saved board can still be read. */
  @state() private offline = false
  /** Unread exchange conversations: the badge on "Échanges". */
  @state() private exchangeUnread = 0
  /** The time bank is open: residents get it in the menu (from the same summary). */
  @state() private timeBankOn = false

  private readonly locale = new LocaleController(this)
  /** Counts navigations, so a slow page load does not overwrite a later one. */
  private navigations = 0
  private readonly onLocationChanged = (): void => void this.showLocation(true)
  private readonly onClick = (event: MouseEvent): void => this.interceptLink(event)
  private readonly onActing = (): void => this.requestUpdate()
  private readonly onExchangeRead = (): void => this.refreshExchangeBadge()
  /** Back to the app (phone unlocked, tab shown): new messages may have come meanwhile. */
  private readonly onVisible = (): void => {
    if (document.visibilityState === 'visible') this.refreshExchangeBadge()
  }

  override connectedCallback(): void {
    super.connectedCallback()
    window.addEventListener('popstate', this.onLocationChanged)
    window.addEventListener(LOCATION_CHANGED, this.onLocationChanged)
    this.addEventListener('click', this.onClick)
    window.addEventListener(ACTING_CHANGED, this.onActing)
    // A conversation was read or got new messages: the badge follows.
    this.addEventListener('palier-exchange-read', this.onExchangeRead)
    document.addEventListener('visibilitychange', this.onVisible)
    void this.loadMe()
  }

  override disconnectedCallback(): void {
    window.removeEventListener('popstate', this.onLocationChanged)
    window.removeEventListener(LOCATION_CHANGED, this.onLocationChanged)
    this.removeEventListener('click', this.onClick)
    window.removeEventListener(ACTING_CHANGED, this.onActing)
    this.removeEventListener('palier-exchange-read', this.onExchangeRead)
    document.removeEventListener('visibilitychange', this.onVisible)
    super.disconnectedCallback()
  }

  // PropertyValues without <this>: its keys are only the public properties.
  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('me')) this.session = this.makeSession(this.me ?? null)
  }

  protected override updated(): void {
    if (this.page) document.title = t('app.titleSuffix', { page: t(TITLES[this.page]) })
  }

  private makeSession(me: Me | null): Session {
    return {
      me,
      signedIn: (who: Me) => {
        this.me = who
        this.bootError = null
        navigate(safeNext(new URLSearchParams(location.search).get('next')), { replace: true })
      },
      signOut: async () => {
        await this.api.signOut()
        forgetBoardCopy()
        this.me = null
        navigate(paths.home)
      },
    }
  }

  private async loadMe(): Promise<void> {
    this.bootError = null
    this.offline = false
    try {
      this.me = await this.api.me()
    } catch (err) {
      this.me = null
      this.offline = err instanceof ApiError && err.status === 0
      if (!(err instanceof ApiError && err.status === 401)) this.bootError = toFormError(err).message
    }
    await this.showLocation(false)
  }

  /** The server ended the session (expired, revoked): back to the signed-out pages. */
  private sessionLost(): void {
    if (!this.me) return
    this.me = null
    this.api.forget()
    forgetBoardCopy()
    void this.showLocation(false)
  }

  private interceptLink(event: MouseEvent): void {
    if (event.defaultPrevented) return
    const link = event.composedPath().find((el): el is HTMLAnchorElement => el instanceof HTMLAnchorElement)
    if (!link || !link.href) return
    const href = new URL(link.href)
    if (!shouldIntercept(href, location, event, { target: link.target, download: link.hasAttribute('download') })) return
    event.preventDefault()
    navigate(href.pathname + href.search)
  }

  /** Shows the page for the current address; `focus` after a navigation (not on first load). */
  private async showLocation(focus: boolean): Promise<void> {
    if (this.me === undefined) return
    const navigation = ++this.navigations
    let resolution = resolve(location, this.me)
    // Out of reach, nobody is known to be signed in; the board's saved copy (kept by the service
    // worker, deleted at sign-out) is still shown, read-only.
    if (this.me === null && this.offline && normalizePath(location.pathname) === paths.board) {
      resolution = { kind: 'page', page: 'board', query: new URLSearchParams() }
    }
    if (resolution.kind === 'redirect') {
      history.replaceState(null, '', resolution.to)
      resolution = resolve(location, this.me)
    }
    const page = resolution.kind === 'page' ? resolution.page : 'not-found'
    const query = resolution.kind === 'page' ? resolution.query : new URLSearchParams()
    const params = (resolution.kind === 'page' && resolution.params) || {}
    const load = LAZY[page]
    if (load && LAZY_PAGES.has(page)) {
      this.pageLoading = true
      this.pageLoadFailed = false
      try {
        await load()
      } catch {
        // Usually an update replaced the chunks since this page was loaded.
        this.pageLoadFailed = true
      } finally {
        this.pageLoading = false
      }
      if (navigation !== this.navigations) return
    }
    this.page = page
    this.query = query
    this.params = params
    this.refreshExchangeBadge()
    if (focus) {
      window.scrollTo(0, 0)
      await this.focusHeading()
    }
  }

  /** Moves the focus to the new page's heading, so screen readers announce where we are. */
  private async focusHeading(): Promise<void> {
    await this.updateComplete
    const page = this.renderRoot.querySelector<LitElement>('#page')
    if (!page) return
    await page.updateComplete
    const heading = page.shadowRoot?.querySelector<HTMLElement>('h1')
    heading?.focus()
  }

  private skipToMain(event: Event): void {
    event.preventDefault()
    this.renderRoot.querySelector<HTMLElement>('main')?.focus()
  }

  private async signOut(): Promise<void> {
    try {
      await this.session.signOut()
    } catch (err) {
      this.bootError = toFormError(err).message
    }
  }

  override render(): TemplateResult {
    return html`
      <a class="skip" href="#main" @click=${this.skipToMain}>${t('app.skipToContent')}</a>
      <header>
        <div class="bar">
          <a class="brand" href="/">
            <svg width="28" height="28" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
              <path d="M4 26h8v-6h8v-6h8" fill="none" stroke="currentColor" stroke-width="3" stroke-linejoin="round" />
            </svg>
            ${t('app.name')}
          </a>
          <palier-language-picker></palier-language-picker>
        </div>
        ${this.me ? this.renderNav(this.me) : nothing}
      </header>
      <main id="main" tabindex="-1">
        ${this.bootError
          ? html`<div class="alert" role="alert">
              <p>${this.bootError}</p>
              ${this.offline && this.page !== 'board' ? html`<p><a href=${paths.board}>${t('app.offlineBoard')}</a></p>` : nothing}
              <button type="button" class="secondary" @click=${() => this.loadMe()}>${t('action.retry')}</button>
            </div>`
          : nothing}
        ${this.me?.role === 'caretaker' ? this.renderActing() : nothing}
        ${this.renderPage()}
      </main>
    `
  }

  private renderNav(me: Me): TemplateResult {
    const link = (href: string, page: PageName, label: MessageKey) =>
      html`<li><a href=${href} aria-current=${this.page === page ? 'page' : 'false'}>${t(label)}</a></li>`
    return html`<nav aria-label=${t('nav.label')}>
      <ul>
        ${link(paths.home, 'home', 'nav.home')}
        ${link(paths.board, 'board', 'nav.board')}
        ${link(paths.incidents, 'incidents', 'nav.incidents')}
        ${link(paths.files, 'files', 'nav.files')}
        ${me.role === 'resident' ? this.exchangeLink() : nothing}
        ${me.role === 'resident' && this.timeBankOn ? link(paths.exchangeTimebank, 'exchange-timebank', 'nav.timebank') : nothing}
        ${me.role === 'caretaker' ? link(paths.exchangeAdmin, 'exchange-admin', 'nav.exchangeAdmin') : nothing}
        ${me.role === 'caretaker'
          ? html`${link(paths.flats, 'flats', 'nav.flats')}${link(paths.residents, 'residents', 'nav.residents')}${link(
              paths.filesUsage,
              'files-usage',
              'nav.filesUsage',
            )}${link(paths.network, 'network', 'nav.network')}`
          : nothing}
        ${link(paths.account, 'account', 'nav.account')}
        <li><button type="button" @click=${() => this.signOut()}>${t('nav.signOut')}</button></li>
      </ul>
    </nav>`
  }

  /** While the caretaker acts for a household without a smartphone, every page says for which. */
  private renderActing(): TemplateResult | typeof nothing {
    const acting = actingFor()
    if (!acting) return nothing
    return html`<div class="notice">
      <p>${tHtml('acting.banner', { flat: acting.label })}</p>
      <button type="button" class="secondary" @click=${() => setActing(null)}>${t('acting.stop')}</button>
    </div>`
  }

  /** "Échanges" in the menu, with the number of unread conversations. */
  private exchangeLink(): TemplateResult {
    // The time bank and the caretaker's page have their own entries.
    const current = (this.page?.startsWith('exchange') ?? false) && this.page !== 'exchange-timebank' && this.page !== 'exchange-admin'
    const unread = this.exchangeUnread
    return html`<li>
      <a
        href=${paths.exchange}
        aria-current=${current ? 'page' : 'false'}
        aria-label=${unread > 0 ? t('nav.exchangeUnread', { count: unread }) : t('nav.exchange')}
        >${t('nav.exchange')}${unread > 0 ? html`<span class="badge" aria-hidden="true">${unread}</span>` : nothing}</a
      >
    </li>`
  }

  /** Asks the box how many exchange conversations are unread (residents only; quietly). */
  private refreshExchangeBadge(): void {
    if (this.me?.role !== 'resident') return
    this.api.exchangeSummary().then(
      (s) => {
        this.exchangeUnread = s.unreadConversations
        this.timeBankOn = s.timeBankEnabled
      },
      () => undefined,
    )
  }

  private renderPage(): TemplateResult | typeof nothing {
    if (this.me === undefined || this.pageLoading) return html`<p role="status">${t('app.loading')}</p>`
    if (this.pageLoadFailed && this.page && LAZY_PAGES.has(this.page)) {
      return html`<div class="alert" role="alert">
        <p>${t('error.pageLoad')}</p>
        <button type="button" class="secondary" @click=${() => location.reload()}>${t('action.reload')}</button>
      </div>`
    }
    const q = this.query
    switch (this.page) {
      case 'welcome':
        return html`<palier-welcome id="page"></palier-welcome>`
      case 'setup':
        return html`<palier-setup id="page"></palier-setup>`
      case 'login':
        return html`<palier-login id="page"></palier-login>`
      case 'join':
        return html`<palier-join id="page" .code=${q.get('code') ?? ''}></palier-join>`
      case 'reset':
        return html`<palier-reset-password id="page" .code=${q.get('code') ?? ''}></palier-reset-password>`
      case 'home':
        return html`<palier-home id="page"></palier-home>`
      case 'account':
        return html`<palier-account id="page"></palier-account>`
      case 'flats':
        return html`<palier-flats id="page"></palier-flats>`
      case 'residents':
        return html`<palier-residents id="page"></palier-residents>`
      case 'board':
        return html`<palier-board id="page" .done=${q.get('ok') ?? ''}></palier-board>`
      case 'notice-new':
        return html`<palier-notice-form id="page"></palier-notice-form>`
      case 'notices-admin':
        return html`<palier-notices-admin id="page"></palier-notices-admin>`
      case 'incidents':
        return html`<palier-incidents id="page" .status=${q.get('etat') === 'clos' ? 'closed' : 'open'}></palier-incidents>`
      case 'incident-new':
        return html`<palier-incident-form id="page"></palier-incident-form>`
      case 'incident':
        return html`<palier-incident id="page" .incidentId=${this.params.id ?? ''}></palier-incident>`
      case 'files':
        return html`<palier-files id="page" .space=${q.get('espace') ?? ''} .folder=${q.get('dossier') ?? ''}></palier-files>`
      case 'files-trash':
        return html`<palier-files-trash id="page"></palier-files-trash>`
      case 'files-usage':
        return html`<palier-files-usage id="page"></palier-files-usage>`
      case 'exchange':
        return html`<palier-exchange id="page" .query=${q}></palier-exchange>`
      case 'exchange-new':
        return html`<palier-exchange-form id="page"></palier-exchange-form>`
      case 'exchange-listing':
        return html`<palier-exchange-listing id="page" .listingId=${this.params.id ?? ''}></palier-exchange-listing>`
      case 'exchange-mine':
        return html`<palier-exchange-mine id="page"></palier-exchange-mine>`
      case 'exchange-messages':
        return html`<palier-exchange-messages id="page"></palier-exchange-messages>`
      case 'exchange-conversation':
        return html`<palier-exchange-conversation id="page" .conversationId=${this.params.id ?? ''}></palier-exchange-conversation>`
      case 'exchange-loans':
        return html`<palier-exchange-loans id="page"></palier-exchange-loans>`
      case 'exchange-household':
        return html`<palier-exchange-household id="page" .flatId=${this.params.id ?? ''}></palier-exchange-household>`
      case 'exchange-timebank':
        return html`<palier-timebank id="page"></palier-timebank>`
      case 'exchange-admin':
        return html`<palier-exchange-admin id="page"></palier-exchange-admin>`
      case 'network':
        return html`<palier-network id="page"></palier-network>`
      case 'forbidden':
        return html`<palier-status-page id="page" kind="forbidden"></palier-status-page>`
      case 'not-found':
        return html`<palier-status-page id="page" kind="not-found"></palier-status-page>`
      default:
        return nothing
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-app': PalierApp
  }
}
