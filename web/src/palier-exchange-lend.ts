// "Prêter": the lending household records a loan to the other household of the conversation —
// what, until which day. The borrower then confirms it in "Mes prêts".
import { LitElement, html, type TemplateResult } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import type { ApiClient } from './api/client.js'
import type { HouseholdRef } from './api/types.js'
import { apiContext } from './context.js'
import { ITEM_MAX, dateInputValue, dueAtFrom } from './exchange/model.js'
import { LocaleController, formatDate, t, tHtml } from './i18n/locale.js'
import { paths } from './router/routes.js'
import { FormController } from './ui/form-controller.js'
import { sharedStyles } from './ui/styles.js'

const WEEK = 7 * 86_400_000

@customElement('palier-exchange-lend')
export class PalierExchangeLend extends LitElement {
  static override styles = [sharedStyles]

  /** The conversation the loan belongs to. */
  @property() conversationId = ''
  /** The other household of the conversation, who borrows. */
  @property({ attribute: false }) borrower: HouseholdRef | null = null

  @consume({ context: apiContext })
  private api!: ApiClient

  @state() private done = ''

  private readonly locale = new LocaleController(this)
  private readonly form = new FormController(this, { item: '', until: dateInputValue(Date.now() + WEEK) }, 'lend-error')

  private onSubmit(event: Event): void {
    void this.form.submit(
      event,
      () => {
        if (!this.form.values.item.trim()) return { field: 'item', message: t('validation.required', { field: t('exchange.lend.item') }) }
        if (dueAtFrom(this.form.values.until, Date.now()) === undefined) return { field: 'until', message: t('exchange.lend.badDate') }
        return null
      },
      async () => {
        const dueAt = dueAtFrom(this.form.values.until, Date.now())!
        const loan = await this.api.lend({ conversationId: this.conversationId, item: this.form.values.item.trim(), dueAt })
        this.done = t('exchange.lend.done', { item: loan.item, date: formatDate(loan.dueAt) })
        this.form.reset({ item: '', until: dateInputValue(Date.now() + WEEK) })
      },
    )
  }

  override render(): TemplateResult {
    const f = this.form
    return html`<section aria-labelledby="lend-title">
      <h2 id="lend-title">${t('exchange.lend.title')}</h2>
      <p>${tHtml('exchange.lend.intro', { name: this.borrower?.name ?? '' })}</p>
      <p class="success" role="status">${this.done ? html`${this.done} <a href=${paths.exchangeLoans}>${t('exchange.navLoans')}</a>` : ''}</p>
      <form novalidate @submit=${this.onSubmit}>
        ${f.alert()}
        ${f.field('item', { label: t('exchange.lend.item'), autocomplete: 'off', maxlength: ITEM_MAX })}
        ${f.field('until', { label: t('exchange.lend.until'), type: 'date', autocomplete: 'off' })}
        ${f.submitButton(t('exchange.lend.submit'))}
      </form>
    </section>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-exchange-lend': PalierExchangeLend
  }
}
