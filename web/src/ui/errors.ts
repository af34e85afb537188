// Turns whatever a request threw into the message a person reads. Server messages arrive already
// translated (we send Accept-Language) and are shown as they are.
import { ApiError } from '../api/client.js'
import { t } from '../i18n/locale.js'
import type { MessageKey } from '../i18n/translate.js'

export interface FormError {
  message: string
  /** Name of the input the error is about, if any. */
  field?: string | undefined
}

export function toFormError(err: unknown): FormError {
  if (err instanceof ApiError) {
    if (err.status === 0) return { message: t('error.network') }
    // The server may name the field as a JSON pointer ("/login").
    const field = err.field?.replace(/^\//, '')
    return { message: err.message || t('error.unexpected'), field }
  }
  return { message: t('error.unexpected') }
}

/** A check's finding (validation module) as the message to show. */
export function fromFieldError(error: { field: string; key: MessageKey } | null): FormError | null {
  return error && { field: error.field, message: t(error.key) }
}
