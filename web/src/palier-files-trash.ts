// The trash: what this person deleted and may put back (their household's, their own shared
// files; the caretaker: the library's and the shared space's), each with the day it leaves the
// trash for good. Loaded when first opened.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { FileItem } from './api/types.js'
import { apiContext } from './context.js'
import { SPACE_LABEL, filesQuery, typeKey } from './files/model.js'
import { fileIcon, filesStyles, sizeText } from './files/view.js'
import { LocaleController, formatDate, t } from './i18n/locale.js'
import { paths } from './router/routes.js'
import { ActionController } from './ui/action-controller.js'
import { toFormError } from './ui/errors.js'
import { sharedStyles } from './ui/styles.js'

@customElement('palier-files-trash')
export class PalierFilesTrash extends LitElement {
  static override styles = [
    sharedStyles,
    filesStyles,
    css`
      .list > li {
        display: flex;
        align-items: flex-start;
        padding: 0.75rem 0;
        border-bottom: 1px solid #e4e4e4;
      }
      .list .icon {
        margin-top: 0.2rem;
        margin-inline-end: 0.6rem;
      }
      .list .body {
        flex: 1;
        min-width: 0;
      }
      .list h3 {
        margin-bottom: 0.25rem;
      }
      .list p {
        margin-bottom: 0.25rem;
        font-size: 0.95rem;
      }
      .small {
        min-height: 44px;
        padding: 0.4rem 0.8rem;
        font-size: 1rem;
      }
    `,
  ]

  @consume({ context: apiContext })
  private api!: ApiClient

  @state() private items: FileItem[] = []
  /** What the last action did, with where to find a restored item. */
  @state() private done: { message: string; href: string | null } | null = null

  private readonly locale = new LocaleController(this)
  private readonly action = new ActionController(this)

  private readonly trash = new Task(this, {
    task: async (_args: readonly [], { signal }) => {
      this.items = await this.api.fileTrash({ signal })
      return this.items
    },
    args: () => [] as const,
  })

  private restore(item: FileItem): Promise<void> {
    return this.action.run(async () => {
      const back = await this.api.restoreFile(item.id)
      const folder = back.kind === 'folder' ? back.id : back.parentId
      await this.showDone(t('filesTrash.restored', { name: back.name }), paths.files + filesQuery(back.space, folder))
    })
  }

  private purge(item: FileItem): Promise<void> {
    if (!window.confirm(t('filesTrash.purgeConfirm', { name: item.name }))) return Promise.resolve()
    return this.action.run(async () => {
      await this.api.purgeFile(item.id)
      await this.showDone(t('filesTrash.purged', { name: item.name }), null)
    })
  }

  private async showDone(message: string, href: string | null): Promise<void> {
    this.done = { message, href }
    await this.trash.run()
    await this.updateComplete
    this.renderRoot.querySelector<HTMLElement>('#done')?.focus()
  }

  override render(): TemplateResult {
    return html`
      <h1 tabindex="-1">${t('filesTrash.title')}</h1>
      <p>${t('filesTrash.intro')}</p>
      <div id="done" class="success" role="status" tabindex="-1">
        ${this.done ? html`${this.done.message} ${this.done.href ? html`<a href=${this.done.href}>${t('filesTrash.see')}</a>` : nothing}` : nothing}
      </div>
      <div class="alert" role="alert">${this.action.error?.message ?? ''}</div>
      ${this.trash.render({
        initial: () => html`<p role="status">${t('app.loading')}</p>`,
        pending: () => (this.trash.value ? this.renderList() : html`<p role="status">${t('app.loading')}</p>`),
        error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>
          <button type="button" class="secondary" @click=${() => this.trash.run()}>${t('action.retry')}</button>`,
        complete: () => this.renderList(),
      })}
      <p><a href=${paths.files}>${t('filesTrash.back')}</a></p>
    `
  }

  private renderList(): TemplateResult {
    if (!this.items.length) return html`<p class="muted">${t('filesTrash.empty')}</p>`
    const busy = this.action.busy ? 'true' : 'false'
    return html`<ul class="plain list">
      ${this.items.map(
        (item) => html`<li>
          ${fileIcon(item)}
          <div class="body">
            <h3 class="name" dir="auto">${item.name}</h3>
            <p class="muted">
              ${item.kind === 'folder' ? t('files.type.folder') : html`${t(typeKey(item.mime))} · ${sizeText(item.size)}`} ·
              ${t('filesTrash.in', { space: t(SPACE_LABEL[item.space]) })}
            </p>
            ${item.trashedAt !== null ? html`<p>${t('filesTrash.deletedOn', { date: formatDate(item.trashedAt) })}</p>` : nothing}
            ${item.purgeAt !== null ? html`<p><strong>${t('filesTrash.leavesOn', { date: formatDate(item.purgeAt) })}</strong></p>` : nothing}
            <div class="actions">
              <button type="button" class="small" aria-disabled=${busy} aria-label=${t('filesTrash.restoreNamed', { name: item.name })} @click=${() => this.restore(item)}>
                ${t('filesTrash.restore')}
              </button>
              <button type="button" class="danger small" aria-disabled=${busy} aria-label=${t('filesTrash.purgeNamed', { name: item.name })} @click=${() => this.purge(item)}>
                ${t('filesTrash.purge')}
              </button>
            </div>
          </div>
        </li>`,
      )}
    </ul>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-files-trash': PalierFilesTrash
  }
}
