import t from 'tap'
import { pickLanguage } from './language.js'

t.test('no header, an empty one or only unknown languages give the fallback', async (t) => {
  t.equal(pickLanguage(undefined, 'fr'), 'fr')
  t.equal(pickLanguage('', 'en'), 'en')
  t.equal(pickLanguage('de', 'fr'), 'fr')
  t.equal(pickLanguage('de-DE, es;q=0.8, *;q=0.5', 'ar'), 'ar')
  t.equal(pickLanguage('*', 'fr'), 'fr')
  t.equal(pickLanguage(' , ;q=1', 'fr'), 'fr', 'garbage')
})

t.test('the plain languages we have', async (t) => {
  t.equal(pickLanguage('fr', 'en'), 'fr')
  t.equal(pickLanguage('en', 'fr'), 'en')
  t.equal(pickLanguage('ar', 'fr'), 'ar')
})

t.test('a region counts as its language, in any case', async (t) => {
  t.equal(pickLanguage('ar-MA', 'fr'), 'ar')
  t.equal(pickLanguage('ar-DZ,ar;q=0.9', 'fr'), 'ar')
  t.equal(pickLanguage('en-GB', 'fr'), 'en')
  t.equal(pickLanguage('fr-BE', 'en'), 'fr')
  t.equal(pickLanguage('EN-us', 'fr'), 'en')
})

t.test('q-values rank the languages', async (t) => {
  t.equal(pickLanguage('fr;q=0.5, en;q=0.9', 'ar'), 'en')
  t.equal(pickLanguage('de-DE, en;q=0.5, ar;q=0.8', 'fr'), 'ar', 'unknown first choice skipped, then by q')
  t.equal(pickLanguage('en-US,en;q=0.9,fr;q=0.8', 'ar'), 'en', 'a browser’s usual header')
  t.equal(pickLanguage('fr-FR, fr;q=0.9, en-US;q=0.8, en;q=0.7', 'ar'), 'fr')
  t.equal(pickLanguage('en;q=0.8, ar', 'fr'), 'ar', 'no q means 1')
  t.equal(pickLanguage('fr ; q=0.2 , en ; q=0.3', 'ar'), 'en', 'spaces around the parameters')
})

t.test('equal q-values keep the header order', async (t) => {
  t.equal(pickLanguage('ar, en', 'fr'), 'ar')
  t.equal(pickLanguage('en;q=0.5, fr;q=0.5', 'ar'), 'en')
  t.equal(pickLanguage('fr;q=0.5, en;q=0.5', 'ar'), 'fr')
})

t.test('q=0 means "not this one", and a bad q is ignored', async (t) => {
  t.equal(pickLanguage('en;q=0', 'fr'), 'fr')
  t.equal(pickLanguage('en;q=0, ar;q=0.1', 'fr'), 'ar')
  t.equal(pickLanguage('en;q=abc', 'ar'), 'ar')
  t.equal(pickLanguage('en;q=abc, fr;q=0.1', 'ar'), 'fr')
})
