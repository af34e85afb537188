// The building's notice board: urgent notices first, in their own section, then the others
// (pinned first, as the server orders them), a page at a time. Works from the service worker's
// copy when the box is out of reach, and says so. Links to the caretaker's tools, or to
// "Propose a notice" for residents when the caretaker allows it.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { BoardNotice, ResidentPosting } from './api/types.js'
import { apiContext, sessionContext, type Session } from './context.js'
import { LocaleController, formatDateTime, t } from './i18n/locale.js'
import { appendPage, boardSections, canPost } from './notices/model.js'
import { paths } from './router/routes.js'
import { toFormError } from './ui/errors.js'
import { sharedStyles } from './ui/styles.js'
import { NOTICE_CHANGED, NOTICE_REACTED } from './palier-notice-card.js'
import './palier-notice-card.js'

@customElement('palier-board')
export class PalierBoard extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .offline {
        font-weight: 600;
      }
      h2.urgent {
        color: #7a0016;
      }
      .more {
        margin-top: 0.5rem;
      }
    `,
  ]

  /** What the previous page did: 'published' or 'pending' after a new notice. */
  @property() done = ''

  @consume({ context: apiContext })
  private api!: ApiClient

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: Session

  @state() private notices: BoardNotice[] = []
  @state() private nextCursor: string | null = null
  /** When the shown board came from the offline copy, when that copy was saved. */
  @state() private savedAt: number | null = null
  @state() private posting: ResidentPosting | undefined = undefined
  @state() private moreError = ''
  @state() private loadingMore = false

  private readonly locale = new LocaleController(this)

  private readonly board = new Task(this, {
    task: async (_args: readonly [], { signal }) => {
      const page = await this.api.board({ signal })
      this.notices = page.notices
      this.nextCursor = page.nextCursor
      this.savedAt = page.savedAt
      return page
    },
    args: () => [] as const,
  })

  override connectedCallback(): void {
    super.connectedCallback()
    this.addEventListener(NOTICE_CHANGED, this.onChanged)
    this.addEventListener(NOTICE_REACTED, this.onReacted as EventListener)
    if (this.session.me?.role === 'resident') void this.loadPosting()
  }

  override disconnectedCallback(): void {
    this.removeEventListener(NOTICE_CHANGED, this.onChanged)
    this.removeEventListener(NOTICE_REACTED, this.onReacted as EventListener)
    super.disconnectedCallback()
  }

  private readonly onChanged = (): void => void this.board.run()
  private readonly onReacted = (event: CustomEvent<BoardNotice>): void => {
    this.notices = this.notices.map((n) => (n.id === event.detail.id ? event.detail : n))
  }

  /** Whether residents may propose notices; until it is known, the button stays hidden. */
  private async loadPosting(): Promise<void> {
    try {
      this.posting = (await this.api.noticeSettings()).residentPosting
    } catch {
      this.posting = undefined
    }
  }

  private async loadMore(): Promise<void> {
    if (this.loadingMore || !this.nextCursor) return
    this.loadingMore = true
    this.moreError = ''
    try {
      const page = await this.api.board({ cursor: this.nextCursor })
      this.notices = appendPage(this.notices, page.notices)
      this.nextCursor = page.nextCursor
    } catch (err) {
      this.moreError = toFormError(err).message
    } finally {
      this.loadingMore = false
    }
  }

  private doneMessage(): string {
    switch (this.done) {
      case 'published':
        return t('board.published')
      case 'pending':
        return t('board.pendingSent')
      case 'image-failed':
        return t('board.imageFailed')
      default:
        return ''
    }
  }

  override render(): TemplateResult {
    const me = this.session.me
    const caretaker = me?.role === 'caretaker'
    return html`
      <h1 tabindex="-1">${t('board.title')}</h1>
      <p class=${this.done === 'image-failed' ? 'notice' : 'success'} role="status">${this.doneMessage()}</p>
      ${this.savedAt !== null
        ? html`<p class="notice offline" role="status">${t('board.offline', { date: formatDateTime(this.savedAt) })}</p>`
        : nothing}
      ${caretaker
        ? html`<div class="actions">
            <a class="button" href=${paths.noticeNew}>${t('board.new')}</a>
            <a class="button secondary" href=${paths.noticesAdmin}>${t('board.manage')}</a>
          </div>`
        : me && canPost(me.role, this.posting)
          ? html`<div class="actions"><a class="button secondary" href=${paths.noticeNew}>${t('board.propose')}</a></div>`
          : nothing}
      ${this.renderBoard()}
    `
  }

  private renderBoard(): unknown {
    if (!this.board.value) {
      return this.board.render({
        error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>
          <button type="button" class="secondary" @click=${() => this.board.run()}>${t('action.retry')}</button>`,
        initial: () => html`<p role="status">${t('app.loading')}</p>`,
        pending: () => html`<p role="status">${t('app.loading')}</p>`,
      })
    }
    if (this.notices.length === 0) return html`<p class="muted">${t('board.empty')}</p>`
    const { urgent, others } = boardSections(this.notices)
    const role = this.session.me?.role ?? 'resident'
    const offline = this.savedAt !== null
    const list = (notices: BoardNotice[]) =>
      html`<ul class="plain">
        ${notices.map((n) => html`<li><palier-notice-card .notice=${n} viewer=${role} ?offline=${offline}></palier-notice-card></li>`)}
      </ul>`
    return html`
      ${urgent.length ? html`<h2 class="urgent">${t('board.urgentHeading')}</h2>${list(urgent)}` : nothing}
      ${others.length ? html`<h2>${t('board.othersHeading')}</h2>${list(others)}` : nothing}
      ${this.nextCursor
        ? html`<div class="alert" role="alert">${this.moreError}</div>
            <button type="button" class="secondary wide more" aria-disabled=${this.loadingMore ? 'true' : 'false'} @click=${this.loadMore}>
              ${this.loadingMore ? t('app.loading') : t('board.more')}
            </button>`
        : nothing}
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-board': PalierBoard
  }
}
