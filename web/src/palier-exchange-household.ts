// A household's page in the exchange: its flat and name, how many thanks it received and the
// last words of thanks (never who said them), and how many listings it has open.
import { LitElement, html, nothing, type TemplateResult } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task } from '@lit/task'
import type { ApiClient } from './api/client.js'
import { apiContext } from './context.js'
import { exchangeStyles, listingCard } from './exchange/view.js'
import { LocaleController, formatDate, t, tHtml } from './i18n/locale.js'
import { paths } from './router/routes.js'
import { toFormError } from './ui/errors.js'
import { sharedStyles } from './ui/styles.js'

@customElement('palier-exchange-household')
export class PalierExchangeHousehold extends LitElement {
  static override styles = [sharedStyles, exchangeStyles]

  /** The household's (flat's) id, from the address. */
  @property() flatId = ''

  @consume({ context: apiContext })
  private api!: ApiClient

  private readonly locale = new LocaleController(this)

  private readonly profile = new Task(this, {
    task: ([id]: readonly [string], { signal }) => this.api.household(id, { signal }),
    args: () => [this.flatId] as const,
  })

  override render(): TemplateResult {
    const now = Date.now()
    return html`${this.profile.render({
      pending: () => html`<h1 tabindex="-1">${t('exchange.household.title')}</h1>
        <p role="status">${t('app.loading')}</p>`,
      error: (err) => html`<h1 tabindex="-1">${t('exchange.household.title')}</h1>
        <div class="alert" role="alert">${toFormError(err).message}</div>
        <p><a href=${paths.exchange}>${t('exchange.back')}</a></p>`,
      complete: (p) => html`
        <h1 tabindex="-1">${tHtml('exchange.who', { name: p.household.name, flat: p.household.label })}</h1>
        <p class="thanks-count"><strong>${t('exchange.household.thanks', { count: p.thanksReceived })}</strong></p>
        <h2>${t('exchange.household.openListings', { count: p.openListings.length })}</h2>
        ${p.openListings.length ? html`<ul class="plain">${p.openListings.map((l) => listingCard(l, now))}</ul>` : nothing}
        ${p.recentThanks.length
          ? html`<h2>${t('exchange.household.recent')}</h2>
              <ul>
                ${p.recentThanks.map(
                  (w) => html`<li>${w.word ? tHtml('exchange.household.word', { word: w.word }) : t('exchange.household.noWord')}
                    <span class="muted">${formatDate(w.at)}</span></li>`,
                )}
              </ul>`
          : nothing}
        <p class="muted">${t('exchange.household.note')}</p>
        <p><a href=${paths.exchange}>${t('exchange.back')}</a></p>
      `,
    })}`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-exchange-household': PalierExchangeHousehold
  }
}
