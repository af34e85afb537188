import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { newId } from '../../lib/ids.js'
import { build, building, createFlat, createInvite, joinAs } from '../../../test/helpers.js'
import { exchangeSettings } from './moderation-store.js'

// Listings, conversations and messages are written straight into the tables: these tests are
// about moderation, not about the routes that create them.

type Api = ReturnType<typeof apiFor>

function apiFor(app: FastifyInstance, cookie: string) {
  return {
    get: (url: string) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } }),
    post: (url: string, payload: object = {}) => app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { cookie }, payload }),
    put: (url: string, payload: object = {}) => app.inject({ method: 'PUT', url: `/api/v1${url}`, headers: { cookie }, payload }),
  }
}

async function userId(api: Api): Promise<string> {
  return (await api.get('/me')).json().id
}

/**
 * Caretaker; flat A-12 with Amina and Karim; B-3 with Bilal and Béa; C-7 with Chloé; D-1 with
 * Dora; E-2 with Eli; F-0 with nobody (a household without a smartphone).
 */
async function setup(t: Test) {
  const { app, clock } = await build(t)
  const { caretaker, flat: flatA, invite, resident: amina } = await building(app)
  const karim = await joinAs(app, invite.code, 'karim', 'Karim')
  const member = async (label: string, ...logins: string[]) => {
    const flat = await createFlat(app, caretaker, label)
    const code = (await createInvite(app, caretaker, flat.id)).code
    const cookies: string[] = []
    for (const login of logins) cookies.push(await joinAs(app, code, login, login[0]!.toUpperCase() + login.slice(1)))
    return { flat, cookies }
  }
  const b = await member('B-3', 'bilal', 'bea')
  const c = await member('C-7', 'chloe')
  const d = await member('D-1', 'dora')
  const e = await member('E-2', 'eli')
  const flatF = await createFlat(app, caretaker, 'F-0')
  const api = (cookie: string) => apiFor(app, cookie)
  const s = {
    app,
    clock,
    flats: { a: flatA.id, b: b.flat.id, c: c.flat.id, d: d.flat.id, e: e.flat.id, f: flatF.id },
    caretaker: api(caretaker),
    amina: api(amina),
    karim: api(karim),
    bilal: api(b.cookies[0]!),
    bea: api(b.cookies[1]!),
    chloe: api(c.cookies[0]!),
    dora: api(d.cookies[0]!),
    eli: api(e.cookies[0]!),
  }
  return { ...s, ids: { amina: await userId(s.amina), bilal: await userId(s.bilal), caretaker: await userId(s.caretaker) } }
}

function insertListing(app: FastifyInstance, flatId: string, authorId: string, title = 'Perceuse à prêter', now = Date.now()): string {
  const id = newId(now)
  app.db
    .prepare(
      `INSERT INTO exchange_listings (id, flat_id, author_id, direction, kind, category, title, description, status, expires_at, created_at, updated_at)
       VALUES (?, ?, ?, 'offer', 'lend', 'tools', ?, 'Une perceuse Bosch, avec ses mèches.', 'open', ?, ?, ?)`,
    )
    .run(id, flatId, authorId, title, now + 30 * 86_400_000, now, now)
  return id
}

function insertConversation(app: FastifyInstance, listingId: string, ownerFlatId: string, otherFlatId: string): string {
  const id = newId()
  app.db
    .prepare('INSERT INTO exchange_conversations (id, listing_id, owner_flat_id, other_flat_id, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(id, listingId, ownerFlatId, otherFlatId, Date.now())
  return id
}

function insertMessage(app: FastifyInstance, conversationId: string, flatId: string, authorId: string, body: string): string {
  const id = newId()
  app.db
    .prepare('INSERT INTO exchange_messages (id, conversation_id, flat_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(id, conversationId, flatId, authorId, body, Date.now())
  return id
}

function listingState(app: FastifyInstance, id: string) {
  return app.db.prepare('SELECT status, hidden_at, reviewed_at FROM exchange_listings WHERE id = ?').get(id) as {
    status: string
    hidden_at: number | null
    reviewed_at: number | null
  }
}

function outboxCount(app: FastifyInstance): number {
  return (app.db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n
}

const reportListing = (api: Api, targetId: string, reason = '') => api.post('/exchange/reports', { targetKind: 'listing', targetId, reason })
const reportMessage = (api: Api, targetId: string, reason = '') => api.post('/exchange/reports', { targetKind: 'message', targetId, reason })

t.test('settings: defaults, read by residents, changed by the caretaker only, bounds checked', async (t) => {
  const s = await setup(t)
  const defaults = { timeBankEnabled: false, minBalanceMinutes: -600, maxBalanceMinutes: 1200, reportThreshold: 3 }
  t.same(exchangeSettings(s.app.db), defaults)
  const read = await s.amina.get('/exchange/settings')
  t.equal(read.statusCode, 200)
  t.same(read.json(), defaults)

  const byResident = await s.amina.put('/exchange/settings', { timeBankEnabled: true })
  t.equal(byResident.statusCode, 403)
  t.equal(exchangeSettings(s.app.db).timeBankEnabled, false)

  for (const bad of [
    { minBalanceMinutes: 1 },
    { maxBalanceMinutes: -1 },
    { reportThreshold: 0 },
    { reportThreshold: 21 },
    { minBalanceMinutes: -60_001 },
    { timeBankEnabled: 'yes' },
  ]) {
    const res = await s.caretaker.put('/exchange/settings', bad)
    t.equal(res.statusCode, 400, JSON.stringify(bad))
    t.equal(res.json().code, 'PALIER_INVALID_INPUT')
  }
  t.same(exchangeSettings(s.app.db), defaults, 'nothing written by refused changes')

  const changed = await s.caretaker.put('/exchange/settings', { timeBankEnabled: true, minBalanceMinutes: 0, reportThreshold: 5 })
  t.equal(changed.statusCode, 200)
  const expected = { timeBankEnabled: true, minBalanceMinutes: 0, maxBalanceMinutes: 1200, reportThreshold: 5 }
  t.same(changed.json(), expected, 'fields left out keep their value')
  t.same((await s.bilal.get('/exchange/settings')).json(), expected)
  t.same(exchangeSettings(s.app.db), expected)
  const stored = s.app.db.prepare("SELECT key, value FROM settings WHERE key LIKE 'exchange.%' ORDER BY key").all()
  t.same(stored, [
    { key: 'exchange.maxBalanceMinutes', value: '1200' },
    { key: 'exchange.minBalanceMinutes', value: '0' },
    { key: 'exchange.reportThreshold', value: '5' },
    { key: 'exchange.timeBankEnabled', value: 'true' },
  ])

  // A value the code cannot read (hand-edited database) falls back to its default.
  s.app.db.prepare("UPDATE settings SET value = '12abc' WHERE key = 'exchange.maxBalanceMinutes'").run()
  s.app.db.prepare("UPDATE settings SET value = '-5' WHERE key = 'exchange.reportThreshold'").run()
  t.same(exchangeSettings(s.app.db), { ...expected, maxBalanceMinutes: 1200, reportThreshold: 3 })
})

t.test('rights: the queue is the caretaker’s; what a household cannot see it cannot report', async (t) => {
  const s = await setup(t)
  const listing = insertListing(s.app, s.flats.a, s.ids.amina)
  const conversation = insertConversation(s.app, listing, s.flats.a, s.flats.b)
  const message = insertMessage(s.app, conversation, s.flats.b, s.ids.bilal, 'Message de Bilal')

  for (const res of [
    await s.amina.get('/exchange/reports'),
    await s.amina.post(`/exchange/reports/listing/${listing}/resolve`, { resolution: 'kept' }),
    await s.amina.get('/exchange/on-behalf'),
  ]) {
    t.equal(res.statusCode, 403)
    t.equal(res.json().code, 'PALIER_FORBIDDEN')
  }

  const third = await reportMessage(s.chloe, message, 'je l’ai vu')
  t.equal(third.statusCode, 404, 'a household outside the conversation cannot report its messages')
  t.equal(third.json().code, 'PALIER_NOT_FOUND')
  t.equal((await reportListing(s.chloe, newId())).statusCode, 404, 'unknown listing')
  t.equal((await reportMessage(s.chloe, newId())).statusCode, 404, 'unknown message')
  t.equal((await reportListing(s.chloe, message)).statusCode, 404, 'a message id is not a listing')

  // Hidden by reports: only its own household still sees it, so no one else can report it.
  const hidden = insertListing(s.app, s.flats.d, s.ids.amina, 'Annonce masquée')
  s.app.db.prepare('UPDATE exchange_listings SET hidden_at = ? WHERE id = ?').run(Date.now(), hidden)
  const r = await reportListing(s.chloe, hidden)
  t.equal(r.statusCode, 404)

  // Blocked either way: the listing is out of sight.
  s.app.db.prepare('INSERT INTO exchange_blocks (flat_id, blocked_flat_id, created_at) VALUES (?, ?, ?)').run(s.flats.a, s.flats.e, Date.now())
  t.equal((await reportListing(s.eli, listing)).statusCode, 404, 'blocked by the listing’s household')
  s.app.db.prepare('INSERT INTO exchange_blocks (flat_id, blocked_flat_id, created_at) VALUES (?, ?, ?)').run(s.flats.c, s.flats.a, Date.now())
  t.equal((await reportListing(s.chloe, listing)).statusCode, 404, 'blocked the listing’s household')

  const own = await reportListing(s.karim, listing)
  t.equal(own.statusCode, 409, 'a household does not report its own listing')
  t.equal(own.json().code, 'PALIER_REPORT_OWN')
  t.equal((await reportMessage(s.bea, message)).statusCode, 409, 'nor its own message')

  const asCaretaker = await reportListing(s.caretaker, listing)
  t.equal(asCaretaker.statusCode, 403, 'the caretaker reports only on behalf of a household')
  t.equal(asCaretaker.json().code, 'PALIER_RESIDENTS_ONLY')
  const forResidentFlat = await s.caretaker.post(`/exchange/reports?asFlat=${s.flats.b}`, { targetKind: 'listing', targetId: listing })
  t.equal(forResidentFlat.statusCode, 403)
  t.equal(forResidentFlat.json().code, 'PALIER_ON_BEHALF_NOT_ALLOWED')

  const tooLong = await reportListing(s.bilal, listing, 'x'.repeat(501))
  t.equal(tooLong.statusCode, 400)
  t.equal((s.app.db.prepare('SELECT COUNT(*) AS n FROM exchange_reports').get() as { n: number }).n, 0, 'no refused report was recorded')

  const ok = await reportMessage(s.amina, message, '  Propos   déplacés\n')
  t.equal(ok.statusCode, 201, 'a household of the conversation may report the other’s message')
  t.match(ok.json(), { targetKind: 'message', targetId: message, reason: 'Propos déplacés', resolution: null })
})

t.test('a listing reported by 3 distinct households is hidden; a household counts once', async (t) => {
  const s = await setup(t)
  const listing = insertListing(s.app, s.flats.a, s.ids.amina)

  const first = await reportListing(s.bilal, listing, 'Arnaque ?')
  t.equal(first.statusCode, 201)
  const again = await reportListing(s.bea, listing, 'Moi aussi')
  t.equal(again.statusCode, 200, 'the same household again: the first report, not a second')
  t.same(again.json(), first.json())
  t.equal((await reportListing(s.bilal, listing)).statusCode, 200)
  t.equal((await reportListing(s.chloe, listing, 'Bizarre')).statusCode, 201)
  t.equal(listingState(s.app, listing).hidden_at, null, 'two households: still shown')

  s.clock.advance(60_000)
  t.equal((await reportListing(s.dora, listing)).statusCode, 201)
  t.equal(listingState(s.app, listing).hidden_at, s.clock.now, 'the third household hides it')

  const late = await reportListing(s.eli, listing)
  t.equal(late.statusCode, 404, 'hidden: other households no longer see it, nor report it')

  const queue = await s.caretaker.get('/exchange/reports')
  t.equal(queue.statusCode, 200)
  t.match(queue.json(), {
    items: [
      {
        targetKind: 'listing',
        targetId: listing,
        count: 3,
        reasons: ['Arnaque ?', 'Bizarre'],
        listing: {
          id: listing,
          title: 'Perceuse à prêter',
          description: 'Une perceuse Bosch, avec ses mèches.',
          household: { id: s.flats.a, label: 'A-12', name: 'Amina' },
          hidden: true,
          status: 'open',
        },
      },
    ],
  })
  t.equal(queue.json().items[0].message, undefined)

  // Seen only by its household and the caretaker, through the listings' own route when it is
  // there (written by another module at the same time as this one).
  if (s.app.hasRoute({ method: 'GET', url: '/api/v1/exchange/listings/:id' })) {
    t.equal((await s.amina.get(`/exchange/listings/${listing}`)).statusCode, 200, 'its household still sees it')
    t.equal((await s.karim.get(`/exchange/listings/${listing}`)).statusCode, 200)
    t.equal((await s.caretaker.get(`/exchange/listings/${listing}`)).statusCode, 200, 'the caretaker sees it')
    t.equal((await s.eli.get(`/exchange/listings/${listing}`)).statusCode, 404, 'another household does not')
    t.equal((await s.bilal.get(`/exchange/listings/${listing}`)).statusCode, 404)
  } else {
    t.comment('GET /exchange/listings/:id not there yet: visibility checked through reports only')
  }
  t.equal((await reportListing(s.karim, listing)).statusCode, 409, 'its own household still sees it (own, not missing)')
})

t.test('a threshold of 1 hides at the first report; lowering it hides listings already reported that often', async (t) => {
  const s = await setup(t)
  const early = insertListing(s.app, s.flats.a, s.ids.amina, 'Signalée deux fois')
  await reportListing(s.bilal, early)
  await reportListing(s.chloe, early)
  t.equal(listingState(s.app, early).hidden_at, null)

  t.equal((await s.caretaker.put('/exchange/settings', { reportThreshold: 2 })).statusCode, 200)
  t.not(listingState(s.app, early).hidden_at, null, 'two reports now reach the threshold')

  t.equal((await s.caretaker.put('/exchange/settings', { reportThreshold: 1 })).statusCode, 200)
  const listing = insertListing(s.app, s.flats.a, s.ids.amina, 'Une seule suffit')
  t.equal((await reportListing(s.dora, listing)).statusCode, 201)
  t.not(listingState(s.app, listing).hidden_at, null)
})

t.test('review: kept shows the listing again, earlier reports do not count twice; removed withdraws it', async (t) => {
  const s = await setup(t)
  const listing = insertListing(s.app, s.flats.a, s.ids.amina)
  for (const api of [s.bilal, s.chloe, s.dora]) await reportListing(api, listing)
  t.not(listingState(s.app, listing).hidden_at, null)

  const bad = await s.caretaker.post(`/exchange/reports/listing/${listing}/resolve`, { resolution: 'maybe' })
  t.equal(bad.statusCode, 400)
  const nothing = await s.caretaker.post(`/exchange/reports/listing/${newId()}/resolve`, { resolution: 'kept' })
  t.equal(nothing.statusCode, 404, 'no open report on that target')

  s.clock.advance(60_000)
  const kept = await s.caretaker.post(`/exchange/reports/listing/${listing}/resolve`, { resolution: 'kept' })
  t.equal(kept.statusCode, 200)
  t.same(kept.json(), { targetKind: 'listing', targetId: listing, resolution: 'kept', reports: 3 })
  t.same(listingState(s.app, listing), { status: 'open', hidden_at: null, reviewed_at: s.clock.now })
  t.same((await s.caretaker.get('/exchange/reports')).json(), { items: [] }, 'the queue is empty')
  const twice = await s.caretaker.post(`/exchange/reports/listing/${listing}/resolve`, { resolution: 'removed' })
  t.equal(twice.statusCode, 404, 'already reviewed')
  t.equal(listingState(s.app, listing).status, 'open')

  // The households that reported before the review get their first report back, which no
  // longer counts; it takes three new households to hide the listing again.
  const repeat = await reportListing(s.bilal, listing)
  t.equal(repeat.statusCode, 200)
  t.equal(repeat.json().resolution, 'kept')
  await reportListing(s.chloe, listing)
  await reportListing(s.eli, listing)
  t.equal(listingState(s.app, listing).hidden_at, null, 'one new household only')
  t.match((await s.caretaker.get('/exchange/reports')).json(), { items: [{ targetId: listing, count: 1 }] })

  s.clock.advance(60_000)
  const removed = await s.caretaker.post(`/exchange/reports/listing/${listing}/resolve`, { resolution: 'removed' })
  t.equal(removed.statusCode, 200)
  t.same(listingState(s.app, listing), { status: 'withdrawn', hidden_at: s.clock.now, reviewed_at: s.clock.now })
  t.same(
    s.app.db.prepare('SELECT resolution FROM exchange_reports WHERE target_id = ? ORDER BY seq').all(listing),
    [{ resolution: 'kept' }, { resolution: 'kept' }, { resolution: 'kept' }, { resolution: 'removed' }],
  )
})

t.test('a reported message reaches the caretaker alone; removed, its body is emptied', async (t) => {
  const s = await setup(t)
  const listing = insertListing(s.app, s.flats.a, s.ids.amina)
  const conversation = insertConversation(s.app, listing, s.flats.a, s.flats.b)
  insertMessage(s.app, conversation, s.flats.b, s.ids.bilal, 'Bonjour, CONFIDENTIEL-1 est-elle libre ?')
  insertMessage(s.app, conversation, s.flats.a, s.ids.amina, 'Oui, passez au CONFIDENTIEL-2')
  const rude = insertMessage(s.app, conversation, s.flats.b, s.ids.bilal, 'Message injurieux')
  insertMessage(s.app, conversation, s.flats.a, s.ids.amina, 'CONFIDENTIEL-3 : je préfère arrêter là')
  const before = outboxCount(s.app)

  t.equal((await reportMessage(s.karim, rude, 'Insultes')).statusCode, 201)
  const queue = await s.caretaker.get('/exchange/reports')
  t.equal(queue.statusCode, 200)
  t.same(queue.json().items, [
    {
      targetKind: 'message',
      targetId: rude,
      count: 1,
      reasons: ['Insultes'],
      firstReportedAt: s.clock.now,
      lastReportedAt: s.clock.now,
      message: {
        id: rude,
        body: 'Message injurieux',
        household: { id: s.flats.b, label: 'B-3', name: 'Bilal' },
        onBehalf: false,
        createdAt: queue.json().items[0].message.createdAt,
      },
    },
  ])
  t.notMatch(queue.body, /CONFIDENTIEL/, 'no other message of the conversation')
  t.notMatch(queue.body, new RegExp(conversation), 'not even the conversation’s id')
  if (s.app.hasRoute({ method: 'GET', url: '/api/v1/exchange/conversations/:id' })) {
    t.equal((await s.caretaker.get(`/exchange/conversations/${conversation}`)).statusCode, 404, 'the conversation stays closed to the caretaker')
  }

  const removed = await s.caretaker.post(`/exchange/reports/message/${rude}/resolve`, { resolution: 'removed' })
  t.equal(removed.statusCode, 200)
  t.notMatch(removed.body, /CONFIDENTIEL|injurieux/)
  const bodies = s.app.db.prepare('SELECT body FROM exchange_messages WHERE conversation_id = ? ORDER BY seq').all(conversation) as { body: string }[]
  t.same(bodies.map((b) => b.body), [
    'Bonjour, CONFIDENTIEL-1 est-elle libre ?',
    'Oui, passez au CONFIDENTIEL-2',
    '',
    'CONFIDENTIEL-3 : je préfère arrêter là',
  ])
  t.same((await s.caretaker.get('/exchange/reports')).json(), { items: [] })
  t.equal(listingState(s.app, listing).status, 'open', 'the listing is not touched')

  // Once a household blocked the other, the other's messages are out of its sight.
  const other = insertMessage(s.app, conversation, s.flats.b, s.ids.bilal, 'Encore un')
  s.app.db.prepare('INSERT INTO exchange_blocks (flat_id, blocked_flat_id, created_at) VALUES (?, ?, ?)').run(s.flats.a, s.flats.b, Date.now())
  t.equal((await reportMessage(s.amina, other)).statusCode, 404)

  t.equal(outboxCount(s.app), before, 'nothing from moderation in the outbox')
})

t.test('on behalf: the caretaker sees the households without an account and reports for them', async (t) => {
  const s = await setup(t)
  const list = await s.caretaker.get('/exchange/on-behalf')
  t.equal(list.statusCode, 200)
  t.same(list.json(), { items: [{ id: s.flats.f, label: 'F-0', name: 'F-0' }] })

  // Revoking Dora, D-1's only resident, leaves D-1 without a smartphone.
  const dora = await userId(s.dora)
  t.equal((await s.caretaker.post(`/residents/${dora}/revoke`)).statusCode, 200)
  t.same(
    (await s.caretaker.get('/exchange/on-behalf')).json().items.map((f: { label: string }) => f.label),
    ['D-1', 'F-0'],
  )

  const listing = insertListing(s.app, s.flats.a, s.ids.amina)
  const before = outboxCount(s.app)
  const res = await s.caretaker.post(`/exchange/reports?asFlat=${s.flats.f}`, { targetKind: 'listing', targetId: listing, reason: 'Au nom de M. Faure' })
  t.equal(res.statusCode, 201)
  t.same(s.app.db.prepare('SELECT flat_id, reporter_id FROM exchange_reports').all(), [{ flat_id: s.flats.f, reporter_id: s.ids.caretaker }])
  t.equal(outboxCount(s.app), before)
})
