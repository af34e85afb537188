// The message catalogues: same keys everywhere, nothing left empty, the same placeholders in
// every language, and the helpers that fill them in.
import t from 'tap'
import { ar } from '../src/i18n/ar.js'
import { en } from '../src/i18n/en.js'
import { fr } from '../src/i18n/fr.js'
import {
  format,
  formattingLocale,
  isRtl,
  matchLanguage,
  placeholders,
  splitPlaceholders,
  type Catalogue,
} from '../src/i18n/translate.js'

const catalogues: Record<string, Catalogue> = { fr, en, ar }
const frKeys = Object.keys(fr).sort()

t.test('every catalogue has exactly the keys of the French one', async (t) => {
  for (const [lang, catalogue] of Object.entries(catalogues)) {
    t.same(Object.keys(catalogue).sort(), frKeys, `${lang} keys`)
  }
})

t.test('no message is empty or only spaces', async (t) => {
  for (const [lang, catalogue] of Object.entries(catalogues)) {
    const empty = Object.entries(catalogue)
      .filter(([, text]) => text.trim() === '')
      .map(([key]) => key)
    t.same(empty, [], `${lang} has no empty message`)
  }
})

t.test('placeholders are the same in every language', async (t) => {
  for (const key of frKeys as (keyof Catalogue)[]) {
    const expected = placeholders(fr[key])
    t.same(placeholders(en[key]), expected, `en ${key}`)
    t.same(placeholders(ar[key]), expected, `ar ${key}`)
  }
})

t.test('braces are only used for placeholders', async (t) => {
  for (const [lang, catalogue] of Object.entries(catalogues)) {
    for (const [key, text] of Object.entries(catalogue)) {
      const stray = text.replace(/\{\w+\}/g, '')
      t.notMatch(stray, /[{}]/, `${lang} ${key} has no stray brace`)
    }
  }
})

t.test('Arabic messages are written in Arabic', async (t) => {
  // Every Arabic message but brand names must contain Arabic letters: catches a forgotten copy.
  const untranslated = Object.entries(ar)
    .filter(([key]) => key !== 'app.name' && key !== 'app.titleSuffix')
    .filter(([, text]) => !/[\u0600-\u06ff]/.test(text))
    .map(([key]) => key)
  t.same(untranslated, [])
})

t.test('format fills placeholders and keeps unknown ones visible', async (t) => {
  t.equal(format('Bonjour, {name}', { name: 'Amina' }), 'Bonjour, Amina')
  t.equal(format('{count} / {count}', { count: 3 }), '3 / 3')
  t.equal(format('Bonjour, {name}'), 'Bonjour, {name}')
  t.equal(format('Aucun'), 'Aucun')
})

t.test('placeholders lists each name once, sorted', async (t) => {
  t.same(placeholders('{b} {a} {b}'), ['a', 'b'])
  t.same(placeholders('rien'), [])
})

t.test('splitPlaceholders cuts a message around its values', async (t) => {
  t.same(splitPlaceholders('Bonjour, {name}'), ['Bonjour, ', { name: 'name' }])
  t.same(splitPlaceholders('{a}: {b}.'), [{ name: 'a' }, ': ', { name: 'b' }, '.'])
  t.same(splitPlaceholders('Aucun'), ['Aucun'])
})

t.test('matchLanguage picks the first supported language', async (t) => {
  t.equal(matchLanguage(['fr-FR', 'en']), 'fr')
  t.equal(matchLanguage(['de-DE', 'ar-MA', 'fr']), 'ar')
  t.equal(matchLanguage(['EN-gb']), 'en')
  t.equal(matchLanguage(['de', 'es']), undefined)
  t.equal(matchLanguage([]), undefined)
})

t.test('only Arabic is right to left; Arabic dates use Latin digits', async (t) => {
  t.equal(isRtl('ar'), true)
  t.equal(isRtl('fr'), false)
  t.equal(isRtl('en'), false)
  const date = new Date(Date.UTC(2025, 2, 14, 12)).toLocaleDateString(formattingLocale('ar'), { day: 'numeric', year: 'numeric' })
  t.match(date, /14/)
  t.match(date, /2025/)
})
