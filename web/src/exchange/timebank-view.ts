// The time bank's durations in the reader's language ("+2 h 30", "45 min"), and the model's
// helpers the page uses, in one import.
import { currentLanguage, t } from '../i18n/locale.js'
import { isRtl } from '../i18n/translate.js'
import { splitMinutes } from './timebank-model.js'

export { householdsMet, pendingRole, type PendingRole } from './timebank-model.js'

/** Minutes as hours and minutes; `signed` puts + before a positive amount (balances, history). */
export function durationText(minutes: number, signed = false): string {
  const d = splitMinutes(minutes, signed)
  // Right to left, the sign would drift away from its number: keep them in one left-to-right
  // isolate (LRI … PDI), so "−2 س" reads as written.
  const signed_ = (n: number | string): string => (isRtl(currentLanguage()) && d.sign ? `\u2066${d.sign}${n}\u2069` : `${d.sign}${n}`)
  if (d.key === 'timebank.duration.m') return t(d.key, { sign: '', hours: d.hours, minutes: signed_(d.minutes) })
  return t(d.key, { sign: '', hours: signed_(d.hours), minutes: d.minutes })
}
