import t, { type Test } from 'tap'
import { readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { build, createFlat, createInvite, joinAs, setupCaretaker } from '../../../test/helpers.js'
import { buildApp } from '../../app.js'
import { openDatabase } from '../../db/index.js'
import { flushCounters, listSql, matchExpression } from './listings-store.js'

const DAY = 86_400_000
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(200, 7), Buffer.from([0xff, 0xd9])])

type Summary = {
  id: string
  title: string
  excerpt: string
  status: string
  household: { id: string; label: string; name: string }
  onBehalf: boolean
  mine: boolean
  expired: boolean
  hidden: boolean
  photo: { id: string; url: string; mime: string } | null
  expiresAt: number
}
type Listing = Summary & { description: string; photos: { id: string; url: string; mime: string }[]; conversationId: string | null }

/** A caretaker, households A (two residents), B and C, and D, a flat without any account. */
async function neighbours(t: Test) {
  const built = await build(t)
  const { app } = built
  const caretaker = await setupCaretaker(app)
  const flats = {
    a: await createFlat(app, caretaker, 'A-12'),
    b: await createFlat(app, caretaker, 'B-3'),
    c: await createFlat(app, caretaker, 'C-7'),
    d: await createFlat(app, caretaker, 'D-1'),
  }
  const amina = await joinAs(app, (await createInvite(app, caretaker, flats.a.id)).code, 'amina', 'Amina')
  const ali = await joinAs(app, (await createInvite(app, caretaker, flats.a.id)).code, 'ali', 'Ali')
  const bruno = await joinAs(app, (await createInvite(app, caretaker, flats.b.id)).code, 'bruno', 'Bruno')
  const chloe = await joinAs(app, (await createInvite(app, caretaker, flats.c.id)).code, 'chloe', 'Chloé')
  return { ...built, caretaker, flats, amina, ali, bruno, chloe }
}

function call(app: FastifyInstance, cookie: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
  return app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) })
}

async function publish(app: FastifyInstance, cookie: string, fields: Record<string, unknown> = {}, query = ''): Promise<Listing> {
  const res = await call(app, cookie, 'POST', `/exchange/listings${query}`, {
    direction: 'offer',
    kind: 'lend',
    category: 'tools',
    title: 'Perceuse à percussion',
    description: 'Avec un jeu de forets.',
    ...fields,
  })
  if (res.statusCode !== 201) throw new Error(`publish failed: ${res.statusCode} ${res.body}`)
  return res.json()
}

async function list(app: FastifyInstance, cookie: string, query = ''): Promise<{ items: Summary[]; nextCursor: string | null }> {
  const res = await call(app, cookie, 'GET', `/exchange/listings${query}`)
  if (res.statusCode !== 200) throw new Error(`list failed: ${res.statusCode} ${res.body}`)
  return res.json()
}

const titles = (page: { items: Summary[] }) => page.items.map((i) => i.title)

function upload(app: FastifyInstance, cookie: string, listingId: string, payload: Buffer, type = 'image/png') {
  return app.inject({ method: 'POST', url: `/api/v1/exchange/listings/${listingId}/photos`, headers: { cookie, 'content-type': type }, payload })
}

t.test('publish, read, list and mine: the whole shape', async (t) => {
  const s = await neighbours(t)
  const before = s.clock.now
  const listing = await publish(s.app, s.amina, { title: '  Perceuse   à percussion ', availability: ' le soir ', description: ' Avec un jeu de forets. \n' })
  t.match(listing, {
    direction: 'offer',
    kind: 'lend',
    category: 'tools',
    title: 'Perceuse à percussion',
    description: 'Avec un jeu de forets.',
    excerpt: 'Avec un jeu de forets.',
    availability: 'le soir',
    status: 'open',
    household: { id: s.flats.a.id, label: 'A-12', name: 'Amina' },
    onBehalf: false,
    mine: true,
    expired: false,
    hidden: false,
    photo: null,
    photos: [],
    conversationId: null,
  })
  t.equal(listing.expiresAt, before + 30 * DAY, '30 days by default')
  const seen = (await call(s.app, s.bruno, 'GET', `/exchange/listings/${listing.id}`)).json() as Listing
  t.equal(seen.mine, false)
  t.same(seen.household, { id: s.flats.a.id, label: 'A-12', name: 'Amina' })
  const page = await list(s.app, s.bruno)
  t.same(titles(page), ['Perceuse à percussion'])
  t.equal(page.nextCursor, null)
  t.notOk('description' in page.items[0]!, 'the list carries an excerpt, not the whole text')
  const mine = (await call(s.app, s.ali, 'GET', '/exchange/listings/mine')).json() as { items: Summary[] }
  t.same(mine.items.map((i) => [i.id, i.mine]), [[listing.id, true]], 'the other member of the household sees it as theirs')
  t.same((await call(s.app, s.bruno, 'GET', '/exchange/listings/mine')).json(), { items: [] })

  const long = await publish(s.app, s.amina, { description: 'é'.repeat(300), expiresInDays: 7 })
  t.equal(long.expiresAt, s.clock.now + 7 * DAY)
  t.equal((await list(s.app, s.bruno)).items[0]!.excerpt, `${'é'.repeat(139)}…`)

  for (const [field, value] of [
    ['title', '  a  '],
    ['title', 'x'.repeat(81)],
    ['description', '   '],
    ['expiresInDays', 91],
    ['kind', 'sell'],
    ['category', 'weapons'],
  ] as const) {
    const res = await call(s.app, s.amina, 'POST', '/exchange/listings', {
      direction: 'offer',
      kind: 'give',
      category: 'home',
      title: 'Un bon titre',
      description: 'ok',
      [field]: value,
    })
    t.equal(res.statusCode, 400, `${field} = ${JSON.stringify(value)} refused`)
    t.equal(res.json().code, 'PALIER_INVALID_INPUT')
  }
  t.equal((await call(s.app, s.bruno, 'GET', '/exchange/listings/01890000-0000-7000-8000-000000000000')).statusCode, 404)
})

t.test('rights: only the household changes its listing; the caretaker only for a household without an account', async (t) => {
  const s = await neighbours(t)
  const listing = await publish(s.app, s.amina)
  const byAli = await call(s.app, s.ali, 'PATCH', `/exchange/listings/${listing.id}`, { title: 'Perceuse (prêtée le week-end)' })
  t.equal(byAli.statusCode, 200, 'another member of the same household may')
  t.equal(byAli.json().title, 'Perceuse (prêtée le week-end)')
  for (const [what, res] of [
    ['patch', await call(s.app, s.bruno, 'PATCH', `/exchange/listings/${listing.id}`, { title: 'À moi maintenant' })],
    ['renew', await call(s.app, s.bruno, 'POST', `/exchange/listings/${listing.id}/renew`, {})],
    ['photo', await upload(s.app, s.bruno, listing.id, PNG)],
  ] as const) {
    t.equal(res.statusCode, 403, `another household may not ${what}`)
    t.equal(res.json().code, 'PALIER_NOT_YOUR_LISTING')
  }
  const asCaretaker = await call(s.app, s.caretaker, 'PATCH', `/exchange/listings/${listing.id}`, { status: 'withdrawn' })
  t.equal(asCaretaker.statusCode, 403)
  t.equal(asCaretaker.json().code, 'PALIER_RESIDENTS_ONLY')
  const forA = await call(s.app, s.caretaker, 'PATCH', `/exchange/listings/${listing.id}?asFlat=${s.flats.a.id}`, { status: 'withdrawn' })
  t.equal(forA.statusCode, 403, 'A has accounts: the caretaker may not act for it')
  t.equal(forA.json().code, 'PALIER_ON_BEHALF_NOT_ALLOWED')
  const residentAsFlat = await call(s.app, s.bruno, 'GET', `/exchange/listings/mine?asFlat=${s.flats.d.id}`)
  t.equal(residentAsFlat.statusCode, 403)
  t.equal(residentAsFlat.json().code, 'PALIER_ON_BEHALF_NOT_ALLOWED')
  t.equal((await call(s.app, s.caretaker, 'GET', '/exchange/listings/mine')).json().code, 'PALIER_RESIDENTS_ONLY')
  t.equal((await call(s.app, s.caretaker, 'GET', '/exchange/summary')).json().code, 'PALIER_RESIDENTS_ONLY')
  t.equal((await call(s.app, s.bruno, 'GET', `/exchange/listings/${listing.id}`)).json().title, 'Perceuse (prêtée le week-end)', 'unchanged by refusals')
  t.equal((await call(s.app, s.caretaker, 'GET', `/exchange/listings/${listing.id}`)).statusCode, 200, 'the caretaker reads listings')
})

t.test('the caretaker publishes for a household without a smartphone', async (t) => {
  const s = await neighbours(t)
  const noFlat = await call(s.app, s.caretaker, 'POST', '/exchange/listings', { direction: 'request', kind: 'help', category: 'care', title: 'Courses', description: 'x' })
  t.equal(noFlat.statusCode, 403)
  t.equal(noFlat.json().code, 'PALIER_RESIDENTS_ONLY')
  const withAccount = await call(s.app, s.caretaker, 'POST', `/exchange/listings?asFlat=${s.flats.b.id}`, {
    direction: 'request',
    kind: 'help',
    category: 'care',
    title: 'Courses',
    description: 'x',
  })
  t.equal(withAccount.statusCode, 403)
  t.equal(withAccount.json().code, 'PALIER_ON_BEHALF_NOT_ALLOWED')
  const unknown = await call(s.app, s.caretaker, 'POST', '/exchange/listings?asFlat=nope', { direction: 'request', kind: 'help', category: 'care', title: 'Courses', description: 'x' })
  t.equal(unknown.statusCode, 403)

  const listing = await publish(s.app, s.caretaker, { direction: 'request', kind: 'help', category: 'care', title: 'Aide pour les courses', description: 'Le mardi.' }, `?asFlat=${s.flats.d.id}`)
  t.match(listing, { onBehalf: true, mine: true, household: { id: s.flats.d.id, label: 'D-1', name: 'D-1' } })
  const seen = (await list(s.app, s.bruno)).items[0]!
  t.match(seen, { id: listing.id, onBehalf: true, mine: false, household: { label: 'D-1' } }, 'marked as done by the caretaker for that household')
  const mine = (await call(s.app, s.caretaker, 'GET', `/exchange/listings/mine?asFlat=${s.flats.d.id}`)).json() as { items: Summary[] }
  t.same(mine.items.map((i) => i.id), [listing.id])
  const reserved = await call(s.app, s.caretaker, 'PATCH', `/exchange/listings/${listing.id}?asFlat=${s.flats.d.id}`, { status: 'reserved' })
  t.equal(reserved.statusCode, 200)
  t.equal(reserved.json().status, 'reserved')
  const row = s.app.db.prepare('SELECT on_behalf, author_id FROM exchange_listings WHERE id = ?').get(listing.id) as { on_behalf: number; author_id: string }
  t.equal(row.on_behalf, 1)
  t.equal((await call(s.app, s.caretaker, 'GET', `/exchange/summary?asFlat=${s.flats.d.id}`)).statusCode, 200)
  // Once D has an account, the caretaker no longer acts for it.
  await joinAs(s.app, (await createInvite(s.app, s.caretaker, s.flats.d.id)).code, 'dora', 'Dora')
  const after = await call(s.app, s.caretaker, 'PATCH', `/exchange/listings/${listing.id}?asFlat=${s.flats.d.id}`, { status: 'open' })
  t.equal(after.statusCode, 403)
  t.equal(after.json().code, 'PALIER_ON_BEHALF_NOT_ALLOWED')
})

t.test('search: words as prefixes, all of them, accents and case folded, never read as FTS syntax', async (t) => {
  const s = await neighbours(t)
  await publish(s.app, s.amina, { title: 'Cours de maths', description: 'Niveau collège, contre de la poterie.' })
  await publish(s.app, s.bruno, { title: 'Perceuse Bosch', description: 'Prêt pour le week-end.' })
  await publish(s.app, s.chloe, { title: 'Fournitures ECOLE', description: 'Cahiers, crayons (neufs).' })
  await publish(s.app, s.chloe, { title: 'Vélo enfant', description: 'Pour "petit" cycliste OR grand.' })
  const q = async (words: string) => titles(await list(s.app, s.amina, `?q=${encodeURIComponent(words)}`)).sort()
  t.same(await q('perc'), ['Perceuse Bosch'], 'a word start finds the word')
  t.same(await q('école'), ['Fournitures ECOLE'], 'accents and case folded')
  t.same(await q('Ecole'), ['Fournitures ECOLE'])
  t.same(await q('velo'), ['Vélo enfant'])
  t.same(await q('COLLEGE poterie'), ['Cours de maths'], 'words in title and description')
  t.same(await q('maths perceuse'), [], 'every word must match')
  t.same(await q('pret bosch'), ['Perceuse Bosch'])
  // Hostile or odd input is only ever words.
  t.same(await q('"petit'), ['Vélo enfant'], 'an unbalanced quote')
  t.same(await q('pet*'), ['Vélo enfant'])
  t.same(await q('-perceuse'), ['Perceuse Bosch'], 'not a NOT')
  t.same(await q('maths OR perceuse'), [], 'OR is a word to find, not an operator')
  t.same(await q('grand OR'), ['Vélo enfant'], '"or" found as a word')
  t.same(await q('NEAR(maths poterie)'), [], 'NEAR is a word')
  t.same(await q('(cahiers)'), ['Fournitures ECOLE'])
  t.same(await q('title:cours'), [], 'no column filter')
  t.same(await q('^cours'), ['Cours de maths'])
  t.same(await q('l’école'), [], '"l" and "école" both needed (no listing has a word starting with l and école)')
  t.same(await q('  '), ['Cours de maths', 'Fournitures ECOLE', 'Perceuse Bosch', 'Vélo enfant'], 'no word: everything')
  t.same(await q('*** " ( )'), ['Cours de maths', 'Fournitures ECOLE', 'Perceuse Bosch', 'Vélo enfant'])
  t.equal(matchExpression('a"b c* -d OR NEAR(e)'), '"a"* AND "b"* AND "c"* AND "d"* AND "OR"* AND "NEAR"* AND "e"*')
  t.equal(matchExpression('école'), '"école"*')
  t.equal(matchExpression('?!'), undefined)
  t.equal(matchExpression('1 2 3 4 5 6 7 8 9 10'), '"1"* AND "2"* AND "3"* AND "4"* AND "5"* AND "6"* AND "7"* AND "8"*', 'eight words at most')
})

t.test('the search plan: FTS first, each row fetched by its rowid, details for the page only', async (t) => {
  const s = await neighbours(t)
  const params = { now: 0, direction: null, kind: null, category: null, hidden: '[]', seq: null, expiresAt: null, limit: 31 }
  const plan = (search: boolean, sort: 'newest' | 'closing') =>
    (s.app.db.prepare(`EXPLAIN QUERY PLAN ${listSql(search, sort)}`).all(search ? { ...params, match: '"perc"*' } : params) as { id: number; parent: number; detail: string }[])
  for (const sort of ['newest', 'closing'] as const) {
    const rows = plan(true, sort)
    const text = rows.map((r) => r.detail).join(' | ')
    const page = rows.find((r) => r.detail === 'CO-ROUTINE page')
    t.ok(page, `${sort}: the page is chosen first (${text})`)
    const inPage = rows.filter((r) => r.parent === page?.id).map((r) => r.detail)
    t.match(inPage[0], /^SCAN exchange_listings_fts VIRTUAL TABLE INDEX/, `${sort}: FTS is the outer loop`)
    t.match(inPage[1], /^SEARCH l USING INTEGER PRIMARY KEY \(rowid=\?\)/, `${sort}: each match fetched by its rowid`)
    t.notOk(rows.some((r) => /^SCAN (l|f|u|p)\b/.test(r.detail)), `${sort}: no table scan`)
    if (sort === 'newest') t.notOk(inPage.includes('USE TEMP B-TREE FOR ORDER BY'), 'newest: FTS rowids walked in order, no sort')
  }
  const closing = plan(false, 'closing').map((r) => r.detail)
  t.ok(closing.includes('MERGE (UNION ALL)'), `closing without words merges two index reads (${closing.join(' | ')})`)
  t.equal(closing.filter((d) => /SEARCH l USING INDEX exchange_listings_open \(status=\? AND expires_at>\?\)/.test(d)).length, 2)
  const newest = plan(false, 'newest')
  const page = newest.find((r) => r.detail === 'CO-ROUTINE page')
  t.same(
    newest.filter((r) => r.parent === page?.id).map((r) => r.detail).filter((d) => !/SUBQUERY|json_each|BLOOM/.test(d)),
    ['SCAN l'],
    'newest without words walks the listings by seq and stops at the page end (no sort)',
  )
})

t.test('filters, sort and cursor paging', async (t) => {
  const s = await neighbours(t)
  const made: Listing[] = []
  for (let i = 0; i < 7; i++) {
    made.push(
      await publish(s.app, i % 2 ? s.bruno : s.amina, {
        title: `Annonce ${i}`,
        direction: i % 3 ? 'offer' : 'request',
        kind: i < 4 ? 'lend' : 'give',
        category: i % 2 ? 'books_media' : 'tools',
        expiresInDays: 20 - 2 * i + (i === 3 ? 10 : 0),
      }),
    )
    s.clock.advance(1000)
  }
  t.same(titles(await list(s.app, s.chloe)), ['Annonce 6', 'Annonce 5', 'Annonce 4', 'Annonce 3', 'Annonce 2', 'Annonce 1', 'Annonce 0'], 'newest first')
  // expiries in days: 20, 18, 16, 24, 12, 10, 8
  t.same(titles(await list(s.app, s.chloe, '?sort=closing')), ['Annonce 6', 'Annonce 5', 'Annonce 4', 'Annonce 2', 'Annonce 1', 'Annonce 0', 'Annonce 3'], 'closing soonest first')
  t.same(titles(await list(s.app, s.chloe, '?direction=request')), ['Annonce 6', 'Annonce 3', 'Annonce 0'])
  t.same(titles(await list(s.app, s.chloe, '?kind=give')), ['Annonce 6', 'Annonce 5', 'Annonce 4'])
  t.same(titles(await list(s.app, s.chloe, '?category=books_media&kind=lend')), ['Annonce 3', 'Annonce 1'])
  t.same(titles(await list(s.app, s.chloe, '?category=books_media&q=annonce&sort=closing')), ['Annonce 5', 'Annonce 1', 'Annonce 3'])
  for (const sort of ['newest', 'closing']) {
    for (const q of ['', '&q=annonce']) {
      const all = titles(await list(s.app, s.chloe, `?sort=${sort}${q}`))
      const paged: string[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const page = await list(s.app, s.chloe, `?sort=${sort}${q}&limit=3${cursor ? `&cursor=${cursor}` : ''}`)
        paged.push(...titles(page))
        cursor = page.nextCursor
        pages++
      } while (cursor)
      t.same(paged, all, `${sort}${q}: pages of 3 give the same order`)
      t.equal(pages, 3)
    }
  }
  const exact = await list(s.app, s.chloe, '?limit=7')
  t.equal(exact.nextCursor, null, 'no next page when everything fitted')
  for (const bad of ['?cursor=nope', `?sort=closing&cursor=${Buffer.from('[5]').toString('base64url')}`, '?limit=0', '?limit=101', '?sort=oldest']) {
    t.equal((await call(s.app, s.chloe, 'GET', `/exchange/listings${bad}`)).statusCode, 400, `${bad} refused`)
  }
  t.equal((await list(s.app, s.chloe, '?limit=100')).items.length, 7)
})

t.test('expiry with the clock: leaves the list, the author is told, renew brings it back', async (t) => {
  const s = await neighbours(t)
  const listing = await publish(s.app, s.amina, { expiresInDays: 2 })
  const summary = async (cookie: string) => (await call(s.app, cookie, 'GET', '/exchange/summary')).json()
  t.same(await summary(s.amina), {
    unreadConversations: 0,
    expiredListings: [],
    loansDueTomorrow: 0,
    lateLoans: 0,
    loansToConfirm: 0,
    transfersToConfirm: 0,
    timeBankEnabled: false,
  })
  s.clock.advance(2 * DAY)
  t.same(titles(await list(s.app, s.bruno)), ['Perceuse à percussion'], 'listed up to its expiry')
  s.clock.advance(1)
  t.same(titles(await list(s.app, s.bruno)), [], 'expired: off the list')
  t.same(titles(await list(s.app, s.amina)), [], 'for its household too')
  t.equal((await call(s.app, s.bruno, 'GET', `/exchange/listings/${listing.id}`)).json().expired, true, 'still readable by its link')
  const mine = (await call(s.app, s.ali, 'GET', '/exchange/listings/mine')).json() as { items: Summary[] }
  t.same(mine.items.map((i) => [i.id, i.expired]), [[listing.id, true]])
  t.equal((s.app.db.prepare('SELECT expiry_notified_at AS at FROM exchange_listings').get() as { at: number | null }).at, null)
  const told = await summary(s.ali)
  t.same(told.expiredListings.map((l: Summary) => [l.id, l.expired]), [[listing.id, true]], 'the household is told')
  t.same((await summary(s.bruno)).expiredListings, [], 'nobody else')
  t.equal((s.app.db.prepare('SELECT expiry_notified_at AS at FROM exchange_listings').get() as { at: number | null }).at, s.clock.now, 'when it was told')

  const renewed = await call(s.app, s.amina, 'POST', `/exchange/listings/${listing.id}/renew`, {})
  t.equal(renewed.statusCode, 200)
  t.equal(renewed.json().expiresAt, s.clock.now + 30 * DAY)
  t.equal(renewed.json().expired, false)
  t.same(titles(await list(s.app, s.bruno)), ['Perceuse à percussion'], 'back on the list')
  t.same((await summary(s.amina)).expiredListings, [])
  t.equal((s.app.db.prepare('SELECT expiry_notified_at AS at FROM exchange_listings').get() as { at: number | null }).at, null, 'told again next time')
  const short = await call(s.app, s.amina, 'POST', `/exchange/listings/${listing.id}/renew`, { expiresInDays: 3 })
  t.equal(short.json().expiresAt, s.clock.now + 3 * DAY)
  t.equal((await call(s.app, s.amina, 'POST', `/exchange/listings/${listing.id}/renew`, { expiresInDays: 0 })).statusCode, 400)
  const bare = await call(s.app, s.amina, 'POST', `/exchange/listings/${listing.id}/renew`)
  t.equal(bare.statusCode, 200, 'no body: 30 days')
  t.equal(bare.json().expiresAt, s.clock.now + 30 * DAY)

  // Expired and left alone: told for 30 days, then it is just an old listing in "mine".
  s.clock.advance(20 * DAY)
  t.same((await summary(s.amina)).expiredListings, [])
  s.clock.advance(11 * DAY) // (in steps: a resident's session ends after 30 idle days)
  t.equal((await summary(s.amina)).expiredListings.length, 1)
  s.clock.advance(29 * DAY)
  t.equal((await summary(s.amina)).expiredListings.length, 1, 'still told 29 days later')
  s.clock.advance(2 * DAY)
  t.same((await summary(s.amina)).expiredListings, [], 'no longer after 30 days')
  t.equal((await call(s.app, s.amina, 'GET', '/exchange/listings/mine')).json().items.length, 1)
  // Withdrawn: no longer told, and cannot be renewed.
  const other = await publish(s.app, s.amina, { expiresInDays: 1 })
  s.clock.advance(DAY + 1)
  t.equal((await summary(s.amina)).expiredListings.length, 1)
  t.equal((await call(s.app, s.amina, 'PATCH', `/exchange/listings/${other.id}`, { status: 'withdrawn' })).statusCode, 200, 'an expired listing can be withdrawn')
  t.same((await summary(s.amina)).expiredListings, [])
  const late = await call(s.app, s.amina, 'POST', `/exchange/listings/${other.id}/renew`, {})
  t.equal(late.statusCode, 409)
  t.equal(late.json().code, 'PALIER_LISTING_CLOSED')
})

t.test('status: open ↔ reserved → done, anything → withdrawn; done and withdrawn are final', async (t) => {
  const s = await neighbours(t)
  const listing = await publish(s.app, s.amina)
  const patch = (id: string, body: Record<string, unknown>, cookie = s.amina) => call(s.app, cookie, 'PATCH', `/exchange/listings/${id}`, body)
  t.equal((await patch(listing.id, { status: 'reserved' })).json().status, 'reserved')
  t.same(titles(await list(s.app, s.bruno)), ['Perceuse à percussion'], 'a reserved listing stays listed')
  t.equal((await patch(listing.id, { status: 'open' })).json().status, 'open')
  t.equal((await patch(listing.id, { status: 'reserved' })).json().status, 'reserved')
  const done = await patch(listing.id, { status: 'done', category: 'home', availability: 'plus dispo' })
  t.match(done.json(), { status: 'done', category: 'home', availability: 'plus dispo' })
  t.same(titles(await list(s.app, s.bruno)), [], 'done: off the list')
  t.equal((await call(s.app, s.bruno, 'GET', `/exchange/listings/${listing.id}`)).json().status, 'done', 'readable by its link')
  for (const status of ['open', 'reserved', 'withdrawn', 'done']) {
    const res = await patch(listing.id, { status })
    t.equal(res.statusCode, 409, `done → ${status} refused`)
    t.equal(res.json().code, 'PALIER_BAD_TRANSITION')
  }
  const text = await patch(listing.id, { title: 'Nouveau titre' })
  t.equal(text.statusCode, 409)
  t.equal(text.json().code, 'PALIER_LISTING_CLOSED')

  const direct = await publish(s.app, s.amina, { title: 'Donné directement' })
  t.equal((await patch(direct.id, { status: 'done' })).statusCode, 200, 'open → done (given without reserving)')
  const gone = await publish(s.app, s.amina, { title: 'Retirée' })
  t.equal((await patch(gone.id, { status: 'reserved' })).statusCode, 200)
  t.equal((await patch(gone.id, { status: 'withdrawn' })).json().status, 'withdrawn')
  t.equal((await patch(gone.id, { status: 'open' })).json().code, 'PALIER_BAD_TRANSITION')
  t.same(titles(await list(s.app, s.bruno)), [])
  t.equal((await call(s.app, s.bruno, 'GET', `/exchange/listings/${gone.id}`)).statusCode, 404, 'withdrawn: gone for households that never talked about it')
  t.equal((await call(s.app, s.amina, 'GET', `/exchange/listings/${gone.id}`)).statusCode, 200, 'its household still has it')
  t.equal((await call(s.app, s.caretaker, 'GET', `/exchange/listings/${gone.id}`)).statusCode, 200)
  const unchanged = await patch(direct.id, {})
  t.equal(unchanged.statusCode, 409, 'nothing changes on a done listing, even nothing')
  const same = await patch((await publish(s.app, s.amina)).id, { status: 'open', title: 'Même état' })
  t.match(same.json(), { status: 'open', title: 'Même état' }, 'the same status is no move')
  t.equal((await patch(listing.id, { status: 'sold' })).statusCode, 400)
  t.same(
    s.app.db.prepare('SELECT listings, completed FROM exchange_counters').all(),
    [{ listings: 4, completed: 2 }],
    'done counted once per listing that reached it',
  )
})

t.test('blocked households see nothing of each other', async (t) => {
  const s = await neighbours(t)
  const a = await publish(s.app, s.amina, { title: 'Perceuse de A' })
  const photo = (await upload(s.app, s.amina, a.id, PNG)).json()
  const b = await publish(s.app, s.bruno, { title: 'Scie de B' })
  await publish(s.app, s.chloe, { title: 'Marteau de C' })
  s.app.db.prepare('INSERT INTO exchange_blocks (flat_id, blocked_flat_id, created_at) VALUES (?, ?, ?)').run(s.flats.b.id, s.flats.a.id, s.clock.now)
  t.same(titles(await list(s.app, s.bruno)).sort(), ['Marteau de C', 'Scie de B'], 'the blocker no longer sees A')
  t.same(titles(await list(s.app, s.ali)).sort(), ['Marteau de C', 'Perceuse de A'], 'the blocked no longer sees B')
  t.same(titles(await list(s.app, s.amina, '?q=scie')), [])
  t.same(titles(await list(s.app, s.chloe)).sort(), ['Marteau de C', 'Perceuse de A', 'Scie de B'], 'others see both')
  for (const [who, url] of [
    [s.bruno, `/exchange/listings/${a.id}`],
    [s.bruno, photo.url.replace('/api/v1', '')],
    [s.amina, `/exchange/listings/${b.id}`],
  ] as const) {
    t.equal((await call(s.app, who, 'GET', url)).statusCode, 404, `${url}: 404, not 403`)
  }
  t.equal((await call(s.app, s.bruno, 'PATCH', `/exchange/listings/${a.id}`, { title: 'Tentative' })).statusCode, 404)
  t.equal((await call(s.app, s.caretaker, 'GET', `/exchange/listings/${a.id}`)).statusCode, 200, 'the caretaker is no party to blocks')
  t.equal((await list(s.app, s.caretaker)).items.length, 3)
  s.app.db.prepare('DELETE FROM exchange_blocks').run()
  t.equal((await call(s.app, s.bruno, 'GET', `/exchange/listings/${a.id}`)).statusCode, 200, 'unblocked: seen again')
})

t.test('a listing hidden by reports: seen only by its household and the caretaker', async (t) => {
  const s = await neighbours(t)
  const listing = await publish(s.app, s.amina)
  const photo = (await upload(s.app, s.amina, listing.id, PNG)).json()
  s.app.db.prepare('UPDATE exchange_listings SET hidden_at = ? WHERE id = ?').run(s.clock.now, listing.id)
  for (const who of [s.amina, s.bruno, s.caretaker]) t.same(titles(await list(s.app, who)), [], 'listed to nobody')
  const own = await call(s.app, s.ali, 'GET', `/exchange/listings/${listing.id}`)
  t.equal(own.statusCode, 200)
  t.equal(own.json().hidden, true)
  t.equal((await call(s.app, s.ali, 'GET', '/exchange/listings/mine')).json().items[0].hidden, true)
  t.equal((await call(s.app, s.caretaker, 'GET', `/exchange/listings/${listing.id}`)).statusCode, 200)
  t.equal((await call(s.app, s.caretaker, 'GET', photo.url.replace('/api/v1', ''))).statusCode, 200)
  t.equal((await call(s.app, s.bruno, 'GET', `/exchange/listings/${listing.id}`)).statusCode, 404)
  t.equal((await call(s.app, s.bruno, 'GET', photo.url.replace('/api/v1', ''))).statusCode, 404)
  const patch = await call(s.app, s.bruno, 'PATCH', `/exchange/listings/${listing.id}`, { title: 'Tentative' })
  t.equal(patch.statusCode, 404, 'hidden: 404 where a visible one is 403')
  s.app.db.prepare('UPDATE exchange_listings SET hidden_at = NULL WHERE id = ?').run(listing.id)
  t.same(titles(await list(s.app, s.bruno)), ['Perceuse à percussion'], 'kept by the caretaker: listed again')
})

t.test('photos: images only, three at most, readable by whoever reads the listing', async (t) => {
  const s = await neighbours(t)
  const listing = await publish(s.app, s.amina)
  const dir = path.join(s.config.dataDir, 'files', 'exchange')
  const first = await upload(s.app, s.amina, listing.id, PNG)
  t.equal(first.statusCode, 201)
  t.match(first.json(), { mime: 'image/png', url: `/api/v1/exchange/listings/${listing.id}/photos/${first.json().id}` })
  const text = await upload(s.app, s.amina, listing.id, Buffer.from('bonjour, ceci est un texte\n'))
  t.equal(text.statusCode, 415)
  t.equal(text.json().code, 'PALIER_NOT_AN_IMAGE')
  t.equal((await upload(s.app, s.amina, listing.id, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml')).statusCode, 415)
  t.equal((await call(s.app, s.amina, 'POST', `/exchange/listings/${listing.id}/photos`, { a: 1 })).statusCode, 415, 'JSON is not a photo')
  const big = await upload(s.app, s.amina, listing.id, Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]))
  t.equal(big.statusCode, 413)
  const second = await upload(s.app, s.ali, listing.id, JPEG, 'image/webp')
  t.equal(second.json().mime, 'image/jpeg', 'the type comes from the bytes')
  const third = await upload(s.app, s.amina, listing.id, PNG)
  t.equal(third.statusCode, 201)
  const fourth = await upload(s.app, s.amina, listing.id, PNG)
  t.equal(fourth.statusCode, 409)
  t.equal(fourth.json().code, 'PALIER_TOO_MANY_PHOTOS')
  const ids = [first.json().id, second.json().id, third.json().id]
  t.same(readdirSync(dir).sort(), [...ids].sort(), 'only the finished photos on disk, no temporary file')

  const seen = (await call(s.app, s.bruno, 'GET', `/exchange/listings/${listing.id}`)).json() as Listing
  t.same(seen.photos.map((p) => p.id), ids, 'in the order they were added')
  t.equal((await list(s.app, s.bruno)).items[0]!.photo?.id, ids[0], 'the list shows the first')
  const got = await call(s.app, s.bruno, 'GET', `/exchange/listings/${listing.id}/photos/${ids[1]}`)
  t.equal(got.statusCode, 200)
  t.equal(got.headers['content-type'], 'image/jpeg')
  t.equal(got.headers['x-content-type-options'], 'nosniff')
  t.same(got.rawPayload, JPEG)
  t.equal((await call(s.app, s.bruno, 'GET', `/exchange/listings/${listing.id}/photos/01890000-0000-7000-8000-000000000000`)).statusCode, 404)
  const other = await publish(s.app, s.chloe)
  t.equal((await call(s.app, s.bruno, 'GET', `/exchange/listings/${other.id}/photos/${ids[0]}`)).statusCode, 404, 'a photo belongs to its listing')

  const notYours = await call(s.app, s.bruno, 'DELETE', `/exchange/listings/${listing.id}/photos/${ids[0]}`)
  t.equal(notYours.statusCode, 403)
  const removed = await call(s.app, s.ali, 'DELETE', `/exchange/listings/${listing.id}/photos/${ids[0]}`)
  t.equal(removed.statusCode, 204)
  t.same(readdirSync(dir).sort(), [ids[1], ids[2]].sort(), 'its file removed')
  t.equal((await call(s.app, s.bruno, 'GET', `/exchange/listings/${listing.id}/photos/${ids[0]}`)).statusCode, 404)
  t.equal((await call(s.app, s.ali, 'DELETE', `/exchange/listings/${listing.id}/photos/${ids[0]}`)).statusCode, 404)
  const again = await upload(s.app, s.amina, listing.id, PNG)
  t.equal(again.statusCode, 201, 'a free place again')
  t.equal((await call(s.app, s.bruno, 'GET', `/exchange/listings/${listing.id}`)).json().photos[0].id, again.json().id, 'in the freed first place')
  await call(s.app, s.amina, 'PATCH', `/exchange/listings/${listing.id}`, { status: 'withdrawn' })
  t.equal((await call(s.app, s.bruno, 'GET', `/exchange/listings/${listing.id}/photos/${ids[1]}`)).statusCode, 404, 'withdrawn: its photos too')
  t.equal((await upload(s.app, s.amina, listing.id, PNG)).json().code, 'PALIER_LISTING_CLOSED')
})

t.test('photo uploads a crash interrupted are swept at start', async (t) => {
  const s = await build(t)
  const dir = path.join(s.config.dataDir, 'files', 'exchange')
  writeFileSync(path.join(dir, '.01890000-0000-7000-8000-000000000000.part'), 'half')
  writeFileSync(path.join(dir, 'kept'), 'whole')
  const again = await buildApp(s.config, { now: () => s.clock.now })
  t.teardown(() => again.close())
  t.same(readdirSync(dir), ['kept'])
})

t.test('counters: one stats.exchange event per finished UTC day, counts only', async (t) => {
  const s = await neighbours(t)
  // Noon UTC, so that a few hours stay on the same day.
  s.clock.now = Date.UTC(2026, 10, 20, 12)
  const day1 = '2026-11-20'
  const a = await publish(s.app, s.amina, { title: 'Secret: le code de la porte 1234' })
  const b = await publish(s.app, s.bruno)
  await call(s.app, s.amina, 'PATCH', `/exchange/listings/${a.id}`, { status: 'done' })
  const outbox = () =>
    (s.app.db.prepare('SELECT type, payload FROM outbox ORDER BY id').all() as { type: string; payload: string }[]).map((r) => [r.type, JSON.parse(r.payload)])
  flushCounters(s.app.db, s.clock.now)
  t.same(outbox(), [], 'today is not over')
  s.clock.advance(12 * 3_600_000)
  await call(s.app, s.bruno, 'PATCH', `/exchange/listings/${b.id}`, { status: 'done' })
  await publish(s.app, s.chloe)
  s.clock.advance(2 * DAY)
  flushCounters(s.app.db, s.clock.now)
  const events = outbox()
  t.same(events, [
    ['stats.exchange', { day: day1, listings: 2, completed: 1 }],
    ['stats.exchange', { day: '2026-11-21', listings: 1, completed: 1 }],
  ])
  for (const [, payload] of events) {
    t.same(Object.keys(payload).sort(), ['completed', 'day', 'listings'], 'counts only')
    const text = JSON.stringify(payload)
    for (const secret of [a.id, b.id, s.flats.a.id, s.flats.b.id, 'Secret', 'Perceuse', 'A-12', 'Amina']) t.notOk(text.includes(secret), `no ${secret}`)
  }
  flushCounters(s.app.db, s.clock.now)
  t.equal(outbox().length, 2, 'each day sent once')
  t.same(
    s.app.db.prepare('SELECT day, sent_at IS NOT NULL AS sent FROM exchange_counters ORDER BY day').all(),
    [
      { day: day1, sent: 1 },
      { day: '2026-11-21', sent: 1 },
    ],
  )
  t.same(
    (s.app.db.prepare('SELECT DISTINCT type FROM outbox').all() as { type: string }[]).map((r) => r.type),
    ['stats.exchange'],
    'nothing else of the exchange left the building',
  )
})

t.test('counters are flushed at start-up for days that ended while the box was off', async (t) => {
  const s = await build(t)
  s.app.db.prepare("INSERT INTO exchange_counters (day, listings, completed) VALUES ('2020-01-01', 3, 1)").run()
  const again = await buildApp(s.config, { now: () => s.clock.now })
  t.teardown(() => again.close())
  t.same(
    (again.db.prepare("SELECT type, payload FROM outbox WHERE type = 'stats.exchange'").all() as { type: string; payload: string }[]).map((r) => JSON.parse(r.payload)),
    [{ day: '2020-01-01', listings: 3, completed: 1 }],
  )
})

t.test('kept pages: the same answer as the database, whoever wrote and whenever a listing expires', async (t) => {
  const s = await neighbours(t)
  const a = await publish(s.app, s.amina, { title: 'Perceuse rouge', expiresInDays: 1 })
  await publish(s.app, s.bruno, { title: 'Perceuse bleue', expiresInDays: 2 })
  t.same(titles(await list(s.app, s.chloe, '?q=perceuse')), ['Perceuse bleue', 'Perceuse rouge'])
  t.same((await list(s.app, s.amina, '?q=perceuse')).items.map((i) => i.mine), [false, true], '"mine" is the viewer’s, not the first asker’s')
  t.same((await list(s.app, s.bruno, '?q=perceuse')).items.map((i) => i.mine), [true, false])
  t.same((await list(s.app, s.caretaker, '?q=perceuse')).items.map((i) => i.mine), [false, false])
  // Another process (a restore, the bench's seeder) writes to the same file.
  const other = openDatabase(path.join(s.config.dataDir, 'palier.sqlite'))
  t.teardown(() => other.close())
  other.prepare("UPDATE exchange_listings SET title = 'Perceuse verte' WHERE id = ?").run(a.id)
  // Another process's writes are looked for at most every 250 ms (this process's, at once).
  await new Promise((resolve) => setTimeout(resolve, 300))
  t.same(titles(await list(s.app, s.chloe, '?q=perceuse')), ['Perceuse bleue', 'Perceuse verte'], 'a write by another connection is seen')
  // Within a minute, so that not even a session is touched in between.
  s.app.db.prepare('UPDATE exchange_listings SET expires_at = ? WHERE id = ?').run(s.clock.now + 20_000, a.id)
  t.same(titles(await list(s.app, s.chloe, '?q=perceuse')), ['Perceuse bleue', 'Perceuse verte'])
  s.clock.advance(20_001)
  t.same(titles(await list(s.app, s.chloe, '?q=perceuse')), ['Perceuse bleue'], 'an expiry is seen without any write')
  s.clock.advance(-20_000)
  t.same(titles(await list(s.app, s.chloe, '?q=perceuse')), ['Perceuse bleue', 'Perceuse verte'], 'a clock stepped back is seen too')
})

t.test('kept pages are sent as they would be serialised, with an ETag per copy', async (t) => {
  const s = await neighbours(t)
  await publish(s.app, s.amina, { title: 'Perceuse rouge' })
  await publish(s.app, s.bruno, { title: 'Perceuse bleue' })
  const first = await call(s.app, s.chloe, 'GET', '/exchange/listings?q=perceuse')
  t.equal(first.statusCode, 200)
  t.equal(first.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(first.headers['cache-control'], 'private, no-cache')
  const etag = first.headers.etag as string
  t.match(etag, /^"[^"]+"$/)
  t.equal(first.body, JSON.stringify(first.json()), 'plain compact JSON of the page')
  t.same(first.json().items.map((i: Summary) => [i.title, i.mine]), [['Perceuse bleue', false], ['Perceuse rouge', false]])
  const again = await call(s.app, s.chloe, 'GET', '/exchange/listings?q=perceuse')
  t.equal(again.headers.etag, etag, 'the same copy for the same page')
  const cached = await s.app.inject({ method: 'GET', url: '/api/v1/exchange/listings?q=perceuse', headers: { cookie: s.chloe, 'if-none-match': etag } })
  t.equal(cached.statusCode, 304)
  t.equal(cached.body, '')
  // Another household's "mine" differs: not the same copy.
  const amina = await call(s.app, s.amina, 'GET', '/exchange/listings?q=perceuse')
  t.not(amina.headers.etag, etag)
  t.equal((await s.app.inject({ method: 'GET', url: '/api/v1/exchange/listings?q=perceuse', headers: { cookie: s.amina, 'if-none-match': etag } })).statusCode, 200)
  // A write changes the page and its ETag at once.
  await publish(s.app, s.amina, { title: 'Perceuse verte' })
  const after = await s.app.inject({ method: 'GET', url: '/api/v1/exchange/listings?q=perceuse', headers: { cookie: s.chloe, 'if-none-match': etag } })
  t.equal(after.statusCode, 200)
  t.not(after.headers.etag, etag)
  t.equal(titles(after.json()).length, 3)
})
