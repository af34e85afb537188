// Joining with the code of an invitation letter. The letter's QR code opens
// /rejoindre?code=XXXX-XXXX-XXXX, so the code is usually already filled in.
import { LitElement, html, type PropertyValues, type TemplateResult } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import type { ApiClient } from './api/client.js'
import { apiContext, sessionContext, type Session } from './context.js'
import { newAccountBody, newAccountRequired } from './forms/new-account.js'
import { checkNewAccount, isCompleteCode, normalizeCode } from './forms/validation.js'
import { LocaleController, t } from './i18n/locale.js'
import { paths } from './router/routes.js'
import { newAccountFields } from './ui/account-fields.js'
import { fromFieldError } from './ui/errors.js'
import { FormController } from './ui/form-controller.js'
import { sharedStyles } from './ui/styles.js'

@customElement('palier-join')
export class PalierJoin extends LitElement {
  static override styles = sharedStyles

  /** The invitation code from the address (`?code=`), put in the form as is, tidied up. */
  @property() code = ''

  @consume({ context: apiContext })
  private api!: ApiClient

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session!: Session

  private readonly locale = new LocaleController(this)
  private readonly form = new FormController(this, { code: '', login: '', displayName: '', password: '', confirm: '' })

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('code') && this.code) this.form.values = { ...this.form.values, code: normalizeCode(this.code) }
  }

  private onSubmit(event: Event): void {
    const v = this.form.values
    void this.form.submit(
      event,
      () =>
        this.form.required([['code', 'field.inviteCode'], ...newAccountRequired]) ??
        (isCompleteCode(v.code) ? null : fromFieldError({ field: 'code', key: 'validation.codeIncomplete' })) ??
        fromFieldError(checkNewAccount(v)),
      async () => this.session.signedIn(await this.api.join(newAccountBody(normalizeCode(v.code), v))),
    )
  }

  override render(): TemplateResult {
    const f = this.form
    return html`
      <h1 tabindex="-1">${t('join.title')}</h1>
      <p>${t('join.intro')}</p>
      <form novalidate @submit=${this.onSubmit}>
        ${f.alert()}
        ${f.field('code', { label: t('field.inviteCode'), hint: t('field.inviteCodeHint'), autocomplete: 'one-time-code', code: true, maxlength: 20 })}
        ${newAccountFields(f, { displayNameHint: t('field.displayNameHint') })}
        ${f.showPasswordToggle()}
        ${f.submitButton(t('join.submit'))}
      </form>
      <p>${t('join.haveAccount')} <a href=${paths.login}>${t('login.submit')}</a></p>
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palier-join': PalierJoin
  }
}
