// First run: the caretaker types the one-time setup code from the box's log and creates the
// caretaker account.
import { LitElement, html, type TemplateResult } from 'lit'
import { customElement, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import type { ApiClient } from './api/client.js'
import { apiContext, sessionContext, type Session } from './context.js'
import { newAccountBody, newAccountRequired } from './forms/new-account.js'
import { checkNewAccount } from './forms/validation.js'
import { LocaleController, t } from './i18n/locale.js'
import { newAccountFields } from './ui/account-fields.js'
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
        this.form.required([['code', 'field.setupCode'], ...newAccountRequired]) ?? fromFieldError(checkNewAccount(v)),
      async () => this.session.signedIn(await this.api.setup(newAccountBody(v.code.trim(), v))),
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
        ${newAccountFields(f)}
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
