// "Signaler" (a listing or a message, with an optional reason) and "Bloquer ce foyer" (after a
// confirmation), placed by the listing and conversation pages under what they show.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import type { ApiClient } from '../api/client.js'
import type { HouseholdRef, ReportTargetKind } from '../api/types.js'
import { apiContext } from '../context.js'
import { LocaleController, t, tHtml } from '../i18n/locale.js'
import { ActionController } from '../ui/action-controller.js'
import { FormController } from '../ui/form-controller.js'
import { sharedStyles } from '../ui/styles.js'

const REASON_MAX = 500

/**
 * Report and block buttons for one listing or message.
 *
 * @fires palier-reported - detail `{ targetKind, targetId }`, once the report is recorded.
 * @fires palier-blocked - detail `{ flatId }`, once the household is blocked: the host page
 *   should leave (its listings and messages are no longer shown).
 */
@customElement('palier-report-block')
export class PalierReportBlock extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        margin-top: 1rem;
      }
      .panel {
        padding: 0.75rem 1rem;
        margin-bottom: 1rem;
        border: 2px solid #c4c4c4;
        border-radius: 8px;
      }
    `,
  ]

  /** What is reported: a listing or a message. */
  @property({ attribute: 'target-kind' }) targetKind: ReportTargetKind = 'listing'
  /** Id of the listing or message. */
  @property({ attribute: 'target-id' }) targetId = ''
  /** The other household, which "Bloquer ce foyer" blocks; without it, no block button. */
  @property({ attribute: false }) household: HouseholdRef | null = null

  @consume({ context: apiContext })
  private api!: ApiClient

  @state() private open: 'none' | 'report' | 'block' = 'none'
  @state() private done = ''

  private readonly locale = new LocaleController(this)
  private readonly form = new FormController(this, { reason: '' }, 'report-error')
  private readonly blockAction = new ActionController(this)

  private async show(panel: 'report' | 'block'): Promise<void> {
    this.open = this.open === panel ? 'none' : panel
    this.done = ''
    this.form.reset({ reason: '' })
    await this.updateComplete
    this.renderRoot.querySelector<HTMLElement>(panel === 'report' ? '#reason' : '#block-yes')?.focus()
  }

  private onReport(event: Event): void {
    void this.form.submit(
      event,
      () => null,
      async () => {
        await this.api.report(this.targetKind, this.targetId, this.form.values.reason.trim())
        this.open = 'none'
        this.done = t(this.targetKind === 'message' ? 'reportBlock.reportedMessage' : 'reportBlock.reportedListing')
        this.dispatchEvent(new CustomEvent('palier-reported', { detail: { targetKind: this.targetKind, targetId: this.targetId }, bubbles: true, composed: true }))
      },
    )
  }

  private onBlock(): Promise<void> {
    const household = this.household
    if (!household) return Promise.resolve()
    return this.blockAction.run(async () => {
      await this.api.block(household.id)
      this.open = 'none'
      this.done = t('reportBlock.blocked', { flat: household.label })
      this.dispatchEvent(new CustomEvent('palier-blocked', { detail: { flatId: household.id }, bubbles: true, composed: true }))
    })
  }

  override render(): TemplateResult {
    const message = this.targetKind === 'message'
    return html`
      <p class="success" role="status">${this.done}</p>
      <div class="actions">
        <button type="button" class="secondary" aria-expanded=${this.open === 'report' ? 'true' : 'false'} @click=${() => this.show('report')}>
          ${t(message ? 'reportBlock.reportMessage' : 'reportBlock.reportListing')}
        </button>
        ${this.household
          ? html`<button type="button" class="secondary" aria-expanded=${this.open === 'block' ? 'true' : 'false'} @click=${() => this.show('block')}>
              ${t('reportBlock.block')}
            </button>`
          : nothing}
      </div>
      ${this.open === 'report' ? this.renderReport(message) : nothing} ${this.open === 'block' ? this.renderBlock() : nothing}
    `
  }

  private renderReport(message: boolean): TemplateResult {
    return html`<form class="panel" novalidate @submit=${this.onReport}>
      <p>${t(message ? 'reportBlock.reportMessageIntro' : 'reportBlock.reportListingIntro')}</p>
      ${this.form.alert()}
      ${this.form.textarea('reason', { label: t('reportBlock.reason'), autocomplete: 'off', optional: true, maxlength: REASON_MAX, rows: 3 })}
      <div class="actions">
        ${this.form.submitButton(t('reportBlock.send'))}
        <button type="button" class="secondary" @click=${() => (this.open = 'none')}>${t('action.cancel')}</button>
      </div>
    </form>`
  }

  private renderBlock(): TemplateResult {
    const h = this.household!
    return html`<div class="panel" role="group" aria-labelledby="block-question">
      <p id="block-question">${tHtml('reportBlock.blockConfirm', { name: h.name, flat: h.label })}</p>
      <div class="alert" role="alert">${this.blockAction.error?.message ?? ''}</div>
      <div class="actions">
        <button id="block-yes" type="button" class="danger" aria-disabled=${this.blockAction.busy ? 'true' : 'false'} @click=${this.onBlock}>
          ${t('reportBlock.blockYes')}
        </button>
        <button type="button" class="secondary" @click=${() => (this.open = 'none')}>${t('action.cancel')}</button>
      </div>
    </div>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-report-block': PalierReportBlock
  }
}
