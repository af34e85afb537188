// Caretaker: the exchange's report queue (keep or remove what neighbours reported), the settings
// (time bank and its limits, how many reports hide a listing), and acting for a household
// without a smartphone. Loaded only when opened.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { HouseholdRef, ReportGroup, ReportResolution } from './api/types.js'
import { apiContext } from './context.js'
import { ACTING_CHANGED, actingFor, setActing } from './exchange/acting.js'
import { checkSettings, reportTitle, settingsValues } from './exchange/admin-model.js'
import { CATEGORIES, CATEGORY_LABEL, DIRECTIONS, DIRECTION_LABEL, EMPTY_LISTING, KINDS, KIND_LABEL, checkListing, listingBody } from './exchange/model.js'
import { who } from './exchange/view.js'
import { LocaleController, currentLanguage, formatDate, t, tHtml } from './i18n/locale.js'
import { paths } from './router/routes.js'
import { ActionController } from './ui/action-controller.js'
import { fromFieldError, toFormError } from './ui/errors.js'
import { FormController } from './ui/form-controller.js'
import { sharedStyles } from './ui/styles.js'

@customElement('palier-exchange-admin')
export class PalierExchangeAdmin extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .queue > li {
        margin-bottom: 1rem;
      }
      blockquote {
        margin: 0 0 0.75rem;
        padding: 0.5rem 0.75rem;
        background: #f4f4f4;
        border-inline-start: 4px solid #6b6b6b;
        white-space: pre-wrap;
      }
      .flag {
        display: inline-block;
        padding: 0.1rem 0.5rem;
        font-weight: 700;
        color: #7a0016;
        border: 2px solid currentColor;
        border-radius: 999px;
      }
      .reasons li {
        margin-bottom: 0.25rem;
      }
    `,
  ]

  @consume({ context: apiContext })
  private api!: ApiClient

  @state() private saved = ''
  @state() private published = ''

  private readonly locale = new LocaleController(this)
  private readonly settingsForm = new FormController(this, settingsValues(null), 'settings-error')
  private readonly actForm = new FormController(this, { flatId: '' }, 'act-error')
  private readonly listingForm = new FormController(this, { ...EMPTY_LISTING }, 'listing-error')
  private readonly queueAction = new ActionController(this)
  private readonly onActing = (): void => this.requestUpdate()

  private readonly queue = new Task(this, {
    task: (_args: readonly [], { signal }) => this.api.reportQueue({ signal }),
    args: () => [] as const,
  })

  private readonly settings = new Task(this, {
    task: async (_args: readonly [], { signal }) => {
      const s = await this.api.exchangeSettings({ signal })
      this.settingsForm.reset(settingsValues(s, currentLanguage() === 'fr' ? ',' : '.'))
      return s
    },
    args: () => [] as const,
  })

  private readonly households = new Task(this, {
    task: (_args: readonly [], { signal }) => this.api.onBehalfHouseholds({ signal }),
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

  private resolve(group: ReportGroup, resolution: ReportResolution): Promise<void> {
    // Removing cannot be undone: a listing is withdrawn, a message emptied.
    if (resolution === 'removed' && !window.confirm(t('exchangeAdmin.removeConfirm', { title: reportTitle(group, t('exchangeAdmin.aMessage')) }))) {
      return Promise.resolve()
    }
    this.saved = ''
    return this.queueAction.run(async () => {
      await this.api.resolveReport(group.targetKind, group.targetId, resolution)
      this.saved = t(resolution === 'kept' ? 'exchangeAdmin.kept' : 'exchangeAdmin.removed', { title: reportTitle(group, t('exchangeAdmin.aMessage')) })
      await this.queue.run()
    })
  }

  private onSaveSettings(event: Event): void {
    this.saved = ''
    let checked: ReturnType<typeof checkSettings> | null = null
    void this.settingsForm.submit(
      event,
      () => {
        checked = checkSettings(this.settingsForm.values)
        return checked.ok ? null : fromFieldError(checked)
      },
      async () => {
        if (!checked?.ok) return
        const s = await this.api.saveExchangeSettings(checked.value)
        this.settingsForm.reset(settingsValues(s, currentLanguage() === 'fr' ? ',' : '.'))
        this.saved = t(s.timeBankEnabled ? 'exchangeAdmin.savedOn' : 'exchangeAdmin.savedOff')
      },
    )
  }

  private onAct(event: Event, households: readonly HouseholdRef[]): void {
    void this.actForm.submit(
      event,
      () => (this.actForm.values.flatId ? null : { field: 'flatId', message: t('exchangeAdmin.chooseFirst') }),
      async () => {
        const flat = households.find((h) => h.id === this.actForm.values.flatId)
        if (flat) setActing({ id: flat.id, label: flat.label })
        this.published = ''
      },
    )
  }

  private onPublish(event: Event): void {
    this.published = ''
    void this.listingForm.submit(
      event,
      () => fromFieldError(checkListing(this.listingForm.values)),
      async () => {
        const listing = await this.api.createListing(listingBody(this.listingForm.values))
        this.published = t('exchangeAdmin.published', { title: listing.title, flat: actingFor()?.label ?? '' })
        this.listingForm.reset({ ...EMPTY_LISTING })
      },
    )
  }

  override render(): TemplateResult {
    return html`
      <h1 tabindex="-1">${t('exchangeAdmin.title')}</h1>
      <p class="success" role="status">${this.saved}</p>

      <h2>${t('exchangeAdmin.queueHeading')}</h2>
      <p class="hint">${t('exchangeAdmin.queueHint')}</p>
      <div class="alert" role="alert">${this.queueAction.error?.message ?? ''}</div>
      ${this.queue.render({
        pending: () => html`<p role="status">${t('app.loading')}</p>`,
        error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>
          <button type="button" class="secondary" @click=${() => this.queue.run()}>${t('action.retry')}</button>`,
        complete: (groups) => this.renderQueue(groups),
      })}

      <h2>${t('exchangeAdmin.settingsHeading')}</h2>
      ${this.settings.render({
        pending: () => html`<p role="status">${t('app.loading')}</p>`,
        error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>`,
        complete: () => this.renderSettings(),
      })}

      <h2>${t('exchangeAdmin.actHeading')}</h2>
      <p class="hint">${t('exchangeAdmin.actHint')}</p>
      ${this.households.render({
        pending: () => html`<p role="status">${t('app.loading')}</p>`,
        error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>`,
        complete: (households) => this.renderActing(households),
      })}
    `
  }

  private renderQueue(groups: readonly ReportGroup[]): TemplateResult {
    if (groups.length === 0) return html`<p class="muted">${t('exchangeAdmin.queueEmpty')}</p>`
    return html`<ul class="plain queue">
      ${groups.map((g) => {
        const title = reportTitle(g, t('exchangeAdmin.aMessage'))
        return html`<li class="card">
          ${g.listing
            ? html`<h3 dir="auto">${g.listing.title}</h3>
                <p>${tHtml('exchangeAdmin.listingBy', { who: t('exchange.who', { name: g.listing.household.name, flat: g.listing.household.label }) })}</p>
                ${g.listing.hidden ? html`<p><span class="flag">${t('exchangeAdmin.hidden')}</span></p>` : nothing}
                <blockquote dir="auto">${g.listing.description}</blockquote>`
            : g.message
              ? html`<h3>${t('exchangeAdmin.messageHeading')}</h3>
                  <p>${tHtml('exchangeAdmin.messageBy', { who: t('exchange.who', { name: g.message.household.name, flat: g.message.household.label }), date: formatDate(g.message.createdAt) })}</p>
                  <blockquote dir="auto">${g.message.body}</blockquote>`
              : html`<h3>${t('exchangeAdmin.gone')}</h3>`}
          <p>${t('exchangeAdmin.reportedBy', { count: g.count })}</p>
          ${g.reasons.length
            ? html`<p>${t('exchangeAdmin.reasons')}</p>
                <ul class="reasons">
                  ${g.reasons.map((r) => html`<li dir="auto">${r}</li>`)}
                </ul>`
            : html`<p class="muted">${t('exchangeAdmin.noReason')}</p>`}
          <div class="actions">
            <button type="button" aria-label=${t('exchangeAdmin.keepNamed', { title })} @click=${() => this.resolve(g, 'kept')}>${t('exchangeAdmin.keep')}</button>
            <button type="button" class="danger" aria-label=${t('exchangeAdmin.removeNamed', { title })} @click=${() => this.resolve(g, 'removed')}>
              ${t('exchangeAdmin.remove')}
            </button>
          </div>
        </li>`
      })}
    </ul>`
  }

  private renderSettings(): TemplateResult {
    const f = this.settingsForm
    return html`<form novalidate @submit=${this.onSaveSettings}>
      ${f.alert()}
      <label class="check" for="timeBankEnabled">
        <input
          id="timeBankEnabled"
          name="timeBankEnabled"
          type="checkbox"
          .checked=${f.values.timeBankEnabled === 'on'}
          @change=${(e: Event) => f.set('timeBankEnabled', (e.target as HTMLInputElement).checked ? 'on' : '')}
        />
        ${t('exchangeAdmin.timeBankOn')}
      </label>
      <p class="hint">${t('exchangeAdmin.timeBankHint')}</p>
      ${f.field('minHours', { label: t('exchangeAdmin.minHours'), autocomplete: 'off', hint: t('exchangeAdmin.minHoursHint'), maxlength: 7 })}
      ${f.field('maxHours', { label: t('exchangeAdmin.maxHours'), autocomplete: 'off', hint: t('exchangeAdmin.maxHoursHint'), maxlength: 7 })}
      ${f.field('reportThreshold', { label: t('exchangeAdmin.threshold'), autocomplete: 'off', hint: t('exchangeAdmin.thresholdHint'), maxlength: 2 })}
      ${f.submitButton(t('exchangeAdmin.save'))}
    </form>`
  }

  private renderActing(households: readonly HouseholdRef[]): TemplateResult {
    if (households.length === 0) return html`<p class="muted">${t('exchangeAdmin.actNone')}</p>`
    const acting = actingFor()
    const f = this.actForm
    return html`<form novalidate @submit=${(e: Event) => this.onAct(e, households)}>
        ${f.alert()}
        <div class="field">
          <label for="flatId">${t('exchangeAdmin.household')}</label>
          <select
            id="flatId"
            name="flatId"
            aria-invalid=${f.error?.field === 'flatId' ? 'true' : 'false'}
            @change=${(e: Event) => f.set('flatId', (e.target as HTMLSelectElement).value)}
          >
            <option value="" ?selected=${!f.values.flatId}>${t('timebank.chooseHousehold')}</option>
            ${households.map((h) => html`<option value=${h.id} ?selected=${f.values.flatId === h.id}>${h.label}</option>`)}
          </select>
        </div>
        ${f.submitButton(t('exchangeAdmin.actFor'))}
      </form>
      ${acting ? this.renderActingFor(acting) : nothing}`
  }

  private renderActingFor(acting: { id: string; label: string }): TemplateResult {
    const f = this.listingForm
    return html`<div class="card">
      <p>${tHtml('exchangeAdmin.actingFor', { flat: acting.label })}</p>
      <ul>
        <li><a href=${paths.exchange}>${t('exchangeAdmin.openListings')}</a></li>
        <li><a href=${paths.exchangeMessages}>${t('exchangeAdmin.openMessages')}</a></li>
        <li><a href=${paths.exchangeTimebank}>${t('exchangeAdmin.openTimebank')}</a></li>
      </ul>
      <button type="button" class="secondary" @click=${() => setActing(null)}>${t('acting.stop')}</button>

      <h3>${t('exchangeAdmin.publishHeading', { flat: acting.label })}</h3>
      <p class="success" role="status">${this.published}</p>
      <form novalidate @submit=${this.onPublish}>
        ${f.alert()}
        ${f.radios('direction', { legend: t('exchangeAdmin.direction'), options: DIRECTIONS.map((d) => [d, t(DIRECTION_LABEL[d])] as const) })}
        ${f.radios('kind', { legend: t('exchangeAdmin.kind'), options: KINDS.map((k) => [k, t(KIND_LABEL[k])] as const) })}
        <div class="field">
          <label for="category">${t('exchangeAdmin.category')}</label>
          <select
            id="category"
            name="category"
            aria-invalid=${f.error?.field === 'category' ? 'true' : 'false'}
            @change=${(e: Event) => f.set('category', (e.target as HTMLSelectElement).value)}
          >
            <option value="" ?selected=${!f.values.category}>${t('exchangeAdmin.chooseCategory')}</option>
            ${CATEGORIES.map((c) => html`<option value=${c} ?selected=${f.values.category === c}>${t(CATEGORY_LABEL[c])}</option>`)}
          </select>
        </div>
        ${f.field('title', { label: t('exchangeAdmin.listingTitle'), autocomplete: 'off', maxlength: 80 })}
        ${f.textarea('description', { label: t('exchangeAdmin.description'), autocomplete: 'off', maxlength: 2000, rows: 4 })}
        ${f.field('availability', { label: t('exchangeAdmin.availability'), autocomplete: 'off', optional: true, maxlength: 200 })}
        ${f.submitButton(t('exchangeAdmin.publish'))}
      </form>
    </div>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-exchange-admin': PalierExchangeAdmin
  }
}
