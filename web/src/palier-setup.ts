// First run: the caretaker types the one-time setup code from the box's log and creates the
// caretaker account.
import { LitElement, html, type TemplateResult } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import type { ApiClient } from './api/client.js'
import { apiContext, sessionContext, type Session } from './context.js'
import { canonicalLogin, checkNewAccount, cleanDisplayName } from './forms/validation.js'
import { LocaleController, t } from './i18n/locale.js'
import { fromFieldError } from './ui/errors.js'
import { FormController } from './ui/form-controller.js'
import { sharedStyles } from './ui/styles.js'

@customElement('palier-setup')
export class PalierSetup extends LitElement {
  static override styles = sharedStyles

  @consume({ context: apiContext })
  private api!: ApiClient

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: Session

  private readonly locale = new LocaleController(this)
  private readonly form = new FormController(this, { code: '', login: '', displayName: '', password: '', confirm: '' })

  private onSubmit(event: Event): void {
    const v = this.form.values
    void this.form.submit(
      event,
      () =>
        this.form.required([
          ['code', 'field.setupCode'],
          ['login', 'field.login'],
          ['displayName', 'field.displayName'],
          ['password', 'field.password'],
          ['confirm', 'field.passwordConfirm'],
        ]) ?? fromFieldError(checkNewAccount(v)),
      async () => {
        const me = await this.api.setup({
          code: v.code.trim(),
          login: canonicalLogin(v.login),
          displayName: cleanDisplayName(v.displayName),
          password: v.password,
        })
        this.session.signedIn(me)
      },
    )
  }

  override render(): TemplateResult {
    const f = this.form
    return html`
      <h1 tabindex="-1">${t('setup.title')}</h1>
      <p>${t('setup.intro')}</p>
      <form novalidate @submit=${this.onSubmit}>
        ${f.alert()}
        ${f.field('code', { label: t('field.setupCode'), hint: t('setup.codeHelp'), autocomplete: 'one-time-code', code: true, maxlength: 64 })}
        ${f.field('login', { label: t('field.login'), hint: t('field.loginHint'), autocomplete: 'username', maxlength: 32 })}
        ${f.field('displayName', { label: t('field.displayName'), autocomplete: 'nickname', capitalize: 'words', maxlength: 60 })}
        ${f.field('password', { label: t('field.password'), hint: t('field.passwordHint'), type: 'password', autocomplete: 'new-password' })}
        ${f.field('confirm', { label: t('field.passwordConfirm'), type: 'password', autocomplete: 'new-password' })}
        ${f.showPasswordToggle()}
        ${f.submitButton(t('setup.submit'))}
      </form>
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-setup': PalierSetup
  }
}
