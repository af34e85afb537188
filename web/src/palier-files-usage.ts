// The caretaker's view of the room the files take: the box's disk and its reserve, the library,
// the shared space, and each household against its quota. Loaded when first opened.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { FileUsage } from './api/types.js'
import { apiContext } from './context.js'
import { sizeText, usageBar, filesStyles } from './files/view.js'
import { LocaleController, t } from './i18n/locale.js'
import { paths } from './router/routes.js'
import { toFormError } from './ui/errors.js'
import { sharedStyles } from './ui/styles.js'

@customElement('palier-files-usage')
export class PalierFilesUsage extends LitElement {
  static override styles = [
    sharedStyles,
    filesStyles,
    css`
      .households li {
        padding: 0.5rem 0;
        border-bottom: 1px solid #e4e4e4;
      }
      .households p {
        margin-bottom: 0.1rem;
      }
      .households .bar {
        margin-bottom: 0.25rem;
      }
    `,
  ]

  @consume({ context: apiContext })
  private api!: ApiClient

  private readonly locale = new LocaleController(this)

  private readonly usage = new Task(this, {
    task: (_args: readonly [], { signal }) => this.api.fileUsage({ signal }),
    args: () => [] as const,
  })

  override render(): TemplateResult {
    return html`
      <h1 tabindex="-1">${t('filesUsage.title')}</h1>
      ${this.usage.render({
        initial: () => html`<p role="status">${t('app.loading')}</p>`,
        pending: () => html`<p role="status">${t('app.loading')}</p>`,
        error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>
          <button type="button" class="secondary" @click=${() => this.usage.run()}>${t('action.retry')}</button>`,
        complete: (usage) => this.renderUsage(usage),
      })}
      <p><a href=${paths.files}>${t('filesTrash.back')}</a></p>
    `
  }

  private renderUsage(u: FileUsage): TemplateResult {
    const used = Math.max(0, u.disk.totalBytes - u.disk.freeBytes)
    const full = u.disk.freeBytes < u.disk.reserveBytes
    return html`
      <h2>${t('filesUsage.disk')}</h2>
      <p>${t('filesUsage.diskLine', { used: sizeText(used), total: sizeText(u.disk.totalBytes), free: sizeText(u.disk.freeBytes) })}</p>
      ${usageBar(used, u.disk.totalBytes)}
      <p class="hint">${t('filesUsage.reserve', { reserve: sizeText(u.disk.reserveBytes) })}</p>
      ${full ? html`<p class="alert">${t('filesUsage.full')}</p>` : nothing}
      <h2>${t('filesUsage.spacesHeading')}</h2>
      <ul class="plain">
        <li>${t('filesUsage.spaceLine', { space: t('files.space.library'), used: sizeText(u.library.usedBytes), count: u.library.files })}</li>
        <li>${t('filesUsage.spaceLine', { space: t('files.space.shared'), used: sizeText(u.shared.usedBytes), count: u.shared.files })}</li>
      </ul>
      <h2>${t('filesUsage.households')}</h2>
      ${u.households.length
        ? html`<ul class="plain households">
            ${u.households.map(
              (h) => html`<li>
                <p><strong class="name" dir="auto">${h.label}</strong></p>
                <p>${t('files.usage', { used: sizeText(h.usedBytes), quota: sizeText(h.quotaBytes) })} · ${t('filesUsage.files', { count: h.files })}</p>
                ${usageBar(h.usedBytes, h.quotaBytes)}
              </li>`,
            )}
          </ul>`
        : html`<p class="muted">${t('filesUsage.noHouseholds')}</p>`}
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-files-usage': PalierFilesUsage
  }
}
