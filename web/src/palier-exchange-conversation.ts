// A private conversation between two households about one listing: the listing at the top, the
// messages, and the box to write. On a loan, the lending side records it here ("Prêter": what,
// until when); once the listing is done, the other household can be thanked. Reading the
// conversation marks it read. Loaded when first opened.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import type { ApiClient } from './api/client.js'
import type { ConversationThread, ExchangeMessage } from './api/types.js'
import { apiContext } from './context.js'
import { MESSAGE_MAX } from './exchange/model.js'
import { badges, exchangeStyles, who } from './exchange/view.js'
import { LocaleController, formatDateTime, t, tHtml } from './i18n/locale.js'
import { navigate } from './router/history.js'
import { listingPath, paths } from './router/routes.js'
import { ActionController } from './ui/action-controller.js'
import { toFormError } from './ui/errors.js'
import { sharedStyles } from './ui/styles.js'
import './exchange/report-block.js'
import './palier-exchange-lend.js'
import './palier-exchange-thanks.js'

/** Fired (bubbling, composed) when the unread count may have changed: the menu's badge reloads. */
export const EXCHANGE_READ = 'palier-exchange-read'

/** New messages are looked for this often while the page is shown. */
const POLL_MS = 15_000

@customElement('palier-exchange-conversation')
export class PalierExchangeConversation extends LitElement {
  static override styles = [
    sharedStyles,
    exchangeStyles,
    css`
      .head {
        padding: 0.75rem 1rem;
        margin-bottom: 1rem;
        background: #eef4fb;
        border-radius: 8px;
      }
      .head a {
        font-weight: 700;
        overflow-wrap: anywhere;
      }
      .head p {
        margin: 0.35rem 0 0;
      }
      ol.messages {
        list-style: none;
        margin: 0 0 1rem;
        padding: 0;
      }
      .messages li {
        max-width: 90%;
        margin-bottom: 0.75rem;
        padding: 0.5rem 0.75rem;
        background: #f3f3f3;
        border-radius: 8px;
      }
      .messages li.mine {
        margin-inline-start: auto;
        background: #e8f5ea;
      }
      .messages .meta {
        display: block;
        font-size: 0.9rem;
        color: #4a4a4a;
      }
      .messages p {
        margin: 0.25rem 0 0;
      }
    `,
  ]

  /** The conversation's id, from the address. */
  @property() conversationId = ''

  @consume({ context: apiContext })
  private api!: ApiClient

  @state() private thread: ConversationThread | null = null
  @state() private loadError = ''
  @state() private draft = ''
  /** Said politely after a message is sent (aria-live). */
  @state() private sent = ''

  private readonly locale = new LocaleController(this)
  private readonly action = new ActionController(this)
  private timer: ReturnType<typeof setInterval> | undefined
  private loadedId = ''

  override connectedCallback(): void {
    super.connectedCallback()
    this.timer = setInterval(() => {
      if (document.visibilityState === 'visible') void this.refresh()
    }, POLL_MS)
  }

  override disconnectedCallback(): void {
    clearInterval(this.timer)
    super.disconnectedCallback()
  }

  protected override willUpdate(): void {
    if (this.conversationId && this.conversationId !== this.loadedId) {
      this.loadedId = this.conversationId
      this.thread = null
      void this.refresh()
    }
  }

  private async refresh(): Promise<void> {
    const id = this.conversationId
    try {
      const thread = await this.api.conversation(id)
      if (id !== this.conversationId) return
      const before = this.thread?.messages.length ?? 0
      this.thread = thread
      this.loadError = ''
      if (thread.messages.length !== before) this.dispatchEvent(new CustomEvent(EXCHANGE_READ, { bubbles: true, composed: true }))
    } catch (err) {
      if (!this.thread) this.loadError = toFormError(err).message
    }
  }

  private onSend(event: Event): void {
    event.preventDefault()
    const body = this.draft.trim()
    if (!body) {
      this.action.error = { message: t('exchange.conversation.empty'), field: 'message' }
      this.requestUpdate()
      this.renderRoot.querySelector<HTMLElement>('#message')?.focus()
      return
    }
    void this.action.run(async () => {
      const message = await this.api.sendMessage(this.conversationId, body)
      if (this.thread) this.thread = { ...this.thread, messages: [...this.thread.messages, message] }
      this.draft = ''
      this.sent = t('exchange.conversation.sent')
    })
  }

  override render(): TemplateResult {
    const thread = this.thread
    if (!thread) {
      return html`<h1 tabindex="-1">${t('exchange.conversation.title')}</h1>
        ${this.loadError
          ? html`<div class="alert" role="alert">${this.loadError}</div>
              <p><a href=${paths.exchangeMessages}>${t('exchange.conversation.back')}</a></p>`
          : html`<p role="status">${t('app.loading')}</p>`}`
    }
    const { conversation: c, listing: l, messages } = thread
    const lender = l.kind === 'lend' && c.ownListing === (l.direction === 'offer')
    const invalid = this.action.error?.field === 'message'
    // Reporting applies to the other household's last message: one set of buttons, not one per message.
    const lastTheirs = [...messages].reverse().find((m) => !m.mine && !m.removed)
    return html`
      <h1 tabindex="-1">${tHtml('exchange.conversation.with', { name: c.household.name, flat: c.household.label })}</h1>
      <section class="head" aria-label=${t('exchange.conversation.listing')}>
        <a href=${listingPath(l.id)} dir="auto">${l.title}</a>
        <p>${badges(l)}</p>
        <p class="muted">${who(l.household)}</p>
      </section>
      <h2 class="visually-hidden">${t('exchange.conversation.messages')}</h2>
      <ol class="messages">
        ${messages.map((m) => this.renderMessage(m))}
      </ol>
      <p class="success" role="status" aria-live="polite">${this.sent}</p>
      <form novalidate @submit=${this.onSend}>
        <div class="alert" role="alert" id="send-error">${this.action.error?.message ?? ''}</div>
        <div class="field">
          <label for="message">${t('exchange.conversation.write')}</label>
          <textarea
            id="message"
            name="message"
            rows="3"
            maxlength=${MESSAGE_MAX}
            aria-required="true"
            aria-invalid=${invalid ? 'true' : 'false'}
            aria-describedby=${invalid ? 'send-error' : nothing}
            .value=${this.draft}
            @input=${(e: Event) => {
              this.draft = (e.target as HTMLTextAreaElement).value
              this.sent = ''
            }}
          ></textarea>
        </div>
        <button type="submit" class="wide" aria-disabled=${this.action.busy ? 'true' : 'false'}>${t('exchange.conversation.send')}</button>
      </form>
      ${lender && (l.status === 'open' || l.status === 'reserved')
        ? html`<palier-exchange-lend .conversationId=${c.id} .borrower=${c.household}></palier-exchange-lend>`
        : nothing}
      ${l.status === 'done'
        ? html`<palier-exchange-thanks .listingId=${l.id} .household=${c.household}></palier-exchange-thanks>`
        : nothing}
      ${lastTheirs
        ? html`<h2>${t('exchange.conversation.problem')}</h2>
            <palier-report-block
              target-kind="message"
              .targetId=${lastTheirs.id}
              .household=${c.household}
              @palier-blocked=${() => navigate(paths.exchange)}
            ></palier-report-block>`
        : nothing}
      <p><a href=${paths.exchangeLoans}>${t('exchange.navLoans')}</a></p>
      <p><a href=${paths.exchangeMessages}>${t('exchange.conversation.back')}</a></p>
    `
  }

  private renderMessage(m: ExchangeMessage): TemplateResult {
    return html`<li class=${m.mine ? 'mine' : ''}>
      <span class="meta">${m.mine ? t('exchange.conversation.you') : who(m.household)} ·
        <time datetime=${new Date(m.createdAt).toISOString()}>${formatDateTime(m.createdAt)}</time></span>
      ${m.onBehalf ? html`<span class="meta">${t('exchange.onBehalf')}</span>` : nothing}
      ${m.removed ? html`<p class="muted">${t('exchange.conversation.removed')}</p>` : html`<p class="text" dir="auto">${m.body}</p>`}
    </li>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-exchange-conversation': PalierExchangeConversation
  }
}
