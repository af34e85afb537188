// One listing of the exchange: what, who, when, the photos. A neighbour answers it ("Répondre"
// opens the private conversation between the two households, or goes back to it); its own
// household marks it reserved, done or withdraws it, and renews it. Loaded when first opened.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { Listing, ListingStatus } from './api/types.js'
import { apiContext } from './context.js'
import { CATEGORY_LABEL, MESSAGE_MAX, isLive, nextStatuses } from './exchange/model.js'
import { badges, exchangeStyles, who } from './exchange/view.js'
import { LocaleController, formatDate, t } from './i18n/locale.js'
import type { MessageKey } from './i18n/translate.js'
import { navigate } from './router/history.js'
import { conversationPath, paths } from './router/routes.js'
import { ActionController } from './ui/action-controller.js'
import { toFormError } from './ui/errors.js'
import { sharedStyles } from './ui/styles.js'
import './exchange/report-block.js'

const STATUS_ACTION: Readonly<Record<ListingStatus, MessageKey>> = {
  open: 'exchange.listing.reopen',
  reserved: 'exchange.listing.reserve',
  done: 'exchange.listing.markDone',
  withdrawn: 'exchange.listing.withdraw',
}

@customElement('palier-exchange-listing')
export class PalierExchangeListing extends LitElement {
  static override styles = [
    sharedStyles,
    exchangeStyles,
    css`
      h1 {
        overflow-wrap: anywhere;
      }
      .photos img {
        display: block;
        max-width: 100%;
        height: auto;
        margin-bottom: 0.75rem;
        border-radius: 6px;
      }
    `,
  ]

  /** The listing's id, from the address. */
  @property() listingId = ''

  @consume({ context: apiContext })
  private api!: ApiClient

  @state() private listing: Listing | null = null
  @state() private done = ''
  @state() private answer = ''

  private readonly locale = new LocaleController(this)
  private readonly action = new ActionController(this)

  private readonly load = new Task(this, {
    task: async ([id]: readonly [string], { signal }) => {
      const listing = await this.api.listing(id, { signal })
      this.listing = listing
      return listing
    },
    args: () => [this.listingId] as const,
  })

  override connectedCallback(): void {
    super.connectedCallback()
    const ok = new URLSearchParams(location.search).get('ok')
    this.done = ok === 'published' ? t('exchange.listing.published') : ok === 'photo-failed' ? t('exchange.listing.photoFailed') : ''
  }

  private setStatus(status: ListingStatus): Promise<void> {
    if (status === 'withdrawn' && !confirm(t('exchange.listing.withdrawConfirm'))) return Promise.resolve()
    return this.action.run(async () => {
      this.listing = await this.api.changeListing(this.listingId, { status })
      this.done = t('exchange.listing.statusChanged')
    })
  }

  private renew(): Promise<void> {
    return this.action.run(async () => {
      this.listing = await this.api.renewListing(this.listingId)
      this.done = t('exchange.listing.renewed', { date: formatDate(this.listing.expiresAt) })
    })
  }

  private onAnswer(event: Event): void {
    event.preventDefault()
    const body = this.answer.trim()
    if (!body) {
      this.action.error = { message: t('exchange.conversation.empty'), field: 'answer' }
      this.requestUpdate()
      this.renderRoot.querySelector<HTMLElement>('#answer')?.focus()
      return
    }
    void this.action.run(async () => {
      const conversation = await this.api.answerListing(this.listingId, body)
      navigate(conversationPath(conversation.id))
    })
  }

  override render(): TemplateResult {
    const l = this.listing
    if (!l || l.id !== this.listingId) {
      return html`<h1 tabindex="-1">${t('exchange.listing.title')}</h1>
        ${this.load.render({
          pending: () => html`<p role="status">${t('app.loading')}</p>`,
          error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>
            <p><a href=${paths.exchange}>${t('exchange.back')}</a></p>`,
        })}`
    }
    const busy = this.action.busy ? 'true' : 'false'
    const live = isLive(l.status) && !l.expired
    return html`
      <h1 tabindex="-1" dir="auto">${l.title}</h1>
      <p class="success" role="status">${this.done}</p>
      <div class="alert" role="alert" id="listing-error">${this.action.error?.message ?? ''}</div>
      <p>${badges(l)}</p>
      <p>${who(l.household, true)}</p>
      ${l.onBehalf ? html`<p class="muted">${t('exchange.onBehalf')}</p>` : nothing}
      ${l.expired ? html`<p class="flag">${t('exchange.expired')}</p>` : nothing}
      ${l.hidden ? html`<p class="notice">${t('exchange.listing.hidden')}</p>` : nothing}
      <h2>${t('exchange.listing.descriptionHeading')}</h2>
      <p class="text" dir="auto">${l.description}</p>
      <p>
        <span class="muted">${t('exchange.listing.category')}</span> ${t(CATEGORY_LABEL[l.category])}<br />
        ${l.availability ? html`<span class="muted">${t('exchange.listing.availability')}</span> <span dir="auto">${l.availability}</span><br />` : nothing}
        <span class="muted">${t('exchange.until', { date: formatDate(l.expiresAt) })}</span>
      </p>
      ${l.photos.length
        ? html`<div class="photos">
            ${l.photos.map(
              (p, i) => html`<img src=${p.url} alt=${t('exchange.listing.photoAlt', { n: i + 1, title: l.title })} loading="lazy" />`,
            )}
          </div>`
        : nothing}
      ${l.mine ? this.renderOwn(l, busy) : this.renderAnswer(l, live, busy)}
      <p><a href=${paths.exchange}>${t('exchange.back')}</a></p>
    `
  }

  private renderOwn(l: Listing, busy: string): TemplateResult {
    return html`<h2>${t('exchange.listing.ownHeading')}</h2>
      <div class="actions">
        ${nextStatuses(l.status).map(
          (s) =>
            html`<button type="button" class=${s === 'withdrawn' ? 'secondary' : ''} aria-disabled=${busy} @click=${() => this.setStatus(s)}>
              ${t(STATUS_ACTION[s])}
            </button>`,
        )}
        ${isLive(l.status) ? html`<button type="button" class="secondary" aria-disabled=${busy} @click=${this.renew}>${t('exchange.renew')}</button>` : nothing}
      </div>
      <p><a href=${paths.exchangeMessages}>${t('exchange.listing.seeMessages')}</a></p>`
  }

  private renderAnswer(l: Listing, live: boolean, busy: string): TemplateResult {
    const invalid = this.action.error?.field === 'answer'
    return html`${l.conversationId
        ? html`<p><a class="button wide" href=${conversationPath(l.conversationId)}>${t('exchange.listing.openConversation')}</a></p>`
        : live
          ? html`<form novalidate @submit=${this.onAnswer}>
              <h2>${t('exchange.listing.answerHeading')}</h2>
              <div class="field">
                <label for="answer">${t('exchange.listing.answerLabel')}</label>
                <p class="hint" id="answer-hint">${t('exchange.listing.answerHint')}</p>
                <textarea
                  id="answer"
                  name="answer"
                  rows="3"
                  maxlength=${MESSAGE_MAX}
                  aria-required="true"
                  aria-invalid=${invalid ? 'true' : 'false'}
                  aria-describedby=${invalid ? 'answer-hint listing-error' : 'answer-hint'}
                  .value=${this.answer}
                  @input=${(e: Event) => (this.answer = (e.target as HTMLTextAreaElement).value)}
                ></textarea>
              </div>
              <button type="submit" class="wide" aria-disabled=${busy}>${t('exchange.listing.answer')}</button>
            </form>`
          : html`<p class="muted">${t('exchange.listing.closed')}</p>`}
      <palier-report-block target-kind="listing" .targetId=${l.id} .household=${l.household} @palier-blocked=${() => navigate(paths.exchange)}></palier-report-block>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-exchange-listing': PalierExchangeListing
  }
}
