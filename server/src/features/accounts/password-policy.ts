// What makes a password acceptable: long enough, not on the list of common passwords, not the
// login. The list ships with the code and is loaded once, lazily.
import { readFileSync } from 'node:fs'
import createError from '@fastify/error'
import { withDetails } from '../../lib/errors.js'
import { canonicalLogin } from './store.js'

const PasswordTooShortError = createError('PALIER_PASSWORD_TOO_SHORT', 'password too short', 400)
const PasswordTooCommonError = createError('PALIER_PASSWORD_TOO_COMMON', 'password too common', 400)
const PasswordIsLoginError = createError('PALIER_PASSWORD_IS_LOGIN', 'password contains the login', 400)

export const MIN_PASSWORD_LENGTH = 8

let common: Set<string> | undefined
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  )
  return common
}

/** Throws the domain error that says what is wrong with the password, naming `field`. */
export function checkPassword(password: string, login: string, field = 'password'): void {
  if ([...password.normalize('NFC')].length < MIN_PASSWORD_LENGTH) throw withDetails(new PasswordTooShortError(), { field })
  const lower = password.normalize('NFC').toLowerCase()
  const canonical = canonicalLogin(login)
  if (canonical.length >= 3 && lower.includes(canonical)) throw withDetails(new PasswordIsLoginError(), { field })
  if (commonPasswords().has(lower) || commonPasswords().has(lower.replace(/[\s!.?]+$/u, ''))) {
    throw withDetails(new PasswordTooCommonError(), { field })
  }
}
