// Caretaker: the building's flats — add one, import a spreadsheet, and per flat invite, print the
// invitation letter or remove access (see palier-flat-item). Loaded only when opened.
import { LitElement, css, html, type TemplateResult } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import { Task } from '@lit/task'
import type { ApiClient } from './api/client.js'
import type { Flat } from './api/types.js'
import { apiContext } from './context.js'
import { decodeText } from './forms/text-file.js'
import { LocaleController, t, tHtml } from './i18n/locale.js'
import { toFormError } from './ui/errors.js'
import { FormController } from './ui/form-controller.js'
import { sharedStyles } from './ui/styles.js'
import { FLAT_CHANGED } from './palier-flat-item.js'

const EMPTY_FLAT = { label: '', entrance: '', floor: '', door: '' }

/** Reads a chosen file; FileReader rather than Blob.arrayBuffer(), which Safari lacks before 14. */
function readFile(file: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer))
    reader.onerror = () => reject(reader.error ?? new Error('read failed'))
    reader.readAsArrayBuffer(file)
  })
}

@customElement('palier-flats')
export class PalierFlats extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .where {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        margin-inline-end: -0.75rem;
      }
      .where .field {
        flex: 1 1 7rem;
        margin-inline-end: 0.75rem;
      }
    `,
  ]

  @consume({ context: apiContext })
  private api!: ApiClient

  /** What the last action did, announced politely (role="status"). */
  @state() private done: TemplateResult | string = ''
  @state() private file: File | null = null

  private readonly locale = new LocaleController(this)
  private readonly addForm = new FormController(this, EMPTY_FLAT, 'add-error')
  private readonly importForm = new FormController(this, {}, 'import-error')

  private readonly flats = new Task(this, {
    task: (_args: readonly [], { signal }) => this.api.flats({ signal }),
    args: () => [] as const,
  })

  protected override firstUpdated(): void {
    // Items say when a flat or its invitations changed; the list (and its counts) reloads.
    this.renderRoot.addEventListener(FLAT_CHANGED, () => void this.flats.run())
  }

  private onAdd(event: Event): void {
    const v = this.addForm.values
    this.done = ''
    void this.addForm.submit(
      event,
      () => this.addForm.required([['label', 'flats.label']]),
      async () => {
        const flat = await this.api.createFlat({
          label: v.label.trim(),
          entrance: v.entrance.trim(),
          floor: v.floor.trim(),
          door: v.door.trim(),
        })
        this.addForm.reset(EMPTY_FLAT)
        this.done = tHtml('flats.added', { label: flat.label })
        await this.flats.run()
      },
    )
  }

  private onImport(event: Event): void {
    const file = this.file
    this.done = ''
    void this.importForm.submit(
      event,
      () => (file ? null : { field: 'csv', message: t('validation.fileMissing') }),
      async () => {
        const result = await this.api.importFlats(decodeText(await readFile(file!)))
        const input = this.renderRoot.querySelector<HTMLInputElement>('#csv')
        if (input) input.value = ''
        this.file = null
        this.done = t('flats.imported', { count: result.created })
        await this.flats.run()
      },
    )
  }

  override render(): TemplateResult {
    const a = this.addForm
    const i = this.importForm
    const importInvalid = i.error?.field === 'csv'
    return html`
      <h1 tabindex="-1">${t('flats.title')}</h1>
      <p class="success" role="status">${this.done}</p>

      <h2>${t('flats.addHeading')}</h2>
      <form novalidate @submit=${this.onAdd}>
        ${a.alert()}
        ${a.field('label', { label: t('flats.label'), hint: t('flats.labelHint'), autocomplete: 'off', maxlength: 80 })}
        <div class="where">
          ${a.field('entrance', { label: t('flats.entrance'), autocomplete: 'off', optional: true, maxlength: 20 })}
          ${a.field('floor', { label: t('flats.floor'), autocomplete: 'off', optional: true, maxlength: 20 })}
          ${a.field('door', { label: t('flats.door'), autocomplete: 'off', optional: true, maxlength: 20 })}
        </div>
        ${a.submitButton(t('flats.add'))}
      </form>

      <h2>${t('flats.importHeading')}</h2>
      <form novalidate @submit=${this.onImport}>
        ${i.alert()}
        <div class="field">
          <label for="csv">${t('flats.importFile')}</label>
          <p class="hint" id="csv-hint">${t('flats.importHelp')}</p>
          <input
            id="csv"
            name="csv"
            type="file"
            accept=".csv,text/csv,text/plain"
            aria-invalid=${importInvalid ? 'true' : 'false'}
            aria-describedby=${importInvalid ? 'csv-hint import-error' : 'csv-hint'}
            @change=${(e: Event) => (this.file = (e.target as HTMLInputElement).files?.[0] ?? null)}
          />
        </div>
        ${i.submitButton(t('flats.import'))}
      </form>

      <h2>${t('flats.listHeading')}</h2>
      ${this.renderList()}
    `
  }

  private renderList(): TemplateResult {
    const flats = this.flats.value
    if (!flats) {
      return this.flats.render({
        error: (err) => html`<div class="alert" role="alert">${toFormError(err).message}</div>
          <button type="button" class="secondary" @click=${() => this.flats.run()}>${t('action.retry')}</button>`,
        initial: () => html`<p role="status">${t('app.loading')}</p>`,
        pending: () => html`<p role="status">${t('app.loading')}</p>`,
      }) as TemplateResult
    }
    if (flats.length === 0) return html`<p class="muted">${t('flats.empty')}</p>`
    return html`
      <p class="muted">${t('flats.count', { count: flats.filter((f) => f.revokedAt === null).length })}</p>
      <ul class="plain">
        ${flats.map((flat: Flat) => html`<li><palier-flat-item .flat=${flat}></palier-flat-item></li>`)}
      </ul>
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-flats': PalierFlats
  }
}
