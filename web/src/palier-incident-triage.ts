// Caretaker: the triage tools under an incident — move it along its life cycle with an optional
// message to residents, write a message alone, merge it into another report (their "moi aussi"
// add up), or turn it into an urgent notice on the board. Loaded only for the caretaker.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task, initialState } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { Incident, IncidentStatus } from './api/types.js'
import { apiContext } from './context.js'
import { LocaleController, formatDate, t } from './i18n/locale.js'
import { MESSAGE_MAX, STATUS_ACTION, STATUS_LABEL, isOpen, nextStatuses } from './incidents/model.js'
import { whatWhereText } from './incidents/view.js'
import { paths } from './router/routes.js'
import { ActionController } from './ui/action-controller.js'
import { toFormError } from './ui/errors.js'
import { sharedStyles } from './ui/styles.js'
import { INCIDENT_UPDATED } from './palier-incident.js'

@customElement('palier-incident-triage')
export class PalierIncidentTriage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      section {
        padding: 1rem;
        margin: 1.5rem 0;
        background: #f6f6f6;
        border: 2px solid #6b6b6b;
        border-radius: 8px;
      }
      section h2 {
        margin-top: 0;
      }
    `,
  ]

  /** The incident to act on, as the detail page shows it. */
  @property({ attribute: false }) incident!: Incident

  @consume({ context: apiContext })
  private api!: ApiClient

  @state() private message = ''
  @state() private mergeOpen = false
  @state() private mergeInto = ''
  @state() private noticePublished = false

  private readonly locale = new LocaleController(this)
  private readonly action = new ActionController(this)

  private readonly others = new Task(this, {
    task: async ([open]: readonly [boolean], { signal }) =>
      open ? (await this.api.incidents('open', { signal })).filter((i) => i.id !== this.incident.id) : (initialState as typeof initialState),
    args: () => [this.mergeOpen] as const,
  })

  private updated_(incident: Incident, said: string): void {
    this.dispatchEvent(new CustomEvent(INCIDENT_UPDATED, { detail: { incident, said }, bubbles: true, composed: true }))
  }

  private setStatus(status: IncidentStatus): Promise<void> {
    const message = this.message.trim()
    return this.action.run(async () => {
      const incident = await this.api.setIncidentStatus(this.incident.id, status, message || undefined)
      this.message = ''
      this.updated_(incident, t('triage.statusDone', { status: t(STATUS_LABEL[status]) }))
    })
  }

  private sendMessage(): Promise<void> {
    const message = this.message.trim()
    if (!message) {
      this.action.error = { message: t('validation.messageEmpty'), field: 'triage-message' }
      this.requestUpdate()
      this.renderRoot.querySelector<HTMLElement>('#triage-message')?.focus()
      return Promise.resolve()
    }
    return this.action.run(async () => {
      const incident = await this.api.addIncidentMessage(this.incident.id, message)
      this.message = ''
      this.updated_(incident, t('triage.messageDone'))
    })
  }

  private merge(): Promise<void> {
    const into = this.mergeInto
    if (!into) {
      this.action.error = { message: t('validation.mergeTarget'), field: 'merge-into' }
      this.requestUpdate()
      return Promise.resolve()
    }
    if (!window.confirm(t('triage.mergeConfirm'))) return Promise.resolve()
    return this.action.run(async () => {
      await this.api.mergeIncident(this.incident.id, into)
      // The duplicate is now closed and points at the target: reload it to show that.
      const incident = await this.api.incident(this.incident.id)
      this.mergeOpen = false
      this.updated_(incident, t('triage.mergeDone'))
    })
  }

  private publishNotice(): Promise<void> {
    if (!window.confirm(t('triage.noticeConfirm'))) return Promise.resolve()
    return this.action.run(async () => {
      await this.api.incidentNotice(this.incident.id)
      this.noticePublished = true
    })
  }

  override render(): TemplateResult {
    const i = this.incident
    const busy = this.action.busy ? 'true' : 'false'
    const next = nextStatuses(i.status)
    const invalid = this.action.error?.field
    return html`<section aria-labelledby="triage-title">
      <h2 id="triage-title">${t('triage.title')}</h2>
      <div id="triage-error" class="alert" role="alert">${this.action.error?.message ?? ''}</div>
      <div role="status">
        ${this.noticePublished ? html`<p class="success">${t('triage.noticeDone')} <a href=${paths.board}>${t('triage.seeBoard')}</a></p>` : nothing}
      </div>
      <div class="field">
        <label for="triage-message">${t('form.optional', { label: t('triage.message') })}</label>
        <p class="hint" id="triage-message-hint">${t('triage.messageHint')}</p>
        <textarea
          id="triage-message"
          rows="3"
          maxlength=${MESSAGE_MAX}
          aria-invalid=${invalid === 'triage-message' ? 'true' : 'false'}
          aria-describedby=${invalid === 'triage-message' ? 'triage-message-hint triage-error' : 'triage-message-hint'}
          .value=${this.message}
          @input=${(e: Event) => (this.message = (e.target as HTMLTextAreaElement).value)}
        ></textarea>
      </div>
      ${next.length
        ? html`<div class="actions" role="group" aria-label=${t('triage.statusGroup')}>
            ${next.map((s) => html`<button type="button" aria-disabled=${busy} @click=${() => this.setStatus(s)}>${t(STATUS_ACTION[s])}</button>`)}
          </div>`
        : nothing}
      <div class="actions">
        <button type="button" class="secondary" aria-disabled=${busy} @click=${this.sendMessage}>${t('triage.sendMessage')}</button>
      </div>
      ${isOpen(i.status) && !i.mergedInto
        ? html`<div class="actions">
              <button type="button" class="danger" aria-disabled=${busy} @click=${this.publishNotice}>${t('triage.publishNotice')}</button>
              <button type="button" class="secondary" aria-expanded=${this.mergeOpen ? 'true' : 'false'} aria-controls="merge" @click=${() => (this.mergeOpen = !this.mergeOpen)}>
                ${t('triage.mergeOpen')}
              </button>
            </div>
            <div id="merge" ?hidden=${!this.mergeOpen}>${this.mergeOpen ? this.renderMerge(busy, invalid === 'merge-into') : nothing}</div>`
        : nothing}
    </section>`
  }

  private renderMerge(busy: string, invalid: boolean): unknown {
    return this.others.render({
      pending: () => html`<p role="status">${t('app.loading')}</p>`,
      error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>`,
      complete: (others) =>
        others.length === 0
          ? html`<p class="muted">${t('triage.mergeNone')}</p>`
          : html`<div class="field">
                <label for="merge-into">${t('triage.mergeInto')}</label>
                <p class="hint" id="merge-hint">${t('triage.mergeHint')}</p>
                <select
                  id="merge-into"
                  aria-describedby=${invalid ? 'merge-hint triage-error' : 'merge-hint'}
                  aria-invalid=${invalid ? 'true' : 'false'}
                  @change=${(e: Event) => (this.mergeInto = (e.target as HTMLSelectElement).value)}
                >
                  <option value="">${t('triage.mergeChoose')}</option>
                  ${others.map(
                    (o) => html`<option value=${o.id} ?selected=${o.id === this.mergeInto}>
                      ${whatWhereText(o)} · ${formatDate(o.createdAt)} · ${t('incident.affected', { count: o.affectedCount })}
                    </option>`,
                  )}
                </select>
              </div>
              <button type="button" aria-disabled=${busy} @click=${this.merge}>${t('triage.merge')}</button>`,
    })
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-incident-triage': PalierIncidentTriage
  }
}
