// One person in the caretaker's list of residents: create a reset code to hand over, or remove
// their access.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import type { ApiClient } from './api/client.js'
import type { ResetCode, Resident } from './api/types.js'
import { apiContext } from './context.js'
import { LocaleController, formatDate, t, tHtml } from './i18n/locale.js'
import { ActionController } from './ui/action-controller.js'
import { sharedStyles } from './ui/styles.js'

/** Fired (bubbling, inside palier-residents) after this person's access changed. */
export const RESIDENT_CHANGED = 'palier-resident-changed'

@customElement('palier-resident-item')
export class PalierResidentItem extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      h2 {
        margin-top: 0;
      }
      .card p {
        margin-bottom: 0.3rem;
      }
      .revoked {
        font-weight: 600;
        color: #7a0016;
      }
    `,
  ]

  /** The person to show, as listed by GET /api/v1/residents. */
  @property({ attribute: false }) resident!: Resident

  @consume({ context: apiContext })
  private api!: ApiClient

  @state() private resetCode: ResetCode | null = null

  private readonly locale = new LocaleController(this)
  private readonly action = new ActionController(this)

  private createResetCode(): Promise<void> {
    return this.action.run(async () => {
      this.resetCode = await this.api.createResetCode(this.resident.id)
    })
  }

  private revoke(): Promise<void> {
    if (!window.confirm(t('resident.revokeConfirm', { name: this.resident.displayName }))) return Promise.resolve()
    return this.action.run(async () => {
      await this.api.revokeResident(this.resident.id)
      this.resetCode = null
      this.dispatchEvent(new Event(RESIDENT_CHANGED, { bubbles: true }))
    })
  }

  override render(): TemplateResult {
    const r = this.resident
    const revoked = r.revokedAt !== null
    const busy = this.action.busy ? 'true' : 'false'
    return html`<article class="card" aria-labelledby="name">
      <h2 id="name">${r.displayName}</h2>
      <p>${tHtml('resident.flat', { flat: r.flatLabel })}</p>
      <p class="muted">${tHtml('resident.login', { login: r.login })}</p>
      <p class="muted">${t('resident.since', { date: formatDate(r.createdAt) })}</p>
      ${revoked ? html`<p class="revoked">${t('resident.revoked', { date: formatDate(r.revokedAt!) })}</p>` : nothing}
      <div class="alert" role="alert">${this.action.error?.message ?? ''}</div>
      <div role="status">
        ${this.resetCode
          ? html`<p class="notice">
              <span class="code">${this.resetCode.code}</span><br />
              ${tHtml('resident.resetCodeShown', { name: r.displayName, date: formatDate(this.resetCode.expiresAt) })}
            </p>`
          : nothing}
      </div>
      ${revoked
        ? nothing
        : html`<div class="actions">
            <button type="button" class="secondary" aria-disabled=${busy} @click=${this.createResetCode}>${t('resident.resetCode')}</button>
            <button type="button" class="danger" aria-disabled=${busy} @click=${this.revoke}>${t('resident.revoke')}</button>
          </div>`}
    </article>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-resident-item': PalierResidentItem
  }
}
