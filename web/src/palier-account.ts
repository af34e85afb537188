// "My account": who I am here, and changing my password.
import { LitElement, html, nothing, type TemplateResult } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import type { ApiClient } from './api/client.js'
import { apiContext, sessionContext, type Session } from './context.js'
import { checkNewPassword } from './forms/validation.js'
import { LocaleController, t, tHtml } from './i18n/locale.js'
import { newPasswordFields } from './ui/account-fields.js'
import { fromFieldError } from './ui/errors.js'
import { FormController } from './ui/form-controller.js'
import { sharedStyles } from './ui/styles.js'

const EMPTY = { currentPassword: '', password: '', confirm: '' }

@customElement('palier-account')
export class PalierAccount extends LitElement {
  static override styles = sharedStyles

  @consume({ context: apiContext })
  private api!: ApiClient

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: Session

  @state() private changed = false

  private readonly locale = new LocaleController(this)
  private readonly form = new FormController(this, EMPTY)

  private async onSubmit(event: Event): Promise<void> {
    const v = this.form.values
    this.changed = false
    const ok = await this.form.submit(
      event,
      () =>
        this.form.required([
          ['currentPassword', 'field.currentPassword'],
          ['password', 'field.newPassword'],
          ['confirm', 'field.passwordConfirm'],
        ]) ?? fromFieldError(checkNewPassword(v.password, v.confirm, this.session.me?.login)),
      () => this.api.changePassword(v.currentPassword, v.password),
    )
    if (ok) {
      this.form.reset(EMPTY)
      this.changed = true
    }
  }

  override render(): TemplateResult {
    const me = this.session.me
    if (!me) return html``
    const f = this.form
    return html`
      <h1 tabindex="-1">${t('account.title')}</h1>
      <div class="card">
        <p>${tHtml('account.displayName', { name: me.displayName })}</p>
        <p>${tHtml('account.login', { login: me.login })}</p>
        ${me.flat ? html`<p>${tHtml('account.flat', { flat: me.flat.label })}</p>` : html`<p>${t('account.caretaker')}</p>`}
      </div>
      <h2>${t('account.changePassword')}</h2>
      <div class="success" role="status">${this.changed ? t('account.passwordChanged') : nothing}</div>
      <form novalidate @submit=${this.onSubmit}>
        ${f.alert()}
        <!-- Tells password managers whose password this is; not shown. -->
        <input type="text" name="username" autocomplete="username" .value=${me.login} hidden />
        ${f.field('currentPassword', { label: t('field.currentPassword'), type: 'password', autocomplete: 'current-password' })}
        ${newPasswordFields(f, t('field.newPassword'))}
        ${f.showPasswordToggle()}
        ${f.submitButton(t('account.submit'))}
      </form>
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-account': PalierAccount
  }
}
