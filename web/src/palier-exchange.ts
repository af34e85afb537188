// The neighbour exchange: the building's open listings (offers and requests), found by words,
// direction, kind and category, newest first or closing soon first; the way to publish one, and
// links to one's listings, messages and loans. Loaded when first opened.
import { LitElement, html, nothing, type TemplateResult } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { ExchangeSummary, ListingSort, ListingSummary } from './api/types.js'
import { apiContext } from './context.js'
import {
  CATEGORIES,
  CATEGORY_LABEL,
  DIRECTIONS,
  DIRECTION_LABEL,
  KINDS,
  KIND_LABEL,
  exchangeSearchPath,
  isCategory,
  isDirection,
  isKind,
  searchFromQuery,
} from './exchange/model.js'
import { exchangeNav, exchangeStyles, listingCard } from './exchange/view.js'
import { LocaleController, t } from './i18n/locale.js'
import type { MessageKey } from './i18n/translate.js'
import { navigate } from './router/history.js'
import { paths } from './router/routes.js'
import { toFormError } from './ui/errors.js'
import { sharedStyles } from './ui/styles.js'

@customElement('palier-exchange')
export class PalierExchange extends LitElement {
  static override styles = [sharedStyles, exchangeStyles]

  /** The address's query (search words and filters). */
  @property({ attribute: false }) query = new URLSearchParams()

  @consume({ context: apiContext })
  private api!: ApiClient

  @state() private more: ListingSummary[] = []
  @state() private next: string | null = null
  @state() private summary: ExchangeSummary | null = null
  @state() private moreError = ''

  private readonly locale = new LocaleController(this)

  private readonly list = new Task(this, {
    task: async ([key]: readonly [string], { signal }) => {
      const page = await this.api.listings(searchFromQuery(new URLSearchParams(key)), { signal })
      this.more = []
      this.next = page.nextCursor
      return page.items
    },
    args: () => [this.query.toString()] as const,
  })

  override connectedCallback(): void {
    super.connectedCallback()
    this.api.exchangeSummary().then(
      (s) => (this.summary = s),
      () => undefined,
    )
  }

  private onSearch(event: Event): void {
    event.preventDefault()
    const form = event.target as HTMLFormElement
    const data = new FormData(form)
    const current = searchFromQuery(this.query)
    const value = (name: string) => String(data.get(name) ?? '')
    const direction = value('direction')
    const kind = value('kind')
    const category = value('category')
    navigate(
      exchangeSearchPath({
        q: value('q'),
        direction: isDirection(direction) ? direction : '',
        kind: isKind(kind) ? kind : '',
        category: isCategory(category) ? category : '',
        sort: current.sort ?? 'newest',
      }),
    )
  }

  private async loadMore(): Promise<void> {
    if (!this.next) return
    this.moreError = ''
    try {
      const page = await this.api.listings({ ...searchFromQuery(this.query), cursor: this.next })
      this.more = [...this.more, ...page.items]
      this.next = page.nextCursor
    } catch (err) {
      this.moreError = toFormError(err).message
    }
  }

  private select(name: string, label: MessageKey, any: MessageKey, value: string, options: readonly (readonly [string, MessageKey])[]): TemplateResult {
    return html`<label for=${name}>${t(label)}</label>
      <select id=${name} name=${name}>
        <option value="" ?selected=${value === ''}>${t(any)}</option>
        ${options.map(([v, key]) => html`<option value=${v} ?selected=${value === v}>${t(key)}</option>`)}
      </select>`
  }

  /** Loans due tomorrow, late or waiting for this household's confirmation: said here, in the app. */
  private renderReminders(): TemplateResult | typeof nothing {
    const s = this.summary
    if (!s) return nothing
    const lines: TemplateResult[] = []
    if (s.loansToConfirm > 0) lines.push(html`<li>${t('exchange.remind.toConfirm', { count: s.loansToConfirm })}</li>`)
    if (s.loansDueTomorrow > 0) lines.push(html`<li>${t('exchange.remind.dueTomorrow', { count: s.loansDueTomorrow })}</li>`)
    if (s.lateLoans > 0) lines.push(html`<li>${t('exchange.remind.late', { count: s.lateLoans })}</li>`)
    if (!lines.length) return nothing
    return html`<div class="notice">
      <ul class="plain">
        ${lines}
      </ul>
      <a href=${paths.exchangeLoans}>${t('exchange.navLoans')}</a>
    </div>`
  }

  override render(): TemplateResult {
    const s = searchFromQuery(this.query)
    const sortLink = (sort: ListingSort, label: MessageKey) =>
      html`<li>
        <a class="button ${s.sort === sort ? '' : 'secondary'}" href=${exchangeSearchPath({ ...s, sort })} aria-current=${s.sort === sort ? 'page' : 'false'}
          >${t(label)}</a
        >
      </li>`
    const expired = this.summary?.expiredListings.length ?? 0
    const now = Date.now()
    return html`
      <h1 tabindex="-1">${t('exchange.title')}</h1>
      <p>${t('exchange.intro')}</p>
      <a class="button wide" href=${paths.exchangeNew}>${t('exchange.publish')}</a>
      ${exchangeNav('list', this.summary?.unreadConversations ?? 0)}
      ${expired > 0
        ? html`<p class="notice">${t('exchange.expiredNotice', { count: expired })} <a href=${paths.exchangeMine}>${t('exchange.navMine')}</a></p>`
        : nothing}
      ${this.renderReminders()}
      <form role="search" @submit=${this.onSearch}>
        <div class="field">
          <label for="q">${t('exchange.search')}</label>
          <input id="q" name="q" type="search" .value=${s.q ?? ''} autocomplete="off" maxlength="100" />
        </div>
        <details ?open=${Boolean(s.direction || s.kind || s.category)}>
          <summary>${t('exchange.filters')}</summary>
          ${this.select(
            'direction',
            'exchange.filterDirection',
            'exchange.any',
            s.direction ?? '',
            DIRECTIONS.map((d) => [d, DIRECTION_LABEL[d]] as const),
          )}
          ${this.select('kind', 'exchange.filterKind', 'exchange.any', s.kind ?? '', KINDS.map((k) => [k, KIND_LABEL[k]] as const))}
          ${this.select(
            'category',
            'exchange.filterCategory',
            'exchange.any',
            s.category ?? '',
            CATEGORIES.map((c) => [c, CATEGORY_LABEL[c]] as const),
          )}
        </details>
        <div class="actions"><button type="submit">${t('exchange.searchButton')}</button></div>
      </form>
      <nav aria-label=${t('exchange.sort')}>
        <ul class="plain actions">
          ${sortLink('newest', 'exchange.sortNewest')} ${sortLink('closing', 'exchange.sortClosing')}
        </ul>
      </nav>
      <h2>${t('exchange.results')}</h2>
      ${this.list.render({
        pending: () => html`<p role="status">${t('app.loading')}</p>`,
        error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>
          <button type="button" class="secondary" @click=${() => this.list.run()}>${t('action.retry')}</button>`,
        complete: (items) => {
          const all = [...items, ...this.more]
          if (!all.length) return html`<p class="muted" role="status">${t('exchange.empty')}</p>`
          return html`<p class="visually-hidden" role="status">${t('exchange.resultCount', { count: all.length })}</p>
            <ul class="plain">
              ${all.map((l) => listingCard(l, now))}
            </ul>
            <div class="alert" role="alert">${this.moreError}</div>
            ${this.next ? html`<button type="button" class="secondary wide" @click=${this.loadMore}>${t('exchange.more')}</button>` : nothing}`
        },
      })}
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-exchange': PalierExchange
  }
}
