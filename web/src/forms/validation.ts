// Checks made before sending a form, so people get an answer at once and in their language.
// They mirror the server's rules (which stay the authority) and return a message key.
import type { MessageKey } from '../i18n/translate.js'

export const MIN_PASSWORD_LENGTH = 8
const LOGIN_PATTERN = /^[\p{L}\p{N}._-]{3,32}$/u

/** An error about one field of a form; `field` is the input's name (and the API's field name). */
export interface FieldError {
  field: string
  key: MessageKey
}

/** Counted in characters as people see them, not UTF-16 units (emoji, Arabic ligatures). */
function length(text: string): number {
  return Array.from(text).length
}

export function canonicalLogin(login: string): string {
  return login.normalize('NFC').trim().toLowerCase()
}

export function checkLogin(login: string): MessageKey | null {
  return LOGIN_PATTERN.test(canonicalLogin(login)) ? null : 'validation.loginInvalid'
}

export function cleanDisplayName(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim()
}

export function checkDisplayName(name: string): MessageKey | null {
  const n = length(cleanDisplayName(name))
  return n >= 1 && n <= 60 ? null : 'validation.displayNameInvalid'
}

/** A new password: long enough, without the login in it, typed twice the same. */
export function checkNewPassword(password: string, confirmation: string, login?: string): FieldError | null {
  if (length(password.normalize('NFC')) < MIN_PASSWORD_LENGTH) return { field: 'password', key: 'validation.passwordTooShort' }
  const canonical = login ? canonicalLogin(login) : ''
  if (canonical.length >= 3 && password.normalize('NFC').toLowerCase().includes(canonical)) {
    return { field: 'password', key: 'validation.passwordIsLogin' }
  }
  if (password !== confirmation) return { field: 'confirm', key: 'validation.passwordMismatch' }
  return null
}

/** What a person typed → the canonical code: upper case, no spaces, a dash every 4 characters. */
export function normalizeCode(input: string): string {
  const bare = input.toUpperCase().replace(/[^A-Z0-9]/g, '')
  return bare.replace(/(.{4})(?=.)/g, '$1-')
}

/** Invitation and reset codes have 3 groups of 4. */
export function isCompleteCode(code: string): boolean {
  return /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(normalizeCode(code))
}

/** The fields of a new account (setup, join), checked in the order the form shows them. */
export function checkNewAccount(values: {
  login: string
  displayName: string
  password: string
  confirm: string
}): FieldError | null {
  const login = checkLogin(values.login)
  if (login) return { field: 'login', key: login }
  const name = checkDisplayName(values.displayName)
  if (name) return { field: 'displayName', key: name }
  return checkNewPassword(values.password, values.confirm, values.login)
}
