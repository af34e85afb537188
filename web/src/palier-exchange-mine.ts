// "Mes annonces": the household's own listings, every status; the expired ones are flagged and
// come back in one tap ("Renouveler"). Loaded when first opened.
import { LitElement, html, nothing, type TemplateResult } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { ListingSummary } from './api/types.js'
import { apiContext } from './context.js'
import { isLive } from './exchange/model.js'
import { exchangeNav, exchangeStyles, listingCard } from './exchange/view.js'
import { LocaleController, formatDate, t } from './i18n/locale.js'
import { paths } from './router/routes.js'
import { ActionController } from './ui/action-controller.js'
import { toFormError } from './ui/errors.js'
import { sharedStyles } from './ui/styles.js'

@customElement('palier-exchange-mine')
export class PalierExchangeMine extends LitElement {
  static override styles = [sharedStyles, exchangeStyles]

  @consume({ context: apiContext })
  private api!: ApiClient

  @state() private done = ''

  private readonly locale = new LocaleController(this)
  private readonly action = new ActionController(this)

  private readonly list = new Task(this, {
    task: (_: readonly [], { signal }) => this.api.myListings({ signal }),
    args: () => [] as const,
  })

  private renew(l: ListingSummary): Promise<void> {
    return this.action.run(async () => {
      const renewed = await this.api.renewListing(l.id)
      this.done = t('exchange.mine.renewed', { title: l.title, date: formatDate(renewed.expiresAt) })
      await this.list.run()
    })
  }

  override render(): TemplateResult {
    const now = Date.now()
    const busy = this.action.busy ? 'true' : 'false'
    return html`
      <h1 tabindex="-1">${t('exchange.mine.title')}</h1>
      <a class="button wide" href=${paths.exchangeNew}>${t('exchange.publish')}</a>
      ${exchangeNav('mine')}
      <p class="success" role="status">${this.done}</p>
      <div class="alert" role="alert">${this.action.error?.message ?? ''}</div>
      ${this.list.render({
        pending: () => html`<p role="status">${t('app.loading')}</p>`,
        error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>
          <button type="button" class="secondary" @click=${() => this.list.run()}>${t('action.retry')}</button>`,
        complete: (items) =>
          items.length
            ? html`<ul class="plain">
                ${items.map((l) =>
                  listingCard(
                    l,
                    now,
                    l.expired && isLive(l.status)
                      ? html`<p class="flag">${t('exchange.expired')}</p>
                          <button type="button" aria-disabled=${busy} @click=${() => this.renew(l)}>
                            ${t('exchange.renew')}<span class="visually-hidden"> ${l.title}</span>
                          </button>`
                      : nothing,
                  ),
                )}
              </ul>`
            : html`<p class="muted">${t('exchange.mine.empty')}</p>`,
      })}
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-exchange-mine': PalierExchangeMine
  }
}
