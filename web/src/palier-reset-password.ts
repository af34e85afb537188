// A forgotten password: the caretaker gives a one-time reset code, the resident picks a new
// password here, then signs in as usual.
import { LitElement, html, type PropertyValues, type TemplateResult } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import type { ApiClient } from './api/client.js'
import { apiContext } from './context.js'
import { canonicalLogin, checkLogin, checkNewPassword, isCompleteCode, normalizeCode } from './forms/validation.js'
import { LocaleController, t } from './i18n/locale.js'
import { paths } from './router/routes.js'
import { newPasswordFields } from './ui/account-fields.js'
import { fromFieldError } from './ui/errors.js'
import { FormController } from './ui/form-controller.js'
import { sharedStyles } from './ui/styles.js'

@customElement('palier-reset-password')
export class PalierResetPassword extends LitElement {
  static override styles = sharedStyles

  /** A reset code from the address (`?code=`), if the caretaker sent a link. */
  @property() code = ''

  @consume({ context: apiContext })
  private api!: ApiClient

  @state() private done = false

  private readonly locale = new LocaleController(this)
  private readonly form = new FormController(this, { login: '', code: '', password: '', confirm: '' })

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('code') && this.code) this.form.values = { ...this.form.values, code: normalizeCode(this.code) }
  }

  private async onSubmit(event: Event): Promise<void> {
    const v = this.form.values
    const ok = await this.form.submit(
      event,
      () =>
        this.form.required([
          ['login', 'field.login'],
          ['code', 'field.resetCode'],
          ['password', 'field.newPassword'],
          ['confirm', 'field.passwordConfirm'],
        ]) ??
        fromFieldError(checkLogin(v.login) && { field: 'login', key: 'validation.loginInvalid' }) ??
        (isCompleteCode(v.code) ? null : fromFieldError({ field: 'code', key: 'validation.codeIncomplete' })) ??
        fromFieldError(checkNewPassword(v.password, v.confirm, v.login)),
      () => this.api.resetPassword(canonicalLogin(v.login), normalizeCode(v.code), v.password),
    )
    if (ok) {
      this.done = true
      await this.updateComplete
      this.renderRoot.querySelector<HTMLElement>('#done')?.focus()
    }
  }

  override render(): TemplateResult {
    const f = this.form
    if (this.done) {
      return html`
        <h1 tabindex="-1">${t('reset.title')}</h1>
        <p id="done" class="success" role="status" tabindex="-1">${t('reset.done')}</p>
        <a class="button wide" href=${paths.login}>${t('reset.signIn')}</a>
      `
    }
    return html`
      <h1 tabindex="-1">${t('reset.title')}</h1>
      <p>${t('reset.intro')}</p>
      <form novalidate @submit=${this.onSubmit}>
        ${f.alert()}
        ${f.field('login', { label: t('field.login'), autocomplete: 'username', maxlength: 32 })}
        ${f.field('code', { label: t('field.resetCode'), hint: t('field.resetCodeHint'), autocomplete: 'one-time-code', code: true, maxlength: 20 })}
        ${newPasswordFields(f, t('field.newPassword'))}
        ${f.showPasswordToggle()}
        ${f.submitButton(t('reset.submit'))}
      </form>
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-reset-password': PalierResetPassword
  }
}
