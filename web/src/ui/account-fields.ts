// Inputs that several forms show the same way: a new password typed twice, and the fields of a
// new account (setup, join).
import { html, type TemplateResult } from 'lit'
import type { NewAccountValues } from '../forms/new-account.js'
import { t } from '../i18n/locale.js'
import type { FormController } from './form-controller.js'

/** A new password and its confirmation; `label` names the first ("Password", "New password"). */
export function newPasswordFields<V extends Record<string, string> & { password: string; confirm: string }>(
  form: FormController<V>,
  label: string,
): TemplateResult {
  return html`
    ${form.field('password', { label, hint: t('field.passwordHint'), type: 'password', autocomplete: 'new-password' })}
    ${form.field('confirm', { label: t('field.passwordConfirm'), type: 'password', autocomplete: 'new-password' })}
  `
}

/** Login, display name, password and confirmation, in that order; the name's hint is optional. */
export function newAccountFields<V extends Record<string, string> & NewAccountValues>(
  form: FormController<V>,
  options: { displayNameHint?: string } = {},
): TemplateResult {
  return html`
    ${form.field('login', { label: t('field.login'), hint: t('field.loginHint'), autocomplete: 'username', maxlength: 32 })}
    ${form.field('displayName', { label: t('field.displayName'), hint: options.displayNameHint, autocomplete: 'nickname', capitalize: 'words', maxlength: 60 })}
    ${newPasswordFields(form, t('field.password'))}
  `
}
