// One incident report: what and where, its status, how many households it affects, the photo,
// and the dated timeline of everything that happened to it. Residents of an affected household
// answer "is it fixed?" once it is resolved; others can say "moi aussi". The caretaker's triage
// tools load only for the caretaker (palier-incident-triage).
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { Incident, TimelineEntry } from './api/types.js'
import { apiContext, sessionContext, type Session } from './context.js'
import { LocaleController, formatDate, formatDateTime, t } from './i18n/locale.js'
import { BY_LABEL, MESSAGE_MAX, STATUSES, STATUS_LABEL, isOpen, statusStep, timelineKey } from './incidents/model.js'
import { incidentStyles, statusBadge, whatWhere } from './incidents/view.js'
import { incidentPath, paths } from './router/routes.js'
import { ActionController } from './ui/action-controller.js'
import { toFormError } from './ui/errors.js'
import { sharedStyles } from './ui/styles.js'

/** Fired by the triage tools with the incident as the server now has it (`detail`). */
export const INCIDENT_UPDATED = 'palier-incident-updated'

@customElement('palier-incident')
export class PalierIncident extends LitElement {
  static override styles = [
    sharedStyles,
    incidentStyles,
    css`
      h1 {
        overflow-wrap: anywhere;
      }
      .description,
      .said {
        white-space: pre-line;
        overflow-wrap: anywhere;
      }
      .count {
        font-size: 1.15rem;
        font-weight: 700;
      }
      .photo {
        display: block;
        max-width: 100%;
        height: auto;
        margin-bottom: 1rem;
        border-radius: 6px;
      }
      ol.timeline {
        list-style: none;
        margin: 0;
        padding: 0;
        border-inline-start: 4px solid #c4c4c4;
      }
      .timeline li {
        position: relative;
        margin: 0 0 1rem;
        padding-inline-start: 1rem;
      }
      .timeline li::before {
        content: '';
        position: absolute;
        top: 0.45rem;
        inset-inline-start: -0.6rem;
        width: 0.8rem;
        height: 0.8rem;
        background: #0b4f9c;
        border-radius: 50%;
      }
      .timeline time {
        display: block;
        font-size: 0.95rem;
        color: #4a4a4a;
      }
      .timeline .what {
        font-weight: 600;
      }
      .said {
        margin: 0.35rem 0 0;
        padding: 0.5rem 0.75rem;
        background: #f3f3f3;
        border-radius: 6px;
      }
      .confirm {
        padding: 1rem;
        margin-bottom: 1.5rem;
        background: #eef4fb;
        border: 2px solid #0b4f9c;
        border-radius: 8px;
      }
      .confirm h2 {
        margin-top: 0;
      }
    `,
  ]

  /** The incident's id, from the address. */
  @property() incidentId = ''

  @consume({ context: apiContext })
  private api!: ApiClient

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: Session

  @state() private incident: Incident | null = null
  @state() private done = ''
  /** The message above says something went wrong (shown as a notice, not a success). */
  @state() private doneIsProblem = false
  @state() private notFixed = false
  @state() private notFixedMessage = ''
  @state() private triageLoaded = false

  private readonly locale = new LocaleController(this)
  private readonly action = new ActionController(this)

  private readonly load = new Task(this, {
    task: async ([id]: readonly [string], { signal }) => {
      const incident = await this.api.incident(id, { signal })
      this.incident = incident
      return incident
    },
    args: () => [this.incidentId] as const,
  })

  override connectedCallback(): void {
    super.connectedCallback()
    const ok = new URLSearchParams(location.search).get('ok')
    this.done = ok === 'sent' ? t('incident.sent') : ok === 'photo-failed' ? t('incident.photoFailed') : ''
    this.doneIsProblem = ok === 'photo-failed'
    this.addEventListener(INCIDENT_UPDATED, this.onUpdated as EventListener)
    if (this.session.me?.role === 'caretaker') {
      import('./palier-incident-triage.js').then(
        () => (this.triageLoaded = true),
        () => {
          this.done = t('error.pageLoad')
          this.doneIsProblem = true
        },
      )
    }
  }

  override disconnectedCallback(): void {
    this.removeEventListener(INCIDENT_UPDATED, this.onUpdated as EventListener)
    super.disconnectedCallback()
  }

  private readonly onUpdated = (event: CustomEvent<{ incident: Incident; said: string }>): void => {
    this.incident = event.detail.incident
    this.done = event.detail.said
    this.doneIsProblem = false
  }

  private meToo(): Promise<void> {
    return this.action.run(async () => {
      await this.api.markAffected(this.incidentId)
      this.incident = await this.api.incident(this.incidentId)
      this.done = t('report.joined', { count: this.incident.affectedCount })
      this.doneIsProblem = false
    })
  }

  private confirm(fixed: boolean): Promise<void> {
    const message = this.notFixedMessage.trim()
    return this.action.run(async () => {
      this.incident = await this.api.confirmIncident(this.incidentId, fixed, fixed ? undefined : message || undefined)
      this.notFixed = false
      this.notFixedMessage = ''
      this.done = t(fixed ? 'confirm.thanksFixed' : 'confirm.thanksNotFixed')
      this.doneIsProblem = false
    })
  }

  override render(): TemplateResult {
    const incident = this.incident
    if (!incident || incident.id !== this.incidentId) {
      return html`<h1 tabindex="-1">${t('incident.title')}</h1>
        ${this.load.render({
          pending: () => html`<p role="status">${t('app.loading')}</p>`,
          error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>
            <p><a href=${paths.incidents}>${t('report.back')}</a></p>`,
        })}`
    }
    return this.renderIncident(incident)
  }

  private renderIncident(i: Incident): TemplateResult {
    const me = this.session.me
    const resident = me?.role === 'resident'
    const askFixed = resident && i.iAmAffected && i.status === 'resolved'
    const busy = this.action.busy ? 'true' : 'false'
    return html`
      <h1 tabindex="-1">${whatWhere(i)}</h1>
      <p class=${this.doneIsProblem ? 'notice' : 'success'} role="status">${this.done}</p>
      <div class="alert" role="alert">${this.action.error?.message ?? ''}</div>
      <p>
        ${statusBadge(i.status)}
        <span class="muted">${t('incident.step', { step: statusStep(i.status), total: STATUSES.length })}</span>
      </p>
      ${i.mergedInto
        ? html`<p class="notice">${t('incident.mergedNote')} <a href=${incidentPath(i.mergedInto)}>${t('incident.mergedLink')}</a></p>`
        : nothing}
      ${i.private ? html`<p class="private">${t('incident.privateNote')}</p>` : nothing}
      <p class="count">${t('incident.affected', { count: i.affectedCount })}</p>
      ${i.iAmAffected ? html`<p>${t('incident.youAreAffected')}</p>` : nothing}
      ${askFixed ? this.renderConfirm(busy) : nothing}
      ${resident && !i.iAmAffected && isOpen(i.status) && !i.mergedInto
        ? html`<div class="actions"><button type="button" aria-disabled=${busy} @click=${this.meToo}>${t('report.meToo')}</button></div>`
        : nothing}
      <h2>${t('incident.descriptionHeading')}</h2>
      <p class="description" dir="auto">${i.description}</p>
      <p class="muted">${t('incident.reportedOn', { date: formatDate(i.createdAt) })}</p>
      ${i.photo ? html`<img class="photo" src=${i.photo.url} alt=${t('incident.photoAlt')} loading="lazy" />` : nothing}
      ${me?.role === 'caretaker' && this.triageLoaded ? html`<palier-incident-triage .incident=${i}></palier-incident-triage>` : nothing}
      <h2>${t('incident.timelineHeading')}</h2>
      <ol class="timeline">
        ${i.timeline.map((entry) => this.renderEntry(entry))}
      </ol>
      <p><a href=${paths.incidents}>${t('report.back')}</a></p>
    `
  }

  private renderConfirm(busy: string): TemplateResult {
    return html`<section class="confirm" aria-labelledby="confirm-title">
      <h2 id="confirm-title">${t('confirm.question')}</h2>
      <p>${t('confirm.intro')}</p>
      <div class="actions">
        <button type="button" aria-disabled=${busy} @click=${() => this.confirm(true)}>${t('confirm.yes')}</button>
        <button type="button" class="secondary" aria-expanded=${this.notFixed ? 'true' : 'false'} aria-controls="not-fixed" @click=${() => (this.notFixed = !this.notFixed)}>
          ${t('confirm.no')}
        </button>
      </div>
      <div id="not-fixed" ?hidden=${!this.notFixed}>
        <div class="field">
          <label for="not-fixed-message">${t('confirm.whatIsWrong')}</label>
          <p class="hint" id="not-fixed-hint">${t('confirm.whatIsWrongHint')}</p>
          <textarea
            id="not-fixed-message"
            rows="3"
            maxlength=${MESSAGE_MAX}
            aria-describedby="not-fixed-hint"
            .value=${this.notFixedMessage}
            @input=${(e: Event) => (this.notFixedMessage = (e.target as HTMLTextAreaElement).value)}
          ></textarea>
        </div>
        <button type="button" aria-disabled=${busy} @click=${() => this.confirm(false)}>${t('confirm.sendNotFixed')}</button>
      </div>
    </section>`
  }

  private renderEntry(entry: TimelineEntry): TemplateResult {
    const status = entry.status ? t(STATUS_LABEL[entry.status]) : ''
    return html`<li>
      <time datetime=${new Date(entry.at).toISOString()}>${formatDateTime(entry.at)}</time>
      <span class="what">${t(timelineKey(entry), { status })}</span>
      <span class="muted">${t(BY_LABEL[entry.by])}</span>
      ${entry.message ? html`<p class="said" dir="auto">${entry.message}</p>` : nothing}
    </li>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-incident': PalierIncident
  }
}
