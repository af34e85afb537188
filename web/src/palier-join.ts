// Joining with the code of an invitation letter. The letter's QR code opens
// /rejoindre?code=XXXX-XXXX-XXXX, so the code is usually already filled in.
import { LitElement, html, type PropertyValues, type TemplateResult } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { consume } from '@lit/context'
import type { ApiClient } from './api/client.js'
import { apiContext, sessionContext, type Session } from './context.js'
import { canonicalLogin, checkNewAccount, cleanDisplayName, isCompleteCode, normalizeCode } from './forms/validation.js'
import { LocaleController, t } from './i18n/locale.js'
import { paths } from './router/routes.js'
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
        this.form.required([
          ['code', 'field.inviteCode'],
          ['login', 'field.login'],
          ['displayName', 'field.displayName'],
          ['password', 'field.password'],
          ['confirm', 'field.passwordConfirm'],
        ]) ??
        (isCompleteCode(v.code) ? null : fromFieldError({ field: 'code', key: 'validation.codeIncomplete' })) ??
        fromFieldError(checkNewAccount(v)),
      async () => {
        const me = await this.api.join({
          code: normalizeCode(v.code),
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
      <h1 tabindex="-1">${t('join.title')}</h1>
      <p>${t('join.intro')}</p>
      <form novalidate @submit=${this.onSubmit}>
        ${f.alert()}
        ${f.field('code', { label: t('field.inviteCode'), hint: t('field.inviteCodeHint'), autocomplete: 'one-time-code', code: true, maxlength: 20 })}
        ${f.field('login', { label: t('field.login'), hint: t('field.loginHint'), autocomplete: 'username', maxlength: 32 })}
        ${f.field('displayName', { label: t('field.displayName'), hint: t('field.displayNameHint'), autocomplete: 'nickname', capitalize: 'words', maxlength: 60 })}
        ${f.field('password', { label: t('field.password'), hint: t('field.passwordHint'), type: 'password', autocomplete: 'new-password' })}
        ${f.field('confirm', { label: t('field.passwordConfirm'), type: 'password', autocomplete: 'new-password' })}
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
