// The time bank's arithmetic and bookkeeping, apart from the page so tests run it in Node:
// minutes shown as hours and minutes, the form's hours+minutes read back, and the idempotency
// key that makes a retried (or double-tapped) transfer harmless.
import type { HouseholdRef, Transfer } from '../api/types.js'
import type { MessageKey } from '../i18n/translate.js'

/** The longest transfer the API takes (100 hours). */
export const MAX_TRANSFER_MINUTES = 6000

export interface Duration {
  /** '−' (U+2212) below zero, '+' above it when asked for, '' for zero. */
  sign: string
  hours: number
  /** 0–59, two digits when after hours. */
  minutes: string
  /** Which message writes it: hours and minutes, hours only, minutes only. */
  key: 'timebank.duration.hm' | 'timebank.duration.h' | 'timebank.duration.m'
}

/** 150 → "2 h 30" (with `signed`: "+2 h 30"; −90 → "−1 h 30"; 0 → "0 h"), through the catalogue. */
export function splitMinutes(total: number, signed = false): Duration {
  const abs = Math.abs(Math.round(total))
  const sign = abs === 0 ? '' : total < 0 ? '−' : signed ? '+' : ''
  const hours = Math.floor(abs / 60)
  const rest = abs % 60
  if (hours === 0 && rest > 0) return { sign, hours: 0, minutes: String(rest), key: 'timebank.duration.m' }
  if (rest === 0) return { sign, hours, minutes: '0', key: 'timebank.duration.h' }
  return { sign, hours, minutes: String(rest).padStart(2, '0'), key: 'timebank.duration.hm' }
}

/** A whole number typed by someone: spaces allowed, nothing else. NaN when it is not one. */
function wholeNumber(text: string): number {
  const clean = text.replace(/\s/g, '')
  if (clean === '') return 0
  return /^\d{1,5}$/.test(clean) ? Number(clean) : NaN
}

export type Checked<T> = { ok: true; value: T } | { ok: false; field: string; key: MessageKey }

/** The hours and minutes inputs of a transfer, as minutes (1 to 100 hours). */
export function parseDuration(hoursText: string, minutesText: string): Checked<number> {
  const hours = wholeNumber(hoursText)
  const minutes = wholeNumber(minutesText)
  if (Number.isNaN(hours)) return { ok: false, field: 'hours', key: 'timebank.error.number' }
  if (Number.isNaN(minutes) || minutes > 59) return { ok: false, field: 'minutes', key: 'timebank.error.minutes' }
  const total = hours * 60 + minutes
  if (total < 1) return { ok: false, field: 'hours', key: 'timebank.error.zero' }
  if (total > MAX_TRANSFER_MINUTES) return { ok: false, field: 'hours', key: 'timebank.error.tooMuch' }
  return { ok: true, value: total }
}

/** A number of hours typed in a settings field ("10", "1,5", "2.25") as whole minutes. */
export function parseHours(text: string, field: string, max = 1000): Checked<number> {
  const clean = text.replace(/\s/g, '').replace(',', '.')
  if (!/^\d{1,4}(\.\d{1,2})?$/.test(clean)) return { ok: false, field, key: 'timebank.error.number' }
  const hours = Number(clean)
  if (hours > max) return { ok: false, field, key: 'timebank.error.tooMuch' }
  return { ok: true, value: Math.round(hours * 60) }
}

/** Minutes as hours for a settings input: 600 → "10", 90 → "1,5" in French. */
export function hoursText(minutes: number, decimalMark = ','): string {
  const hours = Math.round((Math.abs(minutes) / 60) * 100) / 100
  return String(hours).replace('.', decimalMark)
}

/**
 * A fresh idempotency key. `crypto.randomUUID` exists only on secure pages (https or localhost),
 * and the box is often reached over plain http on the local network: then 16 random bytes from
 * `getRandomValues`, and Math.random only where even that is missing.
 */
export function newIdempotencyKey(source: { randomUUID?: () => string; getRandomValues?: <T extends Uint8Array>(a: T) => T } | undefined = globalThis.crypto): string {
  if (source && typeof source.randomUUID === 'function') return source.randomUUID()
  const bytes = new Uint8Array(16)
  if (source && typeof source.getRandomValues === 'function') source.getRandomValues(bytes)
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * One key per submission: the same request sent again (a retry after a network error, a second
 * tap) carries the same key, so the box applies it once; a changed request gets a new key, and
 * so does the next one once a submission went through.
 */
export class SubmissionKey {
  private key: string | null = null
  private body = ''
  private readonly make: () => string

  constructor(make: () => string = () => newIdempotencyKey()) {
    this.make = make
  }

  /** The key for this request body (anything JSON can write), minted when the body changed. */
  for(body: unknown): string {
    const text = JSON.stringify(body)
    if (this.key === null || text !== this.body) {
      this.key = this.make()
      this.body = text
    }
    return this.key
  }

  /** The submission went through: the next one is a new transfer. */
  done(): void {
    this.key = null
    this.body = ''
  }
}

/** The households met in conversations, once each, by flat label: those one can pay or ask. */
export function householdsMet(conversations: readonly { household: HouseholdRef }[]): HouseholdRef[] {
  const seen = new Map<string, HouseholdRef>()
  for (const c of conversations) if (!seen.has(c.household.id)) seen.set(c.household.id, c.household)
  return [...seen.values()].sort((a, b) => a.label.localeCompare(b.label))
}

/** What a household may do with a pending transfer: the payer confirms or declines, the requester cancels. */
export type PendingRole = 'confirm' | 'cancel' | 'wait'

export function pendingRole(transfer: Pick<Transfer, 'payer' | 'requestedBy'>, ownFlatId: string): PendingRole {
  if (transfer.requestedBy === ownFlatId) return 'cancel'
  if (transfer.payer.id === ownFlatId) return 'confirm'
  return 'wait'
}
