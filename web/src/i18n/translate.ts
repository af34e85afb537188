// Pure i18n helpers: the languages Palier speaks, placeholder substitution and the choice of a
// language from the browser's preferences. No DOM here, so tests run them in Node.
import type { fr } from './fr.js'

export const LANGUAGES = ['fr', 'en', 'ar'] as const
export type Language = (typeof LANGUAGES)[number]
export const DEFAULT_LANGUAGE: Language = 'fr'

/** Each language named in itself: a person who cannot read the current language still finds theirs. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { fr: 'Français', en: 'English', ar: 'العربية' }

const RTL: ReadonlySet<string> = new Set(['ar'])

export type MessageKey = keyof typeof fr
/** A translation: every key of the French catalogue, nothing more (checked by the compiler). */
export type Catalogue = Readonly<Record<MessageKey, string>>
export type Params = Readonly<Record<string, string | number>>

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

export function isRtl(lang: Language): boolean {
  return RTL.has(lang)
}

/** The first supported language among the browser's preferences (`fr-FR` counts as `fr`). */
export function matchLanguage(preferences: readonly string[]): Language | undefined {
  for (const tag of preferences) {
    const base = tag.trim().toLowerCase().split('-')[0]
    if (isLanguage(base)) return base
  }
  return undefined
}

const PLACEHOLDER = /\{(\w+)\}/g

/** `{name}` → params.name. An unknown placeholder stays visible rather than vanishing silently. */
export function format(template: string, params: Params = {}): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = params[name]
    return value === undefined ? whole : String(value)
  })
}

/** The placeholder names a message uses, sorted: translations must use the same ones. */
export function placeholders(template: string): string[] {
  const names = new Set<string>()
  template.replace(PLACEHOLDER, (whole, name: string) => {
    names.add(name)
    return whole
  })
  return [...names].sort()
}

/**
 * A message cut at its placeholders: `'Bonjour, {name}'` → `['Bonjour, ', {name: 'name'}]`, so the
 * page can wrap each value in its own element.
 */
export function splitPlaceholders(template: string): (string | { name: string })[] {
  const parts: (string | { name: string })[] = []
  let last = 0
  template.replace(PLACEHOLDER, (whole: string, name: string, offset: number) => {
    if (offset > last) parts.push(template.slice(last, offset))
    parts.push({ name })
    last = offset + whole.length
    return whole
  })
  if (last < template.length) parts.push(template.slice(last))
  return parts
}

/** Locale tag for dates and numbers: Arabic with Latin digits, as used in France and the Maghreb. */
export function formattingLocale(lang: Language): string {
  return lang === 'ar' ? 'ar-u-nu-latn' : lang === 'fr' ? 'fr-FR' : 'en-GB'
}
