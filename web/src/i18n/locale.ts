// The interface language at run time: loads its catalogue (French is bundled, the others come on
// demand), sets <html lang dir>, remembers the choice and tells the components to re-render.
import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit'
import { fr } from './fr.js'
import {
  DEFAULT_LANGUAGE,
  format,
  formattingLocale,
  isLanguage,
  isRtl,
  matchLanguage,
  splitPlaceholders,
  type Catalogue,
  type Language,
  type MessageKey,
  type Params,
} from './translate.js'

const STORAGE_KEY = 'palier.language'

let current: Language = DEFAULT_LANGUAGE
let catalogue: Catalogue = fr
const listeners = new Set<() => void>()

export function t(key: MessageKey, params?: Params): string {
  return format(catalogue[key], params)
}

/**
 * t() for text shown in the page with values people typed (names, flat labels): each value goes
 * in a <bdi>, so "Amina B." in an Arabic sentence keeps its full stop, and an Arabic name in a
 * French sentence does not drag the punctuation around it.
 */
export function tHtml(key: MessageKey, params: Params): TemplateResult {
  const parts = splitPlaceholders(catalogue[key]).map((part) =>
    typeof part === 'string' ? part : html`<bdi>${params[part.name] ?? `{${part.name}}`}</bdi>`,
  )
  return html`${parts}`
}

export function currentLanguage(): Language {
  return current
}

/** A date (ms since the epoch) the way people of the current language write it. */
export function formatDate(ms: number): string {
  return new Date(ms).toLocaleDateString(formattingLocale(current), { day: 'numeric', month: 'long', year: 'numeric' })
}

/** A date and time of day, for timelines: "14 mars 2025, 10:32". */
export function formatDateTime(ms: number): string {
  return new Date(ms).toLocaleString(formattingLocale(current), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  })
}

async function loadCatalogue(lang: Language): Promise<Catalogue> {
  switch (lang) {
    case 'en':
      return (await import('./en.js')).en
    case 'ar':
      return (await import('./ar.js')).ar
    default:
      return fr
  }
}

// Storage can throw (private browsing, some captive-portal sheets): the choice is then only
// kept for this visit.
function saved(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY)
  } catch {
    return null
  }
}

/** The saved choice, else the phone's language when we have it, else French. */
export function initialLanguage(): Language {
  const choice = saved()
  if (isLanguage(choice)) return choice
  const prefs = navigator.languages && navigator.languages.length > 0 ? navigator.languages : [navigator.language]
  return matchLanguage(prefs) ?? DEFAULT_LANGUAGE
}

export async function setLanguage(lang: Language, remember = true): Promise<void> {
  const next = await loadCatalogue(lang)
  current = lang
  catalogue = next
  const root = document.documentElement
  root.lang = lang
  root.dir = isRtl(lang) ? 'rtl' : 'ltr'
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, lang)
    } catch {
      // see saved()
    }
  }
  for (const listener of listeners) listener()
}

/** Re-renders its host whenever the language changes. */
export class LocaleController implements ReactiveController {
  private readonly host: ReactiveControllerHost
  private readonly listener = (): void => this.host.requestUpdate()

  constructor(host: ReactiveControllerHost) {
    this.host = host
    host.addController(this)
  }

  hostConnected(): void {
    listeners.add(this.listener)
  }

  hostDisconnected(): void {
    listeners.delete(this.listener)
  }
}
