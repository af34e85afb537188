// The state every form shares — values, the error shown, "sending…" — and the markup of its
// inputs. Labels and inputs are rendered into the host's own shadow root: a <label for> cannot
// point across shadow roots. Errors go to one role="alert" region that the faulty input names in
// aria-describedby, and focus moves to that input.
import { html, nothing, type ReactiveController, type ReactiveElement, type TemplateResult } from 'lit'
import { ifDefined } from 'lit/directives/if-defined.js'
import { live } from 'lit/directives/live.js'
import { t } from '../i18n/locale.js'
import type { MessageKey } from '../i18n/translate.js'
import { toFormError, type FormError } from './errors.js'

export interface FieldOptions {
  label: string
  type?: 'text' | 'password' | 'date' | 'search'
  /** Always set one: password managers and phone keyboards rely on it. */
  autocomplete: string
  hint?: string
  /** Code inputs: big monospace capitals, no spelling correction. */
  code?: boolean
  /** Optional fields say so in their label; the others are required. */
  optional?: boolean
  maxlength?: number
  /** Names: capital initials on phone keyboards. */
  capitalize?: 'words'
}

export class FormController<V extends Record<string, string>> implements ReactiveController {
  values: V
  error: FormError | null = null
  busy = false
  showPassword = false
  private readonly host: ReactiveElement
  private readonly errorId: string

  constructor(host: ReactiveElement, initial: V, errorId = 'form-error') {
    this.host = host
    this.values = initial
    this.errorId = errorId
    host.addController(this)
  }

  hostConnected(): void {}

  set(name: keyof V & string, value: string): void {
    this.values = { ...this.values, [name]: value }
    this.host.requestUpdate()
  }

  reset(values: V): void {
    this.values = values
    this.error = null
    this.host.requestUpdate()
  }

  /** The first empty required field, as an error naming it. */
  required(fields: readonly [name: keyof V & string, label: MessageKey][]): FormError | null {
    for (const [name, label] of fields) {
      if (!this.values[name]?.trim()) return { field: name, message: t('validation.required', { field: t(label) }) }
    }
    return null
  }

  /**
   * Runs `action` unless `check` finds a problem; an error thrown by `action` is shown too.
   * Returns whether the action succeeded.
   */
  async submit(event: Event, check: () => FormError | null, action: () => Promise<void>): Promise<boolean> {
    event.preventDefault()
    if (this.busy) return false
    const problem = check()
    if (problem) {
      await this.fail(problem)
      return false
    }
    this.busy = true
    this.error = null
    this.host.requestUpdate()
    try {
      await action()
      return true
    } catch (err) {
      await this.fail(toFormError(err))
      return false
    } finally {
      this.busy = false
      this.host.requestUpdate()
    }
  }

  async fail(error: FormError): Promise<void> {
    this.error = error
    this.host.requestUpdate()
    await this.host.updateComplete
    if (error.field) {
      const input = this.host.renderRoot.querySelector<HTMLElement>(`[name="${CSS.escape(error.field)}"]`)
      input?.focus()
    }
  }

  field(name: keyof V & string, o: FieldOptions): TemplateResult {
    const invalid = this.error?.field === name
    const hintId = o.hint ? `${name}-hint` : ''
    const describedBy = [hintId, invalid ? this.errorId : ''].filter(Boolean).join(' ')
    const type = o.type === 'password' && this.showPassword ? 'text' : (o.type ?? 'text')
    return html`<div class="field">
      <label for=${name}>${o.optional ? t('form.optional', { label: o.label }) : o.label}</label>
      ${o.hint ? html`<p class="hint" id=${hintId}>${o.hint}</p>` : nothing}
      <input
        id=${name}
        name=${name}
        type=${type}
        class=${o.code ? 'code-input' : ''}
        .value=${live(this.values[name] ?? '')}
        autocomplete=${o.autocomplete}
        autocapitalize=${o.code ? 'characters' : (o.capitalize ?? 'none')}
        autocorrect="off"
        spellcheck="false"
        dir=${ifDefined(o.code ? 'ltr' : undefined)}
        maxlength=${ifDefined(o.maxlength)}
        aria-required=${o.optional ? 'false' : 'true'}
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby=${ifDefined(describedBy || undefined)}
        @input=${(e: Event) => this.set(name, (e.target as HTMLInputElement).value)}
      />
    </div>`
  }

  /** A multi-line input (notice body, description), described like `field`. */
  textarea(name: keyof V & string, o: Omit<FieldOptions, 'type' | 'code' | 'capitalize'> & { rows?: number; hintId?: string }): TemplateResult {
    const invalid = this.error?.field === name
    const hintId = o.hintId ?? (o.hint ? `${name}-hint` : '')
    const describedBy = [hintId, invalid ? this.errorId : ''].filter(Boolean).join(' ')
    return html`<div class="field">
      <label for=${name}>${o.optional ? t('form.optional', { label: o.label }) : o.label}</label>
      ${o.hint ? html`<p class="hint" id=${hintId}>${o.hint}</p>` : nothing}
      <textarea
        id=${name}
        name=${name}
        rows=${o.rows ?? 5}
        .value=${live(this.values[name] ?? '')}
        autocomplete=${o.autocomplete}
        autocapitalize="sentences"
        maxlength=${ifDefined(o.maxlength)}
        aria-required=${o.optional ? 'false' : 'true'}
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby=${ifDefined(describedBy || undefined)}
        @input=${(e: Event) => this.set(name, (e.target as HTMLTextAreaElement).value)}
      ></textarea>
    </div>`
  }

  /**
   * A choice among a few options as radio buttons in a fieldset: every option visible, each a
   * large target. The group's name is the field's (errors focus its first radio).
   */
  radios(name: keyof V & string, o: { legend: string; options: readonly (readonly [value: string, label: string])[]; hint?: string }): TemplateResult {
    const invalid = this.error?.field === name
    const hintId = o.hint ? `${name}-hint` : ''
    const describedBy = [hintId, invalid ? this.errorId : ''].filter(Boolean).join(' ')
    return html`<fieldset class="choices" aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${ifDefined(describedBy || undefined)}>
      <legend>${o.legend}</legend>
      ${o.hint ? html`<p class="hint" id=${hintId}>${o.hint}</p>` : nothing}
      ${o.options.map(
        ([value, label]) => html`<label class="check" for=${`${name}-${value}`}>
          <input
            id=${`${name}-${value}`}
            type="radio"
            name=${name}
            .value=${value}
            .checked=${live(this.values[name] === value)}
            @change=${() => this.set(name, value)}
          />
          ${label}
        </label>`,
      )}
    </fieldset>`
  }

  /** "Show the password": typing blind on a phone is where most sign-ups go wrong. */
  showPasswordToggle(): TemplateResult {
    return html`<label class="check" for="show-password">
      <input
        id="show-password"
        type="checkbox"
        .checked=${this.showPassword}
        @change=${(e: Event) => {
          this.showPassword = (e.target as HTMLInputElement).checked
          this.host.requestUpdate()
        }}
      />
      ${t('form.showPassword')}
    </label>`
  }

  /** The alert region; always in the page so screen readers announce what appears in it. */
  alert(): TemplateResult {
    return html`<div id=${this.errorId} class="alert" role="alert">${this.error?.message ?? ''}</div>`
  }

  submitButton(label: string): TemplateResult {
    // aria-disabled, not disabled: a disabled button would drop the keyboard focus to <body>.
    return html`<button type="submit" class="wide" aria-disabled=${this.busy ? 'true' : 'false'}>
      ${this.busy ? t('form.sending') : label}
    </button>`
  }
}
