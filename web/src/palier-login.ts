// Sign in with login and password; links to the two other ways in (invitation, forgotten password).
import { LitElement, html, type TemplateResult } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import type { ApiClient } from './api/client.js'
import { apiContext, sessionContext, type Session } from './context.js'
import { canonicalLogin } from './forms/validation.js'
import { LocaleController, t } from './i18n/locale.js'
import { paths } from './router/routes.js'
import { FormController } from './ui/form-controller.js'
import { sharedStyles } from './ui/styles.js'

@customElement('palier-login')
export class PalierLogin extends LitElement {
  static override styles = sharedStyles

  @consume({ context: apiContext })
  private api!: ApiClient

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: Session

  private readonly locale = new LocaleController(this)
  private readonly form = new FormController(this, { login: '', password: '' })

  private onSubmit(event: Event): void {
    const v = this.form.values
    void this.form.submit(
      event,
      () =>
        this.form.required([
          ['login', 'field.login'],
          ['password', 'field.password'],
        ]),
      async () => this.session.signedIn(await this.api.signIn(canonicalLogin(v.login), v.password)),
    )
  }

  override render(): TemplateResult {
    const f = this.form
    return html`
      <h1 tabindex="-1">${t('login.title')}</h1>
      <form novalidate @submit=${this.onSubmit}>
        ${f.alert()}
        ${f.field('login', { label: t('field.login'), autocomplete: 'username', maxlength: 32 })}
        ${f.field('password', { label: t('field.password'), type: 'password', autocomplete: 'current-password' })}
        ${f.showPasswordToggle()}
        ${f.submitButton(t('login.submit'))}
      </form>
      <p><a href=${paths.reset}>${t('login.forgot')}</a></p>
      <p>${t('login.noAccount')} <a href=${paths.join}>${t('login.join')}</a></p>
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-login': PalierLogin
  }
}
