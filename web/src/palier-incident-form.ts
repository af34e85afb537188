// "Signaler un problème", in three steps: what and where; then the open reports of the same kind
// at the same place, so a neighbour can say "moi aussi" instead of reporting it once more; then
// the description, an optional photo and whether the landlord may get in touch. Loaded when
// first opened.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import type { ApiClient } from './api/client.js'
import type { IncidentCategory, IncidentSummary, PlaceKind } from './api/types.js'
import { apiContext, sessionContext, type Session } from './context.js'
import { checkImage } from './forms/image.js'
import { LocaleController, formatDate, t } from './i18n/locale.js'
import {
  CATEGORIES,
  CATEGORY_LABEL,
  DESCRIPTION_MAX,
  DETAIL_MAX,
  EMPTY_REPORT,
  PLACE_KINDS,
  PLACE_LABEL,
  checkReport,
  checkWhatWhere,
  cleanDetail,
  needsDetail,
  reportBody,
  suggestedDetail,
  type ReportValues,
} from './incidents/model.js'
import { incidentStyles, statusBadge, whatWhere } from './incidents/view.js'
import { navigate } from './router/history.js'
import { incidentPath, paths } from './router/routes.js'
import { ActionController } from './ui/action-controller.js'
import { fromFieldError } from './ui/errors.js'
import { FormController } from './ui/form-controller.js'
import { sharedStyles } from './ui/styles.js'

type Step = 'where' | 'similar' | 'describe'

@customElement('palier-incident-form')
export class PalierIncidentForm extends LitElement {
  static override styles = [
    sharedStyles,
    incidentStyles,
    css`
      .similar li {
        margin-bottom: 1rem;
      }
      .similar .card {
        margin-bottom: 0;
      }
      .similar .description {
        overflow-wrap: anywhere;
        white-space: pre-line;
      }
      .summary {
        font-weight: 600;
      }
    `,
  ]

  @consume({ context: apiContext })
  private api!: ApiClient

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: Session

  @state() private step: Step = 'where'
  @state() private similar: IncidentSummary[] = []
  @state() private contactOk = false
  @state() private photo: File | null = null
  /** What the last "moi aussi" did, announced politely. */
  @state() private joined = ''

  private readonly locale = new LocaleController(this)
  private readonly form = new FormController<ReportValues>(this, { ...EMPTY_REPORT })
  private readonly join = new ActionController(this)

  private setPlaceKind(kind: PlaceKind): void {
    const previous = suggestedDetail(this.form.values.placeKind, this.session.me?.flat ?? null)
    const detail = this.form.values.placeDetail
    this.form.set('placeKind', kind)
    // Offer the person's own entrance or floor, unless they already typed something else.
    if (!detail || detail === previous) this.form.set('placeDetail', suggestedDetail(kind, this.session.me?.flat ?? null))
  }

  private async goTo(step: Step): Promise<void> {
    this.step = step
    await this.updateComplete
    this.renderRoot.querySelector<HTMLElement>('#step')?.focus()
  }

  private onWhere(event: Event): void {
    void this.form.submit(
      event,
      () => fromFieldError(checkWhatWhere(this.form.values)),
      async () => {
        const v = this.form.values
        const similar = await this.api.similarIncidents({
          category: v.category as IncidentCategory,
          placeKind: v.placeKind as PlaceKind,
          placeDetail: needsDetail(v.placeKind) ? cleanDetail(v.placeDetail) : '',
        })
        this.similar = similar
        this.joined = ''
        await this.goTo(similar.length ? 'similar' : 'describe')
      },
    )
  }

  private meToo(incident: IncidentSummary): Promise<void> {
    return this.join.run(async () => {
      const result = await this.api.markAffected(incident.id, this.contactOk)
      this.similar = this.similar.map((i) => (i.id === incident.id ? { ...i, ...result } : i))
      this.joined = t('report.joined', { count: result.affectedCount })
    })
  }

  private onSend(event: Event): void {
    const photo = this.photo
    void this.form.submit(
      event,
      () => {
        const problem = fromFieldError(checkReport(this.form.values))
        if (problem) return problem
        const photoProblem = photo ? checkImage(photo) : null
        return photoProblem ? { field: 'photo', message: t(photoProblem) } : null
      },
      async () => {
        const incident = await this.api.reportIncident(reportBody(this.form.values, this.contactOk))
        let ok = 'sent'
        if (photo) {
          try {
            await this.api.uploadIncidentPhoto(incident.id, photo)
          } catch {
            ok = 'photo-failed'
          }
        }
        navigate(`${incidentPath(incident.id)}?ok=${ok}`)
      },
    )
  }

  override render(): TemplateResult {
    return html`
      <h1 tabindex="-1">${t('report.title')}</h1>
      ${this.step === 'where' ? this.renderWhere() : this.step === 'similar' ? this.renderSimilar() : this.renderDescribe()}
      <p><a href=${paths.incidents}>${t('report.back')}</a></p>
    `
  }

  private renderWhere(): TemplateResult {
    const f = this.form
    const kind = f.values.placeKind
    return html`<form novalidate @submit=${this.onWhere}>
      <h2 id="step" tabindex="-1">${t('report.whereHeading')}</h2>
      ${f.alert()}
      ${f.radios('category', { legend: t('report.category'), options: CATEGORIES.map((c) => [c, t(CATEGORY_LABEL[c])] as const) })}
      <fieldset class="choices" aria-invalid=${f.error?.field === 'placeKind' ? 'true' : 'false'}>
        <legend>${t('report.place')}</legend>
        ${PLACE_KINDS.map(
          (p) => html`<label class="check" for=${`placeKind-${p}`}>
            <input id=${`placeKind-${p}`} type="radio" name="placeKind" .checked=${kind === p} @change=${() => this.setPlaceKind(p)} />
            ${t(PLACE_LABEL[p])}
          </label>`,
        )}
      </fieldset>
      ${kind === 'flat' ? html`<p class="notice">${t('report.privateHint')}</p>` : nothing}
      ${needsDetail(kind)
        ? f.field('placeDetail', { label: t('report.placeDetail'), hint: t('report.placeDetailHint'), autocomplete: 'off', maxlength: DETAIL_MAX })
        : nothing}
      ${f.submitButton(t('report.continue'))}
    </form>`
  }

  private renderSimilar(): TemplateResult {
    const busy = this.join.busy ? 'true' : 'false'
    return html`<h2 id="step" tabindex="-1">${t('report.similarHeading')}</h2>
      <p>${t('report.similarIntro')}</p>
      ${this.contactCheckbox('contact-similar')}
      <div class="alert" role="alert">${this.join.error?.message ?? ''}</div>
      <p class="success" role="status">${this.joined}</p>
      <ul class="plain similar">
        ${this.similar.map(
          (i) => html`<li>
            <article class="card" aria-labelledby=${`similar-${i.id}`}>
              <h3 id=${`similar-${i.id}`}>${whatWhere(i)}</h3>
              <p>${statusBadge(i.status)}</p>
              <p class="description" dir="auto">${i.description}</p>
              <p class="muted">
                ${t('incident.reportedOn', { date: formatDate(i.createdAt) })}<br />
                <strong>${t('incident.affected', { count: i.affectedCount })}</strong>
              </p>
              <div class="actions">
                ${i.iAmAffected
                  ? html`<p class="summary">${t('incident.youAreAffected')}</p>`
                  : html`<button type="button" aria-disabled=${busy} @click=${() => this.meToo(i)}>${t('report.meToo')}</button>`}
                <a class="button secondary" href=${incidentPath(i.id)}>${t('report.follow')}</a>
              </div>
            </article>
          </li>`,
        )}
      </ul>
      <h2>${t('report.notSameHeading')}</h2>
      <div class="actions">
        <button type="button" class="secondary" @click=${() => this.goTo('describe')}>${t('report.notSame')}</button>
        <button type="button" class="secondary" @click=${() => this.goTo('where')}>${t('report.changeWhere')}</button>
      </div>`
  }

  private renderDescribe(): TemplateResult {
    const f = this.form
    const v = f.values
    const photoInvalid = f.error?.field === 'photo'
    const category = v.category || 'other'
    const place = { kind: (v.placeKind || 'common') as PlaceKind, detail: needsDetail(v.placeKind) ? cleanDetail(v.placeDetail) : '' }
    return html`<form novalidate @submit=${this.onSend}>
      <h2 id="step" tabindex="-1">${t('report.describeHeading')}</h2>
      ${this.similar.length === 0 ? html`<p class="notice">${t('report.noSimilar')}</p>` : nothing}
      <p class="summary">${whatWhere({ category, place })}</p>
      <div class="actions">
        <button type="button" class="secondary" @click=${() => this.goTo('where')}>${t('report.changeWhere')}</button>
      </div>
      ${f.alert()}
      ${f.textarea('description', { label: t('report.description'), hint: t('report.descriptionHint'), autocomplete: 'off', maxlength: DESCRIPTION_MAX })}
      <div class="field">
        <label for="photo">${t('form.optional', { label: t('report.photo') })}</label>
        <p class="hint" id="photo-hint">${t('report.photoHint')}</p>
        <input
          id="photo"
          name="photo"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          aria-invalid=${photoInvalid ? 'true' : 'false'}
          aria-describedby=${photoInvalid ? 'photo-hint form-error' : 'photo-hint'}
          @change=${(e: Event) => (this.photo = (e.target as HTMLInputElement).files?.[0] ?? null)}
        />
      </div>
      ${this.contactCheckbox('contact')}
      ${f.submitButton(t('report.send'))}
    </form>`
  }

  private contactCheckbox(id: string): TemplateResult {
    return html`<label class="check" for=${id}>
        <input
          id=${id}
          type="checkbox"
          aria-describedby=${`${id}-hint`}
          .checked=${this.contactOk}
          @change=${(e: Event) => (this.contactOk = (e.target as HTMLInputElement).checked)}
        />
        ${t('report.contactOk')}
      </label>
      <p class="hint" id=${`${id}-hint`}>${t('report.contactOkHint')}</p>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-incident-form': PalierIncidentForm
  }
}
