// The household's conversations, most recent first, each with its listing, the other household,
// the last message and how many messages are unread. Loaded when first opened.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { ConversationSummary } from './api/types.js'
import { apiContext } from './context.js'
import { badges, exchangeNav, exchangeStyles } from './exchange/view.js'
import { LocaleController, formatDateTime, t, tHtml } from './i18n/locale.js'
import { conversationPath } from './router/routes.js'
import { toFormError } from './ui/errors.js'
import { sharedStyles } from './ui/styles.js'

@customElement('palier-exchange-messages')
export class PalierExchangeMessages extends LitElement {
  static override styles = [
    sharedStyles,
    exchangeStyles,
    css`
      .unread > a {
        border-color: #0b4f9c;
        border-inline-start-width: 8px;
      }
      .excerpt {
        overflow-wrap: anywhere;
      }
    `,
  ]

  @consume({ context: apiContext })
  private api!: ApiClient

  private readonly locale = new LocaleController(this)

  private readonly list = new Task(this, {
    task: (_: readonly [], { signal }) => this.api.conversations({ signal }),
    args: () => [] as const,
  })

  override render(): TemplateResult {
    return html`
      <h1 tabindex="-1">${t('exchange.messages.title')}</h1>
      ${this.list.render({
        pending: () => html`${exchangeNav('messages')}<p role="status">${t('app.loading')}</p>`,
        error: (err) => html`${exchangeNav('messages')}<div class="alert" role="alert">${toFormError(err).message}</div>
          <button type="button" class="secondary" @click=${() => this.list.run()}>${t('action.retry')}</button>`,
        complete: (items) => {
          const unread = items.filter((c) => c.unread > 0).length
          return html`${exchangeNav('messages', unread)}
            ${items.length
              ? html`<ul class="plain">
                  ${items.map((c) => this.renderItem(c))}
                </ul>`
              : html`<p class="muted">${t('exchange.messages.empty')}</p>`}`
        },
      })}
    `
  }

  private renderItem(c: ConversationSummary): TemplateResult {
    const last = c.lastMessage
    return html`<li class="listing-item ${c.unread > 0 ? 'unread' : ''}">
      <a href=${conversationPath(c.id)}>
        <strong dir="auto">${c.listing.title}</strong>
        <span class="badges">${badges(c.listing)}</span>
        <span class="line">${tHtml('exchange.who', { name: c.household.name, flat: c.household.label })}
          ${c.unread > 0
            ? html`<span class="count-badge" aria-hidden="true">${c.unread}</span><span class="visually-hidden">${t('exchange.messages.unread', { count: c.unread })}</span>`
            : nothing}</span
        >
        ${last
          ? html`<span class="line excerpt muted" dir="auto"
              >${last.mine ? t('exchange.messages.youWrote') : ''}${last.removed ? t('exchange.conversation.removed') : last.excerpt}</span
            >
            <span class="line muted">${formatDateTime(last.at)}</span>`
          : nothing}
      </a>
    </li>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-exchange-messages': PalierExchangeMessages
  }
}
