// The caretaker's exchange settings as a form shows them (limits in hours, not minutes) and back,
// and how a reported item is named in messages. Plain TypeScript, tested without a browser.
import type { ExchangeSettings, ReportGroup } from '../api/types.js'
import { hoursText, parseHours, type Checked } from './timebank-model.js'

export interface SettingsValues extends Record<string, string> {
  /** 'on' or ''. */
  timeBankEnabled: string
  /** How far below zero a household may go, in hours (a positive number). */
  minHours: string
  maxHours: string
  reportThreshold: string
}

export function settingsValues(s: ExchangeSettings | null, decimalMark = ','): SettingsValues {
  if (!s) return { timeBankEnabled: '', minHours: '', maxHours: '', reportThreshold: '' }
  return {
    timeBankEnabled: s.timeBankEnabled ? 'on' : '',
    minHours: hoursText(s.minBalanceMinutes, decimalMark),
    maxHours: hoursText(s.maxBalanceMinutes, decimalMark),
    reportThreshold: String(s.reportThreshold),
  }
}

/** The form read back as the API's settings; limits at most 1000 hours each way. */
export function checkSettings(v: SettingsValues): Checked<ExchangeSettings> {
  const min = parseHours(v.minHours, 'minHours')
  if (!min.ok) return min
  const max = parseHours(v.maxHours, 'maxHours')
  if (!max.ok) return max
  const threshold = v.reportThreshold.trim()
  if (!/^\d{1,2}$/.test(threshold) || Number(threshold) < 1 || Number(threshold) > 20) {
    return { ok: false, field: 'reportThreshold', key: 'exchangeAdmin.error.threshold' }
  }
  return {
    ok: true,
    value: {
      timeBankEnabled: v.timeBankEnabled === 'on',
      minBalanceMinutes: min.value === 0 ? 0 : -min.value,
      maxBalanceMinutes: max.value,
      reportThreshold: Number(threshold),
    },
  }
}

/** The listing's title, or `aMessage` ("un message") for a reported message. */
export function reportTitle(group: Pick<ReportGroup, 'listing'>, aMessage: string): string {
  return group.listing?.title ?? aMessage
}
