// Sizes in plain words for people: "1,5 Go", "1.5 GB", "1٫5 غيغابايت". Powers of 1024, as phones
// show them.
import type { Language } from '../config.js'

const UNITS: Record<Language, readonly string[]> = {
  fr: ['octets', 'Ko', 'Mo', 'Go', 'To'],
  en: ['bytes', 'KB', 'MB', 'GB', 'TB'],
  ar: ['بايت', 'كيلوبايت', 'ميغابايت', 'غيغابايت', 'تيرابايت'],
}

const formats = new Map<Language, Intl.NumberFormat>()

export function formatSize(bytes: number, lang: Language): string {
  let value = Math.max(0, bytes)
  let unit = 0
  while (value >= 1024 && unit < UNITS[lang].length - 1) {
    value /= 1024
    unit++
  }
  let format = formats.get(lang)
  if (!format) {
    format = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 })
    formats.set(lang, format)
  }
  // Never round a remaining amount up to more than there is.
  const shown = unit === 0 ? value : Math.floor(value * 10) / 10
  return `${format.format(shown)} ${UNITS[lang][unit]}`
}
