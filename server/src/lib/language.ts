// Picks the response language from Accept-Language among the catalogues we have.
import { LANGUAGES, type Language } from '../config.js'

export function pickLanguage(header: string | undefined, fallback: Language): Language {
  if (!header) return fallback
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
      return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) : 1, i }
    })
    .filter((x) => x.lang && Number.isFinite(x.q) && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
  for (const { lang } of ranked) {
    if ((LANGUAGES as readonly string[]).includes(lang)) return lang as Language
  }
  return fallback
}
