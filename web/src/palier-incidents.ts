// The building's incident reports: the open ones (or the closed ones), each with its status and
// how many households it affects, and the way to report a new one. Loaded when first opened.
import { LitElement, html, nothing, type TemplateResult } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { IncidentSummary } from './api/types.js'
import { apiContext } from './context.js'
import { LocaleController, formatDate, t } from './i18n/locale.js'
import { incidentStyles, statusBadge, whatWhere } from './incidents/view.js'
import { incidentPath, paths } from './router/routes.js'
import { toFormError } from './ui/errors.js'
import { sharedStyles } from './ui/styles.js'

@customElement('palier-incidents')
export class PalierIncidents extends LitElement {
  static override styles = [sharedStyles, incidentStyles]

  /** Which reports to list: still open, or closed. */
  @property() status: 'open' | 'closed' = 'open'

  @consume({ context: apiContext })
  private api!: ApiClient

  private readonly locale = new LocaleController(this)

  private readonly incidents = new Task(this, {
    task: ([status]: readonly ['open' | 'closed'], { signal }) => this.api.incidents(status, { signal }),
    args: () => [this.status] as const,
  })

  override render(): TemplateResult {
    const open = this.status === 'open'
    return html`
      <h1 tabindex="-1">${t('incidents.title')}</h1>
      <p>${t('incidents.intro')}</p>
      <a class="button wide" href=${paths.incidentNew}>${t('incidents.report')}</a>
      <nav aria-label=${t('incidents.filter')}>
        <ul class="plain actions">
          <li><a class="button ${open ? '' : 'secondary'}" href=${paths.incidents} aria-current=${open ? 'page' : 'false'}>${t('incidents.open')}</a></li>
          <li>
            <a class="button ${open ? 'secondary' : ''}" href=${paths.incidents + '?etat=clos'} aria-current=${open ? 'false' : 'page'}>${t('incidents.closed')}</a>
          </li>
        </ul>
      </nav>
      <h2>${t(open ? 'incidents.openHeading' : 'incidents.closedHeading')}</h2>
      ${this.incidents.render({
        pending: () => html`<p role="status">${t('app.loading')}</p>`,
        error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>
          <button type="button" class="secondary" @click=${() => this.incidents.run()}>${t('action.retry')}</button>`,
        complete: (list) => (list.length ? incidentList(list) : html`<p class="muted">${t(open ? 'incidents.emptyOpen' : 'incidents.emptyClosed')}</p>`),
      })}
    `
  }
}

/** Incidents as links to their pages; used here and in the report form's "similar" list. */
export function incidentList(list: readonly IncidentSummary[]): TemplateResult {
  return html`<ul class="plain">
    ${list.map(
      (i) => html`<li class="incident-item">
        <a href=${incidentPath(i.id)}>
          <strong>${whatWhere(i)}</strong>
          ${statusBadge(i.status)}
          <span class="line">${t('incident.affected', { count: i.affectedCount })}</span>
          <span class="line muted">${t('incident.reportedOn', { date: formatDate(i.createdAt) })}</span>
          ${i.private ? html`<span class="line private">${t('incident.privateNote')}</span>` : nothing}
          ${i.iAmAffected ? html`<span class="line">${t('incident.youAreAffected')}</span>` : nothing}
        </a>
      </li>`,
    )}
  </ul>`
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-incidents': PalierIncidents
  }
}
