// The time bank (SEL) of one household: its balance in plain words, the limits the caretaker set,
// transfers waiting for it, paying or asking hours from a household met in a conversation, and
// its own history. Loaded when first opened; the caretaker acting for a household sees that one's.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task } from '@lit/task'
import { ifDefined } from 'lit/directives/if-defined.js'
import { live } from 'lit/directives/live.js'
import type { ApiClient } from './api/client.js'
import type { HouseholdRef, TimeBank, Transfer } from './api/types.js'
import { apiContext, sessionContext, type Session } from './context.js'
import { ACTING_CHANGED, actingFor } from './exchange/acting.js'
import { durationText, householdsMet, pendingRole, type PendingRole } from './exchange/timebank-view.js'
import { SubmissionKey, parseDuration } from './exchange/timebank-model.js'
import { who } from './exchange/view.js'
import { LocaleController, formatDate, t, tHtml } from './i18n/locale.js'
import { paths } from './router/routes.js'
import { ActionController } from './ui/action-controller.js'
import { toFormError } from './ui/errors.js'
import { FormController } from './ui/form-controller.js'
import { sharedStyles } from './ui/styles.js'

const MEMO_MAX = 140

interface Loaded {
  bank: TimeBank
  households: HouseholdRef[]
}

@customElement('palier-timebank')
export class PalierTimebank extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .balance {
        font-size: 2rem;
        font-weight: 700;
        margin-bottom: 0.25rem;
        unicode-bidi: isolate;
      }
      .duration {
        display: flex;
        flex-wrap: wrap;
      }
      .duration .field {
        width: 8rem;
        margin-inline-end: 1rem;
      }
      .history li,
      .pending li {
        padding: 0.6rem 0;
        border-bottom: 1px solid #e4e4e4;
      }
      .history p,
      .pending p {
        margin-bottom: 0.2rem;
      }
      .in {
        color: #0f4d1c;
        font-weight: 700;
      }
      .out {
        color: #7a0016;
        font-weight: 700;
      }
    `,
  ]

  @consume({ context: apiContext })
  private api!: ApiClient

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: Session

  @state() private done = ''

  private readonly locale = new LocaleController(this)
  private readonly form = new FormController(this, { direction: 'request', toFlatId: '', hours: '', minutes: '', memo: '' }, 'transfer-error')
  private readonly pendingAction = new ActionController(this)
  /** One idempotency key per submission, kept while the same transfer is sent again. */
  private readonly submission = new SubmissionKey()
  private readonly onActing = (): void => void this.bank.run()

  private readonly bank = new Task(this, {
    task: async (_args: readonly [], { signal }): Promise<Loaded> => {
      const [bank, conversations] = await Promise.all([this.api.timeBank({ signal }), this.api.conversations({ signal })])
      return { bank, households: householdsMet(conversations) }
    },
    args: () => [] as const,
  })

  override connectedCallback(): void {
    super.connectedCallback()
    window.addEventListener(ACTING_CHANGED, this.onActing)
  }

  override disconnectedCallback(): void {
    window.removeEventListener(ACTING_CHANGED, this.onActing)
    super.disconnectedCallback()
  }

  /** The household whose bank this is: the resident's, or the one the caretaker acts for. */
  private ownFlatId(): string {
    return actingFor()?.id ?? this.session.me?.flat?.id ?? ''
  }

  private onSubmit(event: Event): void {
    this.done = ''
    const v = this.form.values
    let minutes = 0
    void this.form.submit(
      event,
      () => {
        if (!v.toFlatId) return { field: 'toFlatId', message: t('timebank.error.household') }
        const parsed = parseDuration(v.hours, v.minutes)
        if (!parsed.ok) return { field: parsed.field, message: t(parsed.key) }
        minutes = parsed.value
        return null
      },
      async () => {
        const body = { direction: v.direction === 'pay' ? ('pay' as const) : ('request' as const), toFlatId: v.toFlatId, minutes, memo: v.memo.trim() }
        const transfer = await this.api.transfer({ ...body, idempotencyKey: this.submission.for(body) })
        this.submission.done()
        const name = this.nameOf(transfer, body.direction)
        this.done = t(body.direction === 'pay' ? 'timebank.paid' : 'timebank.requested', { duration: durationText(minutes), name })
        this.form.reset({ direction: body.direction, toFlatId: '', hours: '', minutes: '', memo: '' })
        await this.bank.run()
      },
    )
  }

  private nameOf(transfer: Transfer, direction: 'pay' | 'request'): string {
    const h = direction === 'pay' ? transfer.payee : transfer.payer
    return t('exchange.who', { name: h.name, flat: h.label })
  }

  private settle(transfer: Transfer, action: 'confirm' | 'decline' | 'cancel'): Promise<void> {
    this.done = ''
    return this.pendingAction.run(async () => {
      await this.api.transferAction(transfer.id, action)
      const key = action === 'confirm' ? 'timebank.confirmed' : action === 'decline' ? 'timebank.declined' : 'timebank.cancelled'
      this.done = t(key, { duration: durationText(transfer.minutes) })
      await this.bank.run()
    })
  }

  override render(): TemplateResult {
    return html`
      <h1 tabindex="-1">${t('timebank.title')}</h1>
      <p class="success" role="status">${this.done}</p>
      ${this.bank.render({
        initial: () => html`<p role="status">${t('app.loading')}</p>`,
        pending: () => (this.bank.value ? this.renderBank(this.bank.value) : html`<p role="status">${t('app.loading')}</p>`),
        error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>
          <button type="button" class="secondary" @click=${() => this.bank.run()}>${t('action.retry')}</button>`,
        complete: (loaded) => this.renderBank(loaded),
      })}
      <p><a href=${paths.exchange}>${t('timebank.back')}</a></p>
    `
  }

  private renderBank({ bank, households }: Loaded): TemplateResult {
    if (!bank.enabled) return html`<p class="notice">${t('timebank.off')}</p>`
    const b = bank.balanceMinutes
    return html`
      <p class="hint">${t('timebank.intro')}</p>
      <h2>${t('timebank.balanceHeading')}</h2>
      <p class="balance">${durationText(b, true)}</p>
      <p>${b > 0 ? t('timebank.ahead', { duration: durationText(b) }) : b < 0 ? t('timebank.behind', { duration: durationText(-b) }) : t('timebank.even')}</p>
      <p class="hint">${t('timebank.limits', { min: durationText(bank.minBalanceMinutes, true), max: durationText(bank.maxBalanceMinutes, true) })}</p>
      ${this.renderPending(bank.pending)} ${this.renderForm(households)} ${this.renderHistory(bank)}
    `
  }

  private renderPending(pending: readonly Transfer[]): TemplateResult | typeof nothing {
    if (pending.length === 0) return nothing
    const own = this.ownFlatId()
    return html`<h2>${t('timebank.pendingHeading')}</h2>
      <div class="alert" role="alert">${this.pendingAction.error?.message ?? ''}</div>
      <ul class="plain pending">
        ${pending.map((tr) => this.renderPendingItem(tr, pendingRole(tr, own)))}
      </ul>`
  }

  private renderPendingItem(tr: Transfer, role: PendingRole): TemplateResult {
    const duration = durationText(tr.minutes)
    const memo = tr.memo ? html`<p class="muted">${tHtml('timebank.quoted', { memo: tr.memo })}</p>` : nothing
    if (role === 'confirm') {
      return html`<li>
        <p>${tHtml('timebank.asksYou', { who: t('exchange.who', { name: tr.payee.name, flat: tr.payee.label }), duration })}</p>
        ${memo}
        <div class="actions">
          <button type="button" @click=${() => this.settle(tr, 'confirm')}>${t('timebank.confirm', { duration })}</button>
          <button type="button" class="secondary" @click=${() => this.settle(tr, 'decline')}>${t('timebank.decline')}</button>
        </div>
      </li>`
    }
    return html`<li>
      <p>${tHtml('timebank.youAsked', { who: t('exchange.who', { name: tr.payer.name, flat: tr.payer.label }), duration })}</p>
      ${memo}
      <p class="muted">${t('timebank.waiting', { date: formatDate(tr.createdAt) })}</p>
      ${role === 'cancel'
        ? html`<div class="actions">
            <button type="button" class="secondary" @click=${() => this.settle(tr, 'cancel')}>${t('timebank.cancelRequest')}</button>
          </div>`
        : nothing}
    </li>`
  }

  private renderForm(households: readonly HouseholdRef[]): TemplateResult {
    const f = this.form
    const pay = f.values.direction === 'pay'
    if (households.length === 0) {
      return html`<h2>${t('timebank.formHeading')}</h2>
        <p class="muted">${t('timebank.noHouseholds')}</p>`
    }
    const invalid = (name: string) => f.error?.field === name
    return html`<h2>${t('timebank.formHeading')}</h2>
      <form novalidate @submit=${this.onSubmit}>
        ${f.alert()}
        ${f.radios('direction', {
          legend: t('timebank.directionLegend'),
          options: [
            ['request', t('timebank.directionRequest')],
            ['pay', t('timebank.directionPay')],
          ],
        })}
        <div class="field">
          <label for="toFlatId">${pay ? t('timebank.toPay') : t('timebank.toAsk')}</label>
          <p class="hint" id="toFlatId-hint">${t('timebank.householdHint')}</p>
          <select
            id="toFlatId"
            name="toFlatId"
            aria-required="true"
            aria-invalid=${invalid('toFlatId') ? 'true' : 'false'}
            aria-describedby=${invalid('toFlatId') ? 'toFlatId-hint transfer-error' : 'toFlatId-hint'}
            @change=${(e: Event) => f.set('toFlatId', (e.target as HTMLSelectElement).value)}
          >
            <option value="" ?selected=${f.values.toFlatId === ''}>${t('timebank.chooseHousehold')}</option>
            ${households.map((h) => html`<option value=${h.id} ?selected=${f.values.toFlatId === h.id}>${t('exchange.who', { name: h.name, flat: h.label })}</option>`)}
          </select>
        </div>
        <fieldset class="duration">
          <legend>${t('timebank.durationLegend')}</legend>
          ${this.numberInput('hours', t('timebank.hours'), 3)} ${this.numberInput('minutes', t('timebank.minutes'), 2)}
        </fieldset>
        ${f.textarea('memo', { label: t('timebank.memo'), autocomplete: 'off', optional: true, maxlength: MEMO_MAX, rows: 2, hint: t('timebank.memoHint') })}
        ${f.submitButton(pay ? t('timebank.submitPay') : t('timebank.submitRequest'))}
      </form>`
  }

  /** Hours or minutes: a text input with the digits keyboard (type=number mangles what is typed). */
  private numberInput(name: 'hours' | 'minutes', label: string, maxlength: number): TemplateResult {
    const invalid = this.form.error?.field === name
    return html`<div class="field">
      <label for=${name}>${label}</label>
      <input
        id=${name}
        name=${name}
        type="text"
        inputmode="numeric"
        autocomplete="off"
        dir="ltr"
        maxlength=${maxlength}
        .value=${live(this.form.values[name] ?? '')}
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby=${ifDefined(invalid ? 'transfer-error' : undefined)}
        @input=${(e: Event) => this.form.set(name, (e.target as HTMLInputElement).value)}
      />
    </div>`
  }

  private renderHistory(bank: TimeBank): TemplateResult {
    return html`<h2>${t('timebank.historyHeading')}</h2>
      ${bank.entries.length === 0
        ? html`<p class="muted">${t('timebank.historyEmpty')}</p>`
        : html`<ul class="plain history">
            ${bank.entries.map(
              (e) => html`<li>
                <p>
                  <span class=${e.minutes > 0 ? 'in' : 'out'}>${durationText(e.minutes, true)}</span>
                  ${e.minutes > 0 ? t('timebank.from') : t('timebank.to')} ${who(e.other)}
                </p>
                ${e.memo ? html`<p class="muted">${tHtml('timebank.quoted', { memo: e.memo })}</p>` : nothing}
                <p class="muted">${t('timebank.entryLine', { date: formatDate(e.createdAt), balance: durationText(e.balanceAfter, true) })}</p>
              </li>`,
            )}
          </ul>`}`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-timebank': PalierTimebank
  }
}
