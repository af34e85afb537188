// One notice on the board: its kind (icon, word and colour), title, dates, author, the body the
// server made safe, images, and the reactions. The caretaker also gets the read figures, the
// poster to print and "remove from the board". Tells the box once that this household saw it.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { unsafeHTML } from 'lit/directives/unsafe-html.js'
import { consume } from '@lit/context'
import type { ApiClient } from './api/client.js'
import type { BoardNotice, NoticeStats, ReactionKind, Role } from './api/types.js'
import { apiContext } from './context.js'
import { LocaleController, formatDate, t, tHtml } from './i18n/locale.js'
import { KIND_LABEL } from './notices/model.js'
import { ActionController } from './ui/action-controller.js'
import { icon } from './ui/icons.js'
import { sharedStyles } from './ui/styles.js'

/** Fired (bubbling, composed) after the caretaker removed the notice from the board. */
export const NOTICE_CHANGED = 'palier-notice-changed'

/**
 * Fired (bubbling, composed) with the notice's new counts (`detail`: the Notice) after a
 * reaction: the list that passes `notice` in must keep it, or its next render would pass the old
 * one back (Lit sets object properties on every render).
 */
export const NOTICE_REACTED = 'palier-notice-reacted'

/** Notices this page already reported as seen: one request per notice and visit, not per render. */
const reportedSeen = new Set<string>()

@customElement('palier-notice-card')
export class PalierNoticeCard extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        margin-bottom: 1rem;
      }
      article {
        margin-bottom: 0;
        border-inline-start-width: 8px;
      }
      .kind-urgent {
        background: #fff5f6;
        border-color: #b00020;
        border-width: 3px;
        border-inline-start-width: 10px;
      }
      .kind-works {
        border-inline-start-color: #8a4b00;
      }
      .kind-info {
        border-inline-start-color: #0b4f9c;
      }
      .kind-event {
        border-inline-start-color: #1e6b34;
      }
      .tags {
        display: flex;
        flex-wrap: wrap;
        margin-bottom: 0.5rem;
      }
      .badge {
        display: inline-flex;
        align-items: center;
        margin-inline-end: 0.5rem;
        margin-bottom: 0.25rem;
        padding: 0.2rem 0.6rem;
        font-weight: 700;
        font-size: 0.95rem;
        color: #fff;
        border-radius: 999px;
      }
      .badge svg {
        margin-inline-end: 0.3rem;
      }
      .badge.urgent {
        background: #a1001c;
        text-transform: uppercase;
        letter-spacing: 0.03em;
      }
      .badge.works {
        background: #8a4b00;
      }
      .badge.info {
        background: #0b4f9c;
      }
      .badge.event {
        background: #1e6b34;
      }
      .badge.pinned,
      .badge.status {
        color: #1b1b1b;
        background: #e9e9e9;
      }
      h3 {
        font-size: 1.25rem;
        overflow-wrap: anywhere;
      }
      .kind-urgent h3 {
        color: #7a0016;
        font-size: 1.35rem;
      }
      .meta {
        font-size: 0.95rem;
        margin-bottom: 0.75rem;
      }
      .body {
        overflow-wrap: anywhere;
      }
      .body ul {
        padding-inline-start: 1.5rem;
        margin: 0 0 1rem;
      }
      .body li {
        margin-bottom: 0.25rem;
        line-height: 1.5;
      }
      .images img {
        display: block;
        max-width: 100%;
        height: auto;
        margin-bottom: 0.75rem;
        border-radius: 6px;
      }
      button[aria-pressed='true'] {
        color: #fff;
        background: #1e6b34;
        border-color: #1e6b34;
      }
      .actions {
        margin-bottom: 0;
      }
      .stats {
        font-weight: 600;
      }
    `,
  ]

  /** The notice, as GET /notices sends it. */
  @property({ attribute: false }) notice!: BoardNotice
  /** Who looks: the caretaker gets the tools, only residents' households count as readers. */
  @property() viewer: Role = 'resident'
  /** Shown from the offline copy: nothing to send, only to read. */
  @property({ type: Boolean }) offline = false
  /** In the caretaker's queue or archive: no reactions, nothing to remove. */
  @property({ type: Boolean }) readonly = false

  @consume({ context: apiContext })
  private api!: ApiClient

  @state() private stats: NoticeStats | null = null

  private readonly locale = new LocaleController(this)
  private readonly action = new ActionController(this)
  private observer: IntersectionObserver | null = null

  override disconnectedCallback(): void {
    this.observer?.disconnect()
    this.observer = null
    super.disconnectedCallback()
  }

  protected override firstUpdated(): void {
    if (this.viewer !== 'resident' || this.offline || reportedSeen.has(this.notice.id)) return
    // Counted when it is on the screen, not when a long board merely loaded it.
    if (typeof IntersectionObserver === 'undefined') {
      this.reportSeen()
      return
    }
    this.observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          this.observer?.disconnect()
          this.observer = null
          this.reportSeen()
        }
      },
      { threshold: 0.3 },
    )
    this.observer.observe(this)
  }

  private reportSeen(): void {
    const id = this.notice.id
    if (reportedSeen.has(id)) return
    reportedSeen.add(id)
    this.api.markSeen(id).catch(() => reportedSeen.delete(id))
  }

  private react(kind: ReactionKind): Promise<void> {
    const on = !this.notice.myReactions.includes(kind)
    return this.action.run(async () => {
      const counts = await this.api.react(this.notice.id, kind, on)
      this.notice = { ...this.notice, ...counts }
      this.dispatchEvent(new CustomEvent<BoardNotice>(NOTICE_REACTED, { detail: this.notice, bubbles: true, composed: true }))
    })
  }

  private loadStats(): Promise<void> {
    return this.action.run(async () => {
      this.stats = await this.api.noticeStats(this.notice.id)
    })
  }

  private archive(): Promise<void> {
    if (!window.confirm(t('notice.archiveConfirm', { title: this.notice.title }))) return Promise.resolve()
    return this.action.run(async () => {
      await this.api.archiveNotice(this.notice.id)
      this.dispatchEvent(new Event(NOTICE_CHANGED, { bubbles: true, composed: true }))
    })
  }

  private dates(n: BoardNotice): TemplateResult | string {
    if (n.expiresAt !== null) return t('notice.dates', { from: formatDate(n.startsAt), to: formatDate(n.expiresAt) })
    return t('notice.since', { date: formatDate(n.startsAt) })
  }

  private author(n: BoardNotice): TemplateResult | string {
    if (n.origin === 'landlord' || !n.author) return t('notice.byLandlord')
    return n.origin === 'caretaker'
      ? tHtml('notice.byCaretaker', { name: n.author.displayName })
      : tHtml('notice.byResident', { name: n.author.displayName })
  }

  private renderActions(n: BoardNotice): TemplateResult {
    const busy = this.action.busy ? 'true' : 'false'
    const going = n.myReactions.includes('going')
    const thanked = n.myReactions.includes('thanks')
    const live = n.status === 'published' && !this.readonly
    return html`<div class="actions">
      ${live && n.kind === 'event'
        ? html`<button type="button" class="secondary" aria-pressed=${going ? 'true' : 'false'} aria-disabled=${busy} @click=${() => this.react('going')}>
            ${t('notice.going', { count: n.going })}
          </button>`
        : nothing}
      ${live
        ? html`<button type="button" class="secondary" aria-pressed=${thanked ? 'true' : 'false'} aria-disabled=${busy} @click=${() => this.react('thanks')}>
            ${t('notice.thanks', { count: n.thanks })}
          </button>`
        : nothing}
      ${this.viewer === 'caretaker' && n.status !== 'pending'
        ? html`<button type="button" class="secondary" aria-disabled=${busy} @click=${this.loadStats}>${t('notice.showStats')}</button>
            <a class="button secondary" href=${this.api.printNoticeUrl(n.id)} target="_blank" rel="noopener">${t('notice.print')}</a>`
        : nothing}
      ${this.viewer === 'caretaker' && live
        ? html`<button type="button" class="danger" aria-disabled=${busy} @click=${this.archive}>${t('notice.archive')}</button>`
        : nothing}
    </div>`
  }

  override render(): TemplateResult {
    const n = this.notice
    return html`<article class="card kind-${n.kind}" aria-labelledby="title">
      <p class="tags">
        <span class="badge ${n.kind}">${icon(n.kind)}${t(KIND_LABEL[n.kind])}</span>
        ${n.pinned ? html`<span class="badge pinned">${icon('pin', 18)}${t('notice.pinned')}</span>` : nothing}
        ${n.status === 'pending' ? html`<span class="badge status">${t('notice.pending')}</span>` : nothing}
      </p>
      <h3 id="title" dir="auto">${n.title}</h3>
      <p class="meta muted">
        ${this.dates(n)}<br />
        ${this.author(n)}${n.audience.length
          ? html`<br />${tHtml('notice.audience', { entrances: n.audience.join(', ') })}`
          : nothing}
      </p>
      <div class="body" dir="auto">${unsafeHTML(n.bodyHtml)}</div>
      ${n.images.length
        ? html`<div class="images">
            ${n.images.map(
              (img, i) => html`<img
                src=${img.url}
                alt=${t('notice.imageAlt', { n: i + 1, title: n.title })}
                loading="lazy"
                width=${img.width ?? nothing}
                height=${img.height ?? nothing}
              />`,
            )}
          </div>`
        : nothing}
      <div class="alert" role="alert">${this.action.error?.message ?? ''}</div>
      ${this.stats
        ? html`<p class="stats" role="status">
            ${t('notice.stats', { households: this.stats.households, total: this.stats.totalHouseholds })}
          </p>`
        : nothing}
      ${this.offline ? nothing : this.renderActions(n)}
    </article>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-notice-card': PalierNoticeCard
  }
}
