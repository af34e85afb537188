// A new notice: the caretaker publishes (any kind, audience, pinned, with a photo); a resident
// proposes an information or an event, which the caretaker may have to approve first. Loaded
// only when opened.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import type { ApiClient } from './api/client.js'
import type { Role } from './api/types.js'
import { apiContext, sessionContext, type Session } from './context.js'
import { checkImage } from './forms/image.js'
import { currentLanguage, LocaleController, t } from './i18n/locale.js'
import { BODY_MAX, EMPTY_NOTICE, KIND_LABEL, TITLE_MAX, checkNotice, entrancesOf, kindsFor, noticeBody, type NoticeValues } from './notices/model.js'
import { navigate } from './router/history.js'
import { paths } from './router/routes.js'
import { fromFieldError } from './ui/errors.js'
import { FormController } from './ui/form-controller.js'
import { sharedStyles } from './ui/styles.js'

@customElement('palier-notice-form')
export class PalierNoticeForm extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .dates {
        display: flex;
        flex-wrap: wrap;
        margin-inline-end: -0.75rem;
      }
      .dates .field {
        flex: 1 1 10rem;
        margin-inline-end: 0.75rem;
      }
      .help {
        margin-bottom: 1.1rem;
      }
      .help summary {
        min-height: 44px;
        padding: 0.6rem 0;
        font-weight: 600;
        color: #0b4f9c;
        cursor: pointer;
      }
      .help ul {
        margin: 0 0 0.5rem;
        padding-inline-start: 1.25rem;
        line-height: 1.6;
      }
      code {
        font-size: 1rem;
        background: #f0f0f0;
        padding: 0 0.2rem;
        direction: ltr;
        unicode-bidi: isolate;
      }
    `,
  ]

  @consume({ context: apiContext })
  private api!: ApiClient

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: Session

  @state() private entrances: string[] = []
  @state() private audience: string[] = []
  @state() private pinned = false
  @state() private image: File | null = null

  private readonly locale = new LocaleController(this)
  private readonly form = new FormController<NoticeValues>(this, { ...EMPTY_NOTICE })

  private get viewerRole(): Role {
    return this.session.me?.role ?? 'resident'
  }

  override connectedCallback(): void {
    super.connectedCallback()
    if (this.viewerRole === 'caretaker') void this.loadEntrances()
  }

  private async loadEntrances(): Promise<void> {
    try {
      this.entrances = entrancesOf(await this.api.flats(), currentLanguage())
    } catch {
      this.entrances = [] // the notice then goes to the whole building
    }
  }

  private toggleEntrance(entrance: string, on: boolean): void {
    this.audience = on ? [...this.audience, entrance] : this.audience.filter((e) => e !== entrance)
  }

  private onSubmit(event: Event): void {
    const role = this.viewerRole
    const image = this.image
    void this.form.submit(
      event,
      () => fromFieldError(checkNotice(this.form.values, role)) ?? (image ? fromFieldError(imageError(image)) : null),
      async () => {
        const notice = await this.api.createNotice(noticeBody(this.form.values, { role, pinned: this.pinned, audience: this.audience }))
        let done: string = notice.status === 'pending' ? 'pending' : 'published'
        if (image) {
          try {
            await this.api.uploadNoticeImage(notice.id, image)
          } catch {
            done = 'image-failed'
          }
        }
        navigate(`${paths.board}?ok=${done}`)
      },
    )
  }

  override render(): TemplateResult {
    const f = this.form
    const role = this.viewerRole
    const caretaker = role === 'caretaker'
    const imageInvalid = f.error?.field === 'image'
    return html`
      <h1 tabindex="-1">${t(caretaker ? 'noticeForm.title' : 'noticeForm.proposeTitle')}</h1>
      ${caretaker ? nothing : html`<p>${t('noticeForm.proposeIntro')}</p>`}
      <form novalidate @submit=${this.onSubmit}>
        ${f.alert()}
        ${f.radios('kind', { legend: t('noticeForm.kind'), options: kindsFor(role).map((k) => [k, t(KIND_LABEL[k])] as const) })}
        ${f.field('title', { label: t('noticeForm.titleLabel'), autocomplete: 'off', maxlength: TITLE_MAX })}
        ${f.textarea('body', { label: t('noticeForm.body'), hint: t('noticeForm.bodyHint'), autocomplete: 'off', maxlength: BODY_MAX, rows: 7 })}
        <details class="help">
          <summary>${t('noticeForm.helpTitle')}</summary>
          <ul>
            <li>${t('noticeForm.helpParagraphs')}</li>
            <li>${t('noticeForm.helpList')} <code>- </code></li>
            <li>${t('noticeForm.helpBold')} <code>**…**</code></li>
            <li>${t('noticeForm.helpLink')} <code>[…](https://…)</code></li>
          </ul>
        </details>
        <div class="dates">
          ${f.field('startsOn', { label: t('noticeForm.startsOn'), type: 'date', autocomplete: 'off', optional: true, hint: t('noticeForm.startsOnHint') })}
          ${f.field('endsOn', { label: t('noticeForm.endsOn'), type: 'date', autocomplete: 'off', optional: true, hint: t('noticeForm.endsOnHint') })}
        </div>
        ${caretaker ? this.renderCaretakerFields(imageInvalid) : nothing}
        ${f.submitButton(t(caretaker ? 'noticeForm.publish' : 'noticeForm.propose'))}
      </form>
      <p><a href=${paths.board}>${t('noticeForm.back')}</a></p>
    `
  }

  private renderCaretakerFields(imageInvalid: boolean): TemplateResult {
    return html`
      ${this.entrances.length > 1
        ? html`<fieldset class="choices">
            <legend>${t('noticeForm.audience')}</legend>
            <p class="hint">${t('noticeForm.audienceHint')}</p>
            ${this.entrances.map(
              (e, i) => html`<label class="check" for=${`entrance-${i}`}>
                <input
                  id=${`entrance-${i}`}
                  type="checkbox"
                  .checked=${this.audience.includes(e)}
                  @change=${(ev: Event) => this.toggleEntrance(e, (ev.target as HTMLInputElement).checked)}
                />
                ${t('noticeForm.entrance', { entrance: e })}
              </label>`,
            )}
          </fieldset>`
        : nothing}
      <label class="check" for="pinned">
        <input id="pinned" type="checkbox" .checked=${this.pinned} @change=${(e: Event) => (this.pinned = (e.target as HTMLInputElement).checked)} />
        ${t('noticeForm.pinned')}
      </label>
      <div class="field">
        <label for="image">${t('form.optional', { label: t('noticeForm.image') })}</label>
        <p class="hint" id="image-hint">${t('noticeForm.imageHint')}</p>
        <input
          id="image"
          name="image"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          aria-invalid=${imageInvalid ? 'true' : 'false'}
          aria-describedby=${imageInvalid ? 'image-hint form-error' : 'image-hint'}
          @change=${(e: Event) => (this.image = (e.target as HTMLInputElement).files?.[0] ?? null)}
        />
      </div>
    `
  }
}

function imageError(file: File): { field: string; key: ReturnType<typeof checkImage> & string } | null {
  const key = checkImage(file)
  return key ? { field: 'image', key } : null
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-notice-form': PalierNoticeForm
  }
}
