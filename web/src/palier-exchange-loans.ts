// "Mes prêts": what the household lent and borrowed. The borrower confirms a loan the lender
// recorded; the lender marks it returned ("Rendu"); a loan due tomorrow or late is flagged (only
// these two households ever see it); after the return the borrower can say thanks.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { Loan, LoanStatus } from './api/types.js'
import { apiContext } from './context.js'
import { exchangeNav, exchangeStyles, who } from './exchange/view.js'
import { LocaleController, formatDate, t } from './i18n/locale.js'
import type { MessageKey } from './i18n/translate.js'
import { conversationPath } from './router/routes.js'
import { ActionController } from './ui/action-controller.js'
import { toFormError } from './ui/errors.js'
import { sharedStyles } from './ui/styles.js'
import './palier-exchange-thanks.js'

const LOAN_STATUS: Readonly<Record<LoanStatus, MessageKey>> = {
  proposed: 'exchange.loans.proposed',
  active: 'exchange.loans.active',
  returned: 'exchange.loans.returned',
  cancelled: 'exchange.loans.cancelled',
}

@customElement('palier-exchange-loans')
export class PalierExchangeLoans extends LitElement {
  static override styles = [
    sharedStyles,
    exchangeStyles,
    css`
      .loan h3 {
        overflow-wrap: anywhere;
      }
    `,
  ]

  @consume({ context: apiContext })
  private api!: ApiClient

  @state() private done = ''

  private readonly locale = new LocaleController(this)
  private readonly action = new ActionController(this)

  private readonly loans = new Task(this, {
    task: (_: readonly [], { signal }) => this.api.loans({ signal }),
    args: () => [] as const,
  })

  private act(loan: Loan, action: 'confirm' | 'returned' | 'cancel', said: MessageKey): Promise<void> {
    return this.action.run(async () => {
      await this.api.loanAction(loan.id, action)
      this.done = t(said, { item: loan.item })
      await this.loans.run()
    })
  }

  override render(): TemplateResult {
    return html`
      <h1 tabindex="-1">${t('exchange.loans.title')}</h1>
      ${exchangeNav('loans')}
      <p class="success" role="status">${this.done}</p>
      <div class="alert" role="alert">${this.action.error?.message ?? ''}</div>
      ${this.loans.render({
        pending: () => html`<p role="status">${t('app.loading')}</p>`,
        error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>
          <button type="button" class="secondary" @click=${() => this.loans.run()}>${t('action.retry')}</button>`,
        complete: ({ lent, borrowed }) => html`
          <h2>${t('exchange.loans.lent')}</h2>
          ${lent.length ? html`<ul class="plain">${lent.map((l) => this.renderLoan(l, true))}</ul>` : html`<p class="muted">${t('exchange.loans.noneLent')}</p>`}
          <h2>${t('exchange.loans.borrowed')}</h2>
          ${borrowed.length
            ? html`<ul class="plain">${borrowed.map((l) => this.renderLoan(l, false))}</ul>`
            : html`<p class="muted">${t('exchange.loans.noneBorrowed')}</p>`}
        `,
      })}
    `
  }

  private renderLoan(l: Loan, lender: boolean): TemplateResult {
    const busy = this.action.busy ? 'true' : 'false'
    const other = lender ? l.borrower : l.lender
    return html`<li class="card loan">
      <h3 dir="auto">${l.item}</h3>
      <p>
        ${t(lender ? 'exchange.loans.to' : 'exchange.loans.from')} ${who(other)}<br />
        ${t('exchange.loans.until', { date: formatDate(l.dueAt) })}<br />
        <strong>${t(LOAN_STATUS[l.status])}</strong>
      </p>
      ${l.late ? html`<p class="flag">${t('exchange.loans.late')}</p>` : nothing}
      ${l.dueTomorrow ? html`<p class="notice">${t('exchange.loans.dueTomorrow')}</p>` : nothing}
      <div class="actions">
        ${!lender && l.status === 'proposed'
          ? html`<button type="button" aria-disabled=${busy} @click=${() => this.act(l, 'confirm', 'exchange.loans.confirmed')}>
              ${t('exchange.loans.confirm')}<span class="visually-hidden"> ${l.item}</span>
            </button>`
          : nothing}
        ${lender && l.status === 'proposed'
          ? html`<button type="button" class="secondary" aria-disabled=${busy} @click=${() => this.act(l, 'cancel', 'exchange.loans.cancelledSaid')}>
              ${t('exchange.loans.cancel')}<span class="visually-hidden"> ${l.item}</span>
            </button>`
          : nothing}
        ${lender && l.status === 'active'
          ? html`<button type="button" aria-disabled=${busy} @click=${() => this.act(l, 'returned', 'exchange.loans.returnedSaid')}>
              ${t('exchange.loans.markReturned')}<span class="visually-hidden"> ${l.item}</span>
            </button>`
          : nothing}
        ${l.conversationId ? html`<a class="button secondary" href=${conversationPath(l.conversationId)}>${t('exchange.loans.conversation')}</a>` : nothing}
      </div>
      ${!lender && l.status === 'returned' ? html`<palier-exchange-thanks .listingId=${l.listingId} .household=${l.lender}></palier-exchange-thanks>` : nothing}
    </li>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-exchange-loans': PalierExchangeLoans
  }
}
