// One flat in the caretaker's list: its counts, a new invitation code, the printable letter, its
// invitations (shown on demand) and removing its access.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task, initialState } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { Flat, Invite } from './api/types.js'
import { apiContext } from './context.js'
import { LocaleController, formatDate, t, tHtml } from './i18n/locale.js'
import { ActionController } from './ui/action-controller.js'
import { toFormError } from './ui/errors.js'
import { sharedStyles } from './ui/styles.js'

/** Fired (bubbling, inside palier-flats) after this flat or its invitations changed. */
export const FLAT_CHANGED = 'palier-flat-changed'

@customElement('palier-flat-item')
export class PalierFlatItem extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .card {
        margin-bottom: 0;
      }
      :host {
        margin-bottom: 1rem;
      }
      .facts {
        margin-bottom: 0.5rem;
      }
      .revoked {
        font-weight: 600;
        color: #7a0016;
      }
      .invites li {
        padding: 0.75rem 0;
        border-top: 1px solid #d0d0d0;
      }
      .invites p {
        margin-bottom: 0.4rem;
      }
      .invites .actions {
        margin-top: 0.5rem;
      }
      h4 {
        font-size: 1rem;
        margin: 1rem 0 0.5rem;
      }
    `,
  ]

  /** The flat to show, as listed by GET /api/v1/flats. */
  @property({ attribute: false }) flat!: Flat

  @consume({ context: apiContext })
  private api!: ApiClient

  @state() private newInvite: Invite | null = null
  @state() private invitesOpen = false
  /** Address of the letter when the browser refused to open a new tab. */
  @state() private letterUrl: string | null = null

  private readonly locale = new LocaleController(this)
  /** Runs one action at a time and shows its error in this flat's alert region. */
  private readonly action = new ActionController(this)

  private readonly invites = new Task(this, {
    task: ([open, flatId]: readonly [boolean, string], { signal }) =>
      open ? this.api.invites(flatId, { signal }) : (initialState as typeof initialState),
    args: () => [this.invitesOpen, this.flat.id] as const,
  })

  private changed(): void {
    this.dispatchEvent(new Event(FLAT_CHANGED, { bubbles: true }))
    if (this.invitesOpen) void this.invites.run()
  }

  private createInvite(): Promise<void> {
    return this.action.run(async () => {
      this.newInvite = await this.api.createInvite(this.flat.id)
      this.changed()
    })
  }

  /**
   * Opens the printable letter in a new tab, first creating an invitation if the flat has no
   * active one. The tab is opened before any request: browsers (Safari above all) only allow
   * window.open during the click itself.
   */
  private print(): Promise<void> {
    if (this.action.busy) return Promise.resolve()
    const url = this.api.printInvitationsUrl([this.flat.id])
    const tab = window.open('about:blank', '_blank')
    this.letterUrl = null
    return this.action.run(async () => {
      try {
        if (this.flat.activeInviteCount === 0) {
          this.newInvite = await this.api.createInvite(this.flat.id)
          this.changed()
        }
      } catch (err) {
        tab?.close()
        throw err
      }
      if (tab) {
        tab.opener = null
        tab.location.href = url
      } else {
        this.letterUrl = url
      }
    })
  }

  private revoke(): Promise<void> {
    if (!window.confirm(t('flat.revokeConfirm', { label: this.flat.label }))) return Promise.resolve()
    return this.action.run(async () => {
      await this.api.revokeFlat(this.flat.id)
      this.newInvite = null
      this.changed()
    })
  }

  private revokeInvite(invite: Invite): Promise<void> {
    if (!window.confirm(t('invite.revokeConfirm', { code: invite.code }))) return Promise.resolve()
    return this.action.run(async () => {
      await this.api.revokeInvite(invite.id)
      if (this.newInvite?.id === invite.id) this.newInvite = null
      this.changed()
    })
  }

  override render(): TemplateResult {
    const flat = this.flat
    const revoked = flat.revokedAt !== null
    const where = [
      flat.entrance ? tHtml('flat.entrance', { value: flat.entrance }) : null,
      flat.floor ? tHtml('flat.floor', { value: flat.floor }) : null,
      flat.door ? tHtml('flat.door', { value: flat.door }) : null,
    ].filter((part): part is TemplateResult => part !== null)
    return html`<article class="card" aria-labelledby="title">
      <h3 id="title">${flat.label}</h3>
      ${where.length ? html`<p class="muted facts">${where.map((part, i) => (i ? html` · ${part}` : part))}</p>` : nothing}
      <p class="facts">
        ${t('flat.residents', { count: flat.residentCount })}<br />
        ${t('flat.activeInvites', { count: flat.activeInviteCount })}
      </p>
      ${revoked ? html`<p class="revoked">${t('flat.revoked', { date: formatDate(flat.revokedAt!) })}</p>` : nothing}
      <div id="error" class="alert" role="alert">${this.action.error?.message ?? ''}</div>
      <div role="status">
        ${this.newInvite
          ? html`<p class="notice">
              ${t('flat.newInvite')} <span class="code">${this.newInvite.code}</span><br />
              ${t('invite.expires', { date: formatDate(this.newInvite.expiresAt) })}
            </p>`
          : nothing}
      </div>
      ${this.letterUrl
        ? html`<p class="notice">
            ${t('flat.popupBlocked')} <a href=${this.letterUrl} target="_blank" rel="noopener">${t('flat.openLetter')}</a>
          </p>`
        : nothing}
      <div class="actions">
        ${revoked
          ? nothing
          : html`
              <button type="button" @click=${this.print} aria-disabled=${this.action.busy ? 'true' : 'false'}>${t('flat.print')}</button>
              <button type="button" class="secondary" @click=${this.createInvite} aria-disabled=${this.action.busy ? 'true' : 'false'}>
                ${t('flat.createInvite')}
              </button>
            `}
        <button
          type="button"
          class="secondary"
          aria-expanded=${this.invitesOpen ? 'true' : 'false'}
          aria-controls="invites"
          @click=${() => (this.invitesOpen = !this.invitesOpen)}
        >
          ${t(this.invitesOpen ? 'flat.hideInvites' : 'flat.showInvites')}
        </button>
        ${revoked
          ? nothing
          : html`<button type="button" class="danger" @click=${this.revoke} aria-disabled=${this.action.busy ? 'true' : 'false'}>
              ${t('flat.revoke')}
            </button>`}
      </div>
      <div id="invites" ?hidden=${!this.invitesOpen}>${this.invitesOpen ? this.renderInvites() : nothing}</div>
    </article>`
  }

  private renderInvites(): unknown {
    return html`<h4>${tHtml('flat.invitesHeading', { label: this.flat.label })}</h4>
      ${this.invites.render({
        pending: () => html`<p role="status">${t('app.loading')}</p>`,
        error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>`,
        complete: (invites) => (invites.length ? this.renderInviteList(invites) : html`<p class="muted">${t('flat.noInvites')}</p>`),
      })}`
  }

  private renderInviteList(invites: readonly Invite[]): TemplateResult {
    const now = Date.now()
    return html`<ul class="plain invites">
      ${invites.map((invite) => {
        const state =
          invite.revokedAt !== null
            ? t('invite.revoked')
            : invite.expiresAt <= now
              ? t('invite.expired')
              : t('invite.expires', { date: formatDate(invite.expiresAt) })
        const active = invite.revokedAt === null && invite.expiresAt > now
        return html`<li>
          <p><span class="code">${invite.code}</span></p>
          <p class="muted">${state}</p>
          ${active
            ? html`<div class="actions">
                <button type="button" class="secondary" @click=${() => this.revokeInvite(invite)}>${t('invite.revoke')}</button>
              </div>`
            : nothing}
        </li>`
      })}
    </ul>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-flat-item': PalierFlatItem
  }
}
