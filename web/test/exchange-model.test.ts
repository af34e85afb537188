// The exchange's rules that need no browser: form checks, the list's address for a search and
// back, the status buttons a listing's household gets, and the day a loan is due.
import t from 'tap'
import {
  EMPTY_LISTING,
  checkListing,
  closingSoon,
  dateInputValue,
  dueAtFrom,
  exchangeSearchPath,
  listingBody,
  nextStatuses,
  searchFromQuery,
} from '../src/exchange/model.js'

const DAY = 86_400_000

t.test('a listing needs a kind, a category, a title of 3 characters and a description', async (t) => {
  const ok = { ...EMPTY_LISTING, category: 'tools', title: 'Perceuse', description: 'Avec ses mèches.' }
  t.equal(checkListing(ok), null)
  t.same(checkListing({ ...ok, category: '' }), { field: 'category', key: 'exchange.form.categoryMissing' })
  t.same(checkListing({ ...ok, title: ' ab ' }), { field: 'title', key: 'exchange.form.titleShort' })
  t.same(checkListing({ ...ok, description: '   ' }), { field: 'description', key: 'exchange.form.descriptionMissing' })
  t.same(checkListing({ ...ok, kind: 'sell' }), { field: 'kind', key: 'exchange.form.kindMissing' })
  t.same(listingBody({ ...ok, title: ' Perceuse ', availability: ' le soir ' }), {
    direction: 'offer',
    kind: 'lend',
    category: 'tools',
    title: 'Perceuse',
    description: 'Avec ses mèches.',
    availability: 'le soir',
  })
})

t.test('the list’s address says the search, and reads back the same', async (t) => {
  const path = exchangeSearchPath({ q: ' perceuse ', direction: 'offer', kind: 'lend', category: 'tools', sort: 'closing' })
  t.equal(path, '/echanges?q=perceuse&sens=offer&type=lend&categorie=tools&tri=bientot-fini')
  t.same(searchFromQuery(new URL(path, 'http://palier.test').searchParams), {
    q: 'perceuse',
    direction: 'offer',
    kind: 'lend',
    category: 'tools',
    sort: 'closing',
  })
  t.equal(exchangeSearchPath({ sort: 'newest' }), '/echanges')
  t.same(searchFromQuery(new URLSearchParams('type=sell&categorie=x')), { q: '', direction: '', kind: '', category: '', sort: 'newest' })
})

t.test('status buttons follow open ↔ reserved → done, any → withdrawn', async (t) => {
  t.same(nextStatuses('open'), ['reserved', 'done', 'withdrawn'])
  t.same(nextStatuses('reserved'), ['open', 'done', 'withdrawn'])
  t.same(nextStatuses('done'), [])
  t.same(nextStatuses('withdrawn'), [])
})

t.test('closing soon: within three days, not past', async (t) => {
  const now = Date.UTC(2026, 10, 23, 12)
  t.equal(closingSoon(now + 2 * DAY, now), true)
  t.equal(closingSoon(now + 4 * DAY, now), false)
  t.equal(closingSoon(now - 1, now), false)
})

t.test('a loan until a day lasts that whole day; no day in the past', async (t) => {
  const now = new Date(2026, 10, 23, 9, 30).getTime()
  t.equal(dateInputValue(now), '2026-11-23')
  t.equal(dueAtFrom('2026-11-23', now), new Date(2026, 10, 23, 23, 59, 59, 999).getTime())
  t.equal(dueAtFrom('2026-11-30', now), new Date(2026, 10, 30, 23, 59, 59, 999).getTime())
  t.equal(dueAtFrom('2026-11-22', now), undefined)
  t.equal(dueAtFrom('30/11/2026', now), undefined)
  t.equal(dueAtFrom('', now), undefined)
})
