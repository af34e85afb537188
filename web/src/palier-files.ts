// The building's files: the spaces as tabs (library, household, shared), a folder at a time with
// its path, photos as a grid of small previews and other files as a list; adding files with a
// progress bar each, new folders, and renaming, moving or deleting what this person may change.
// Loaded when first opened. The address says where we are (?espace=…&dossier=…), so the back
// button walks back up the folders.
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task, TaskStatus } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { FileItem, FileListing, FileSpace, FileSpaces, FolderRef } from './api/types.js'
import { apiContext, sessionContext, type Session } from './context.js'
import { SPACE_INTRO, SPACE_LABEL, checkFiles, filesQuery, percent, spaceFromSlug, splitListing, thumbnailOf } from './files/model.js'
import { uploadQueue, type UploadEntry, type UploadQueue } from './files/uploads.js'
import { fileDetails, fileIcon, filesStyles, sizeText, usageBar } from './files/view.js'
import { LocaleController, t } from './i18n/locale.js'
import type { MessageKey } from './i18n/translate.js'
import { paths } from './router/routes.js'
import { ActionController } from './ui/action-controller.js'
import { toFormError } from './ui/errors.js'
import { FormController } from './ui/form-controller.js'
import { sharedStyles } from './ui/styles.js'

const PAGE_SIZE = 200

const UPLOAD_STATUS: Readonly<Record<UploadEntry['status'], MessageKey>> = {
  waiting: 'files.upload.waiting',
  sending: 'files.upload.sending',
  retrying: 'files.upload.retrying',
  done: 'files.upload.done',
  failed: 'files.upload.failedShort',
  cancelled: 'files.upload.cancelled',
}

interface Picker {
  /** The folders walked into, from the space's top. */
  trail: FolderRef[]
  folders: FileItem[] | null
  error: string
}

@customElement('palier-files')
export class PalierFiles extends LitElement {
  static override styles = [
    sharedStyles,
    filesStyles,
    css`
      .tabs {
        margin-top: 0;
      }
      .crumbs ol {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        margin: 0 0 0.5rem;
        padding: 0;
        list-style: none;
      }
      .crumbs li + li::before {
        content: '/';
        padding: 0 0.4rem;
        color: #4a4a4a;
      }
      .crumbs a {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
      }
      h2 {
        margin-top: 0.5rem;
      }
      .add {
        margin-bottom: 1.5rem;
        padding: 0.75rem 1rem;
        background: #f6f8fb;
        border: 1px solid #c4c4c4;
        border-radius: 8px;
      }
      .add h3 {
        margin-top: 0.25rem;
      }
      .uploads li {
        padding: 0.6rem 0;
        border-bottom: 1px solid #e4e4e4;
      }
      .uploads .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
      }
      .uploads progress {
        flex: 1 1 8rem;
        height: 1.2rem;
        margin-inline-end: 0.5rem;
      }
      .uploads .pct {
        min-width: 3.5rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      .uploads button {
        margin-inline-start: auto;
      }
      .uploads .failed {
        color: #7a0016;
      }
      .list > li {
        padding: 0.6rem 0;
        border-bottom: 1px solid #e4e4e4;
      }
      .entry {
        display: flex;
        align-items: flex-start;
      }
      .entry .icon {
        margin-top: 0.6rem;
        margin-inline-end: 0.6rem;
      }
      .entry .body {
        flex: 1;
        min-width: 0;
      }
      .entry .body > a {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        font-weight: 600;
      }
      .entry .details {
        margin: 0;
        font-size: 0.95rem;
        color: #4a4a4a;
      }
      .entry .actions {
        margin-top: 0.4rem;
      }
      .small {
        min-height: 44px;
        padding: 0.4rem 0.8rem;
        font-size: 1rem;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
        grid-gap: 0.75rem;
        margin: 0 0 1rem;
        padding: 0;
        list-style: none;
      }
      .grid > li {
        min-width: 0;
      }
      .grid > li.open {
        grid-column: 1 / -1;
      }
      .tile {
        display: block;
        color: inherit;
        text-decoration: none;
      }
      .thumb {
        display: flex;
        align-items: center;
        justify-content: center;
        width: 100%;
        height: 140px;
        overflow: hidden;
        background: #eef0f3;
        border-radius: 6px;
      }
      .thumb img {
        width: 100%;
        height: 100%;
        object-fit: cover;
      }
      .grid > li.open .thumb {
        max-width: 160px;
      }
      .tile .name {
        display: block;
        margin-top: 0.25rem;
        font-size: 0.95rem;
        text-decoration: underline;
        color: #0b4f9c;
      }
      .panel {
        margin-top: 0.5rem;
        padding: 0.75rem;
        background: #f6f8fb;
        border: 1px solid #c4c4c4;
        border-radius: 8px;
      }
      .picker li {
        margin-bottom: 0.4rem;
      }
      .picker button {
        justify-content: flex-start;
        width: 100%;
        text-align: start;
      }
      .picker .icon {
        margin-inline-end: 0.5rem;
      }
      .usage {
        margin-bottom: 0.5rem;
      }
      .more-links {
        margin-top: 2rem;
      }
      /* One line per refused file. */
      .problems {
        white-space: pre-line;
      }
    `,
  ]

  /** The space from the address (`bibliotheque`, `foyer`, `partage`); the library when empty. */
  @property() space = ''
  /** The folder shown, by id; the space's top when empty. */
  @property() folder = ''

  @consume({ context: apiContext })
  private api!: ApiClient

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: Session

  @state() private items: FileItem[] = []
  @state() private next: string | null = null
  @state() private loadingMore = false
  @state() private uploads: UploadEntry[] = []
  @state() private news = ''
  /** The item whose options are open, and which of them. */
  @state() private open: { id: string; mode: 'menu' | 'rename' | 'move' } | null = null
  @state() private picker: Picker | null = null
  @state() private newFolder = false
  @state() private done = ''
  @state() private problem = ''

  private readonly locale = new LocaleController(this)
  private readonly action = new ActionController(this)
  private readonly folderForm = new FormController(this, { folderName: '' }, 'folder-error')
  private readonly renameForm = new FormController(this, { newName: '' }, 'rename-error')
  private queue: UploadQueue | null = null
  private unsubscribe: (() => void) | null = null

  private readonly spaces = new Task(this, {
    task: (_args: readonly [], { signal }): Promise<FileSpaces> => this.api.fileSpaces({ signal }),
    args: () => [] as const,
  })

  private readonly listing = new Task(this, {
    task: async ([space, folder]: readonly [FileSpace, string], { signal }): Promise<FileListing> => {
      const page = await this.api.files({ space, folder: folder || null, limit: PAGE_SIZE }, { signal })
      this.items = page.items
      this.next = page.next
      return page
    },
    args: () => [this.currentSpace, this.folder] as const,
  })

  private get currentSpace(): FileSpace {
    return spaceFromSlug(this.space) ?? 'library'
  }

  /** The listing shown belongs to the address (not the previous folder's, still there while the new one loads). */
  private get shownListing(): FileListing | undefined {
    const value = this.listing.value
    if (!value || value.space !== this.currentSpace || (value.folder?.id ?? '') !== this.folder) return undefined
    return value
  }

  private get writable(): boolean {
    return this.spaces.value?.spaces.find((s) => s.space === this.currentSpace)?.writable ?? false
  }

  override connectedCallback(): void {
    super.connectedCallback()
    const me = this.session.me
    if (me) {
      this.queue = uploadQueue(this.api, me.id)
      this.unsubscribe = this.queue.subscribe(this.onUploads)
      this.uploads = this.queue.entries
    }
  }

  override disconnectedCallback(): void {
    this.unsubscribe?.()
    this.unsubscribe = null
    super.disconnectedCallback()
  }

  protected override willUpdate(changed: PropertyValues): void {
    // Another folder: whatever was open or said belonged to the previous one.
    if (changed.has('space') || changed.has('folder')) {
      this.open = null
      this.picker = null
      this.newFolder = false
      this.done = ''
      this.problem = ''
    }
  }

  private readonly onUploads = (finished: UploadEntry | null): void => {
    this.uploads = this.queue?.entries ?? []
    this.news = this.queue?.news ?? ''
    if (!finished) return
    // The household's room changed, and the folder shown may hold the new file.
    void this.spaces.run()
    if (finished.space === this.currentSpace && (finished.parentId ?? '') === this.folder) void this.listing.run()
  }

  private onChoose(event: Event): void {
    const input = event.target as HTMLInputElement
    const files = Array.from(input.files ?? [])
    // Emptied, so that choosing the same file again still counts as a change.
    input.value = ''
    if (!files.length || !this.queue) return
    const limits = this.spaces.value?.limits
    const { accepted, problems } = limits ? checkFiles(files, limits, this.queue.queuedBytes) : { accepted: files, problems: [] }
    this.done = ''
    this.problem = problems.map((p) => t(p.key, { name: p.name, size: sizeText(p.bytes) })).join('\n')
    if (accepted.length) this.queue.add(accepted, { space: this.currentSpace, parentId: this.folder || null })
  }

  private async loadMore(): Promise<void> {
    if (this.loadingMore || !this.next) return
    this.loadingMore = true
    try {
      const page = await this.api.files({ space: this.currentSpace, folder: this.folder || null, after: this.next, limit: PAGE_SIZE })
      const seen = new Set(this.items.map((i) => i.id))
      this.items = [...this.items, ...page.items.filter((i) => !seen.has(i.id))]
      this.next = page.next
    } catch (err) {
      this.problem = toFormError(err).message
    } finally {
      this.loadingMore = false
    }
  }

  /** Opens or closes an item's options; the focus goes into them, or back to their button. */
  private async toggle(item: FileItem): Promise<void> {
    this.open = this.open?.id === item.id ? null : { id: item.id, mode: 'menu' }
    this.picker = null
    await this.updateComplete
    const target = this.open ? `#panel-${item.id} a, #panel-${item.id} button` : `[data-options="${item.id}"]`
    this.renderRoot.querySelector<HTMLElement>(target)?.focus()
  }

  private async startRename(item: FileItem): Promise<void> {
    this.renameForm.reset({ newName: item.name })
    this.open = { id: item.id, mode: 'rename' }
    await this.updateComplete
    const input = this.renderRoot.querySelector<HTMLInputElement>('#newName')
    input?.focus()
    // Select the name without its extension: that is what people mean to change.
    const dot = item.kind === 'file' ? item.name.lastIndexOf('.') : -1
    input?.setSelectionRange(0, dot > 0 ? dot : item.name.length)
  }

  private onRename(event: Event, item: FileItem): void {
    void this.renameForm.submit(
      event,
      () => this.renameForm.required([['newName', 'files.newName']]),
      async () => {
        const changed = await this.api.changeFile(item.id, { name: this.renameForm.values.newName.trim() })
        await this.afterChange(t('files.renamed', { name: changed.name }))
      },
    )
  }

  private async startMove(item: FileItem): Promise<void> {
    this.open = { id: item.id, mode: 'move' }
    await this.walk([])
  }

  /** Shows the folders inside the last of `trail` (the space's top when empty) in the move picker. */
  private async walk(trail: FolderRef[]): Promise<void> {
    this.picker = { trail, folders: null, error: '' }
    try {
      const page = await this.api.files({ space: this.currentSpace, folder: trail[trail.length - 1]?.id ?? null, limit: 500 })
      if (this.picker?.trail !== trail) return
      this.picker = { trail, folders: page.items.filter((i) => i.kind === 'folder' && i.id !== this.open?.id), error: '' }
    } catch (err) {
      if (this.picker?.trail === trail) this.picker = { trail, folders: [], error: toFormError(err).message }
    }
    await this.updateComplete
    this.renderRoot.querySelector<HTMLElement>('#picker-place')?.focus()
  }

  private moveHere(item: FileItem): Promise<void> {
    const target = this.picker?.trail[this.picker.trail.length - 1] ?? null
    return this.action.run(async () => {
      await this.api.changeFile(item.id, { parentId: target?.id ?? null })
      await this.afterChange(t('files.moved', { name: item.name, folder: target?.name ?? t(SPACE_LABEL[this.currentSpace]) }))
    })
  }

  private trash(item: FileItem): Promise<void> {
    return this.action.run(async () => {
      await this.api.trashFile(item.id)
      await this.afterChange(t('files.trashed', { name: item.name }))
    })
  }

  private onNewFolder(event: Event): void {
    void this.folderForm.submit(
      event,
      () => this.folderForm.required([['folderName', 'files.folderName']]),
      async () => {
        const folder = await this.api.createFolder(this.currentSpace, this.folder || null, this.folderForm.values.folderName.trim())
        this.folderForm.reset({ folderName: '' })
        this.newFolder = false
        await this.afterChange(t('files.folderCreated', { name: folder.name }))
      },
    )
  }

  private async openNewFolder(): Promise<void> {
    this.newFolder = !this.newFolder
    this.folderForm.reset({ folderName: '' })
    await this.updateComplete
    if (this.newFolder) this.renderRoot.querySelector<HTMLElement>('#folderName')?.focus()
  }

  /** After a change: say what happened, show the folder as it is now, and put the focus on its title. */
  private async afterChange(message: string): Promise<void> {
    this.open = null
    this.picker = null
    this.problem = ''
    // Said once the folder shows the change, so what is heard matches what is seen.
    await this.listing.run()
    this.done = message
    await this.updateComplete
    this.renderRoot.querySelector<HTMLElement>('#place')?.focus()
  }

  override render(): TemplateResult {
    const space = this.currentSpace
    const listing = this.shownListing
    return html`
      <h1 tabindex="-1">${t('files.title')}</h1>
      ${this.renderTabs(space)}
      <p class="muted">${t(SPACE_INTRO[space])}</p>
      ${this.renderCrumbs(space, listing)}
      <h2 id="place" tabindex="-1" class="name" dir="auto">${listing?.folder?.name ?? t(SPACE_LABEL[space])}</h2>
      <p class="success" role="status">${this.done}</p>
      <div class="alert problems" role="alert">${this.problem || this.action.error?.message || ''}</div>
      ${this.renderAdd()}
      ${this.renderUploads()}
      ${this.renderListing()}
      <ul class="plain actions more-links">
        <li><a class="button secondary" href=${paths.filesTrash}>${t('files.trashLink')}</a></li>
        ${this.session.me?.role === 'caretaker'
          ? html`<li><a class="button secondary" href=${paths.filesUsage}>${t('files.usageLink')}</a></li>`
          : nothing}
      </ul>
      <p class="visually-hidden" role="status" aria-live="polite">${this.news}</p>
    `
  }

  private renderTabs(current: FileSpace): TemplateResult {
    const spaces = this.spaces.value?.spaces.map((s) => s.space) ?? [current]
    return html`<nav aria-label=${t('files.spaces')}>
      <ul class="plain actions tabs">
        ${spaces.map(
          (s) => html`<li>
            <a class="button ${s === current ? '' : 'secondary'}" href=${paths.files + filesQuery(s)} aria-current=${s === current ? 'page' : 'false'}
              >${t(SPACE_LABEL[s])}</a
            >
          </li>`,
        )}
      </ul>
    </nav>`
  }

  private renderCrumbs(space: FileSpace, listing: FileListing | undefined): TemplateResult | typeof nothing {
    if (!this.folder || !listing?.folder) return nothing
    const here = listing.folder
    const above = listing.path.filter((p) => p.id !== here.id)
    return html`<nav class="crumbs" aria-label=${t('files.breadcrumb')}>
      <ol>
        <li><a href=${paths.files + filesQuery(space)}>${t(SPACE_LABEL[space])}</a></li>
        ${above.map((p) => html`<li><a class="name" dir="auto" href=${paths.files + filesQuery(space, p.id)}>${p.name}</a></li>`)}
        <li><span class="name" dir="auto" aria-current="page">${here.name}</span></li>
      </ol>
    </nav>`
  }

  private renderAdd(): TemplateResult | typeof nothing {
    const info = this.spaces.value
    if (!info) return nothing
    if (!this.writable) return html`<p class="notice">${t('files.readOnly')}</p>`
    const limits = info.limits
    return html`<section class="add" aria-labelledby="add-heading">
      <h3 id="add-heading">${t('files.addHeading')}</h3>
      ${limits.quotaBytes !== null && limits.usedBytes !== null
        ? html`<p class="usage">${t('files.usage', { used: sizeText(limits.usedBytes), quota: sizeText(limits.quotaBytes) })}</p>
            ${usageBar(limits.usedBytes, limits.quotaBytes)}
            <p class="hint">${t('files.usageHint')}</p>`
        : nothing}
      ${limits.uploadsOpen
        ? html`<div class="field">
            <label for="upload">${t('files.choose')}</label>
            <p class="hint" id="upload-hint">${t('files.limitFile', { size: sizeText(limits.maxFileBytes) })}</p>
            <input id="upload" type="file" multiple aria-describedby="upload-hint" @change=${this.onChoose} />
          </div>`
        : html`<p class="notice" role="status">${t('files.paused')}</p>`}
      <button type="button" class="secondary" aria-expanded=${this.newFolder ? 'true' : 'false'} @click=${this.openNewFolder}>
        ${t('files.newFolder')}
      </button>
      ${this.newFolder
        ? html`<form novalidate class="panel" @submit=${this.onNewFolder}>
            ${this.folderForm.alert()}
            ${this.folderForm.field('folderName', { label: t('files.folderName'), autocomplete: 'off', maxlength: 200 })}
            <div class="actions">
              ${this.folderForm.submitButton(t('files.createFolder'))}
              <button type="button" class="secondary" @click=${this.openNewFolder}>${t('action.cancel')}</button>
            </div>
          </form>`
        : nothing}
    </section>`
  }

  private renderUploads(): TemplateResult | typeof nothing {
    if (!this.uploads.length) return nothing
    const finished = this.uploads.some((u) => u.status === 'done' || u.status === 'failed' || u.status === 'cancelled')
    return html`<section aria-labelledby="uploads-heading">
      <h3 id="uploads-heading">${t('files.uploads')}</h3>
      <ul class="plain uploads">
        ${this.uploads.map((u) => {
          const pct = percent(u.sent, u.size)
          const active = u.status === 'waiting' || u.status === 'sending' || u.status === 'retrying'
          const elsewhere = u.space !== this.currentSpace || (u.parentId ?? '') !== this.folder
          return html`<li data-upload=${u.key}>
            <p class="name" style="margin-bottom: 0.25rem"><strong dir="auto">${u.name}</strong> · ${sizeText(u.size)}</p>
            ${elsewhere ? html`<p class="hint">${t('files.upload.elsewhere', { place: t(SPACE_LABEL[u.space]) })}</p>` : nothing}
            <div class="row">
              <progress max="100" .value=${u.status === 'done' ? 100 : pct} aria-label=${t('files.upload.of', { name: u.name })}></progress>
              <span class="pct" aria-hidden="true">${t('files.upload.percent', { percent: u.status === 'done' ? 100 : pct })}</span>
              ${active
                ? html`<button type="button" class="secondary small" aria-label=${t('files.upload.cancelNamed', { name: u.name })} @click=${() => this.queue?.cancel(u.key)}>
                    ${t('action.cancel')}
                  </button>`
                : nothing}
            </div>
            <p class=${u.status === 'failed' ? 'failed' : 'muted'} style="margin: 0.25rem 0 0">${t(UPLOAD_STATUS[u.status])}${u.error ? html` — ${u.error}` : nothing}</p>
          </li>`
        })}
      </ul>
      ${finished
        ? html`<div class="actions"><button type="button" class="secondary small" @click=${() => this.queue?.clearFinished()}>${t('files.upload.clear')}</button></div>`
        : nothing}
    </section>`
  }

  private renderListing(): unknown {
    if (!this.shownListing || this.listing.status === TaskStatus.ERROR) {
      return this.listing.render({
        initial: () => html`<p role="status">${t('app.loading')}</p>`,
        pending: () => html`<p role="status">${t('app.loading')}</p>`,
        error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>
          <div class="actions">
            <button type="button" class="secondary" @click=${() => this.listing.run()}>${t('action.retry')}</button>
            <a class="button secondary" href=${paths.files + filesQuery(this.currentSpace)}>${t(SPACE_LABEL[this.currentSpace])}</a>
          </div>`,
      })
    }
    if (!this.items.length) return html`<p class="muted">${t('files.empty')}</p>`
    const { folders, images, others } = splitListing(this.items)
    return html`
      ${folders.length
        ? html`<h3>${t('files.folders')}</h3>
            <ul class="plain list">${folders.map((f) => this.renderEntry(f))}</ul>`
        : nothing}
      ${images.length
        ? html`<h3>${t('files.images')}</h3>
            <ul class="grid">${images.map((i) => this.renderTile(i))}</ul>`
        : nothing}
      ${others.length
        ? html`<h3>${t('files.documents')}</h3>
            <ul class="plain list">${others.map((f) => this.renderEntry(f))}</ul>`
        : nothing}
      ${this.next
        ? html`<button type="button" class="secondary wide" aria-disabled=${this.loadingMore ? 'true' : 'false'} @click=${this.loadMore}>
            ${this.loadingMore ? t('app.loading') : t('files.more')}
          </button>`
        : nothing}
    `
  }

  /** A folder or a non-image file, as a row of the list. */
  private renderEntry(item: FileItem): TemplateResult {
    const folder = item.kind === 'folder'
    const href = folder ? paths.files + filesQuery(item.space, item.id) : this.api.fileContentUrl(item.id)
    return html`<li>
      <div class="entry">
        ${fileIcon(item)}
        <div class="body">
          <a class="name" dir="auto" href=${href}>${item.name}</a>
          ${folder ? nothing : html`<p class="details">${fileDetails(item)}</p>`}
          ${folder && !item.canChange
            ? nothing
            : html`<div class="actions">
                ${folder
                  ? nothing
                  : html`<a class="button secondary small" href=${this.api.fileContentUrl(item.id, true)} download=${item.name} aria-label=${t('files.downloadNamed', { name: item.name })}
                      >${t('files.download')}</a
                    >`}
                ${item.canChange ? this.optionsButton(item) : nothing}
              </div>`}
          ${this.open?.id === item.id ? this.renderPanel(item) : nothing}
        </div>
      </div>
    </li>`
  }

  /** An image, as a tile of the grid: its preview, or the picture itself when light, else an icon. */
  private renderTile(item: FileItem): TemplateResult {
    const thumb = thumbnailOf(item)
    const src = thumb === 'preview' ? this.api.filePreviewUrl(item.id) : thumb === 'content' ? this.api.fileContentUrl(item.id) : ''
    const open = this.open?.id === item.id
    return html`<li class=${open ? 'open' : ''}>
      <a class="tile" href=${this.api.fileContentUrl(item.id)}>
        <span class="thumb">
          ${src ? html`<img src=${src} alt="" width="160" height="160" loading="lazy" decoding="async" />` : fileIcon(item, 48)}
        </span>
        <span class="name" dir="auto">${item.name}</span>
      </a>
      ${this.optionsButton(item)}
      ${open ? this.renderPanel(item) : nothing}
    </li>`
  }

  private optionsButton(item: FileItem): TemplateResult {
    const open = this.open?.id === item.id
    return html`<button
      type="button"
      class="secondary small"
      aria-expanded=${open ? 'true' : 'false'}
      aria-controls=${open ? `panel-${item.id}` : nothing}
      aria-label=${t('files.optionsNamed', { name: item.name })}
      data-options=${item.id}
      @click=${() => this.toggle(item)}
    >
      ${t('files.options')}
    </button>`
  }

  private renderPanel(item: FileItem): TemplateResult {
    const mode = this.open?.mode ?? 'menu'
    const busy = this.action.busy ? 'true' : 'false'
    if (mode === 'rename') {
      return html`<form id=${`panel-${item.id}`} class="panel" novalidate @submit=${(e: Event) => this.onRename(e, item)}>
        ${this.renameForm.alert()}
        ${this.renameForm.field('newName', { label: t('files.newName'), autocomplete: 'off', maxlength: 200 })}
        <div class="actions">
          ${this.renameForm.submitButton(t('files.rename'))}
          <button type="button" class="secondary" @click=${() => this.toggle(item)}>${t('action.cancel')}</button>
        </div>
      </form>`
    }
    if (mode === 'move') return html`<div id=${`panel-${item.id}`} class="panel">${this.renderPicker(item)}</div>`
    return html`<div id=${`panel-${item.id}`} class="panel">
      <div class="actions">
        ${item.kind === 'file'
          ? html`<a class="button secondary small" href=${this.api.fileContentUrl(item.id, true)} download=${item.name} aria-label=${t('files.downloadNamed', { name: item.name })}
              >${t('files.download')}</a
            >`
          : nothing}
        ${item.canChange
          ? html`<button type="button" class="secondary small" aria-label=${t('files.renameNamed', { name: item.name })} @click=${() => this.startRename(item)}>
                ${t('files.rename')}
              </button>
              <button type="button" class="secondary small" aria-label=${t('files.moveNamed', { name: item.name })} @click=${() => this.startMove(item)}>
                ${t('files.move')}
              </button>
              <button type="button" class="danger small" aria-disabled=${busy} aria-label=${t('files.deleteNamed', { name: item.name })} @click=${() => this.trash(item)}>
                ${t('files.delete')}
              </button>`
          : nothing}
      </div>
    </div>`
  }

  private renderPicker(item: FileItem): TemplateResult {
    const picker = this.picker
    const trail = picker?.trail ?? []
    const here = trail[trail.length - 1]
    const current = (here?.id ?? null) === item.parentId
    const blocked = current || this.action.busy
    return html`<p>${t('files.moveTo', { name: item.name })}</p>
      <p id="picker-place" tabindex="-1" class="name"><strong dir="auto">${here?.name ?? t(SPACE_LABEL[this.currentSpace])}</strong></p>
      ${picker?.error ? html`<div class="alert" role="alert">${picker.error}</div>` : nothing}
      ${!picker || picker.folders === null
        ? html`<p role="status">${t('app.loading')}</p>`
        : html`<ul class="plain picker">
            ${trail.length
              ? html`<li><button type="button" class="secondary small" @click=${() => this.walk(trail.slice(0, -1))}>${t('files.moveUp')}</button></li>`
              : nothing}
            ${picker.folders.map(
              (f) => html`<li>
                <button type="button" class="secondary small" @click=${() => this.walk([...trail, { id: f.id, name: f.name }])}>
                  ${fileIcon(f, 22)}<span class="name" dir="auto">${f.name}</span>
                </button>
              </li>`,
            )}
            ${picker.folders.length ? nothing : html`<li class="muted">${t('files.noSubfolders')}</li>`}
          </ul>`}
      <div class="actions">
        <button type="button" aria-disabled=${blocked ? 'true' : 'false'} @click=${() => (blocked ? undefined : this.moveHere(item))}>
          ${t('files.moveHere')}
        </button>
        <button type="button" class="secondary" @click=${() => this.toggle(item)}>${t('action.cancel')}</button>
      </div>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-files': PalierFiles
  }
}
