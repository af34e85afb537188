// The fields of a new account, shared by the two ways to create one: the caretaker's first run
// (setup code) and a resident's invitation (invitation code). Only the code differs.
import type { NewAccount } from '../api/types.js'
import type { MessageKey } from '../i18n/translate.js'
import { canonicalLogin, cleanDisplayName } from './validation.js'

/** What the new-account inputs hold, as typed. */
export interface NewAccountValues {
  login: string
  displayName: string
  password: string
  confirm: string
}

/** The required new-account inputs with the label named in "… is required", in form order. */
export const newAccountRequired: [name: keyof NewAccountValues, label: MessageKey][] = [
  ['login', 'field.login'],
  ['displayName', 'field.displayName'],
  ['password', 'field.password'],
  ['confirm', 'field.passwordConfirm'],
]

/** The request body: the code as the caller tidied it, the login and name in canonical form. */
export function newAccountBody(code: string, values: NewAccountValues): NewAccount {
  return {
    code,
    login: canonicalLogin(values.login),
    displayName: cleanDisplayName(values.displayName),
    password: values.password,
  }
}
