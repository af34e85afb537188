// Caretaker: whether residents may post notices, the queue of their notices to approve, the
// weekly digest to print for the hall, and the archive of past notices. Loaded only when opened.
import { LitElement, html, nothing, type TemplateResult } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { Notice, ResidentPosting } from './api/types.js'
import { apiContext } from './context.js'
import { LocaleController, t } from './i18n/locale.js'
import { POSTING_LABEL, appendPage } from './notices/model.js'
import { paths } from './router/routes.js'
import { ActionController } from './ui/action-controller.js'
import { toFormError } from './ui/errors.js'
import { FormController } from './ui/form-controller.js'
import { sharedStyles } from './ui/styles.js'
import './palier-notice-card.js'

const POSTINGS: readonly ResidentPosting[] = ['off', 'approval', 'free']

@customElement('palier-notices-admin')
export class PalierNoticesAdmin extends LitElement {
  static override styles = sharedStyles

  @consume({ context: apiContext })
  private api!: ApiClient

  @state() private saved = ''
  @state() private archive: Notice[] | null = null
  @state() private archiveCursor: string | null = null
  @state() private archiveQuery = ''

  private readonly locale = new LocaleController(this)
  private readonly settingsForm = new FormController(this, { residentPosting: '' }, 'settings-error')
  private readonly searchForm = new FormController(this, { q: '' }, 'search-error')
  private readonly queueAction = new ActionController(this)

  private readonly settings = new Task(this, {
    task: async (_args: readonly [], { signal }) => {
      const s = await this.api.noticeSettings({ signal })
      this.settingsForm.reset({ residentPosting: s.residentPosting })
      return s
    },
    args: () => [] as const,
  })

  private readonly pending = new Task(this, {
    task: (_args: readonly [], { signal }) => this.api.pendingNotices({ signal }),
    args: () => [] as const,
  })

  private onSaveSettings(event: Event): void {
    this.saved = ''
    void this.settingsForm.submit(
      event,
      () => null,
      async () => {
        const posting = this.settingsForm.values.residentPosting as ResidentPosting
        const s = await this.api.saveNoticeSettings({ residentPosting: posting })
        this.saved = t('noticeAdmin.saved', { setting: t(POSTING_LABEL[s.residentPosting]) })
      },
    )
  }

  private decide(notice: Notice, approve: boolean): Promise<void> {
    return this.queueAction.run(async () => {
      if (approve) await this.api.approveNotice(notice.id)
      else await this.api.rejectNotice(notice.id)
      this.saved = t(approve ? 'noticeAdmin.approved' : 'noticeAdmin.rejected', { title: notice.title })
      await this.pending.run()
    })
  }

  private onSearch(event: Event): void {
    const q = this.searchForm.values.q.trim()
    void this.searchForm.submit(
      event,
      () => null,
      async () => {
        const page = await this.api.noticeArchive({ q })
        this.archiveQuery = q
        this.archive = page.notices
        this.archiveCursor = page.nextCursor
      },
    )
  }

  private async moreArchive(): Promise<void> {
    await this.queueAction.run(async () => {
      const page = await this.api.noticeArchive({ q: this.archiveQuery, cursor: this.archiveCursor })
      this.archive = appendPage(this.archive ?? [], page.notices)
      this.archiveCursor = page.nextCursor
    })
  }

  override render(): TemplateResult {
    return html`
      <h1 tabindex="-1">${t('noticeAdmin.title')}</h1>
      <p class="success" role="status">${this.saved}</p>
      <div class="actions">
        <a class="button" href=${paths.noticeNew}>${t('board.new')}</a>
        <a class="button secondary" href=${this.api.printDigestUrl()} target="_blank" rel="noopener">${t('noticeAdmin.printDigest')}</a>
      </div>
      <p class="hint">${t('noticeAdmin.printDigestHint')}</p>

      <h2>${t('noticeAdmin.pendingHeading')}</h2>
      <div class="alert" role="alert">${this.queueAction.error?.message ?? ''}</div>
      ${this.renderPending()}

      <h2>${t('noticeAdmin.settingsHeading')}</h2>
      ${this.settings.render({
        pending: () => html`<p role="status">${t('app.loading')}</p>`,
        error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>`,
        complete: () => html`<form novalidate @submit=${this.onSaveSettings}>
          ${this.settingsForm.alert()}
          ${this.settingsForm.radios('residentPosting', {
            legend: t('noticeAdmin.postingLegend'),
            options: POSTINGS.map((p) => [p, t(POSTING_LABEL[p])] as const),
          })}
          ${this.settingsForm.submitButton(t('noticeAdmin.save'))}
        </form>`,
      })}

      <h2>${t('noticeAdmin.archiveHeading')}</h2>
      <form novalidate role="search" @submit=${this.onSearch}>
        ${this.searchForm.alert()}
        ${this.searchForm.field('q', { label: t('noticeAdmin.search'), type: 'search', autocomplete: 'off', optional: true, hint: t('noticeAdmin.searchHint') })}
        ${this.searchForm.submitButton(t('noticeAdmin.searchButton'))}
      </form>
      ${this.renderArchive()}
    `
  }

  private renderPending(): unknown {
    return this.pending.render({
      pending: () => html`<p role="status">${t('app.loading')}</p>`,
      error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>`,
      complete: (notices) =>
        notices.length === 0
          ? html`<p class="muted">${t('noticeAdmin.pendingEmpty')}</p>`
          : html`<ul class="plain">
              ${notices.map(
                (n) => html`<li>
                  <palier-notice-card .notice=${n} viewer="caretaker" readonly></palier-notice-card>
                  <div class="actions">
                    <button type="button" @click=${() => this.decide(n, true)}>${t('noticeAdmin.approve')}</button>
                    <button type="button" class="danger" @click=${() => this.decide(n, false)}>${t('noticeAdmin.reject')}</button>
                  </div>
                </li>`,
              )}
            </ul>`,
    })
  }

  private renderArchive(): TemplateResult | typeof nothing {
    if (this.archive === null) return nothing
    return html`<div role="status">
        <p class="muted">${t('noticeAdmin.archiveCount', { count: this.archive.length })}</p>
      </div>
      <ul class="plain">
        ${this.archive.map((n) => html`<li><palier-notice-card .notice=${n} viewer="caretaker" readonly></palier-notice-card></li>`)}
      </ul>
      ${this.archiveCursor ? html`<button type="button" class="secondary wide" @click=${this.moreArchive}>${t('board.more')}</button>` : nothing}`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-notices-admin': PalierNoticesAdmin
  }
}
