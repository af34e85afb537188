// Loans (life cycle, reminders, rights), "merci" and households' profiles.
import t, { type Test } from 'tap'
import { prepared, type Db } from '../../db/index.js'
import { newId } from '../../lib/ids.js'
import { build, building, createFlat, createInvite, joinAs } from '../../../test/helpers.js'
import { isDueTomorrow, loanCounts, parisDay } from './loans-store.js'

const DAY = 86_400_000
const HOUR = 3_600_000

/** Caretaker; A-12 (Amina), B-3 (Bilal), C-7 (Chloé); D-1 has no account. */
async function setup(t: Test, start = Date.UTC(2026, 0, 14, 10, 0)) {
  const built = await build(t)
  const { app, clock } = built
  // By default mid-January, 11:00 in Paris (winter time, UTC+1).
  clock.now = start
  const { caretaker, flat: flatA, resident: amina } = await building(app)
  const flatB = await createFlat(app, caretaker, 'B-3')
  const bilal = await joinAs(app, (await createInvite(app, caretaker, flatB.id)).code, 'bilal', 'Bilal')
  const flatC = await createFlat(app, caretaker, 'C-7')
  const chloe = await joinAs(app, (await createInvite(app, caretaker, flatC.id)).code, 'chloe', 'Chloé')
  const flatD = await createFlat(app, caretaker, 'D-1')
  const api = (cookie: string, query = '') => ({
    get: (url: string) => app.inject({ method: 'GET', url: `/api/v1${url}${query}`, headers: { cookie } }),
    post: (url: string, payload: object = {}) => app.inject({ method: 'POST', url: `/api/v1${url}${query}`, headers: { cookie }, payload }),
  })
  const db = app.db
  const userOf = (login: string) => (prepared(db, 'SELECT id FROM users WHERE login = ?').get(login) as { id: string }).id
  return {
    ...built,
    db,
    A: { ...flatA, api: api(amina), user: userOf('amina') },
    B: { ...flatB, api: api(bilal), user: userOf('bilal') },
    C: { ...flatC, api: api(chloe), user: userOf('chloe') },
    D: { ...flatD, api: api(caretaker, `?asFlat=${flatD.id}`), user: userOf('gardien') },
    caretaker: api(caretaker),
  }
}

/** A listing written straight into the table (the listings module is tested on its own). */
function listing(
  db: Db,
  now: number,
  owner: { id: string; user: string },
  fields: { kind?: string; direction?: string; status?: string; title?: string; expiresAt?: number; hidden?: boolean } = {},
): string {
  const id = newId(now)
  prepared(
    db,
    `INSERT INTO exchange_listings (id, flat_id, author_id, direction, kind, category, title, description, status, expires_at, hidden_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'tools', ?, 'Description', ?, ?, ?, ?, ?)`,
  ).run(
    id,
    owner.id,
    owner.user,
    fields.direction ?? 'offer',
    fields.kind ?? 'lend',
    fields.title ?? 'Perceuse',
    fields.status ?? 'open',
    fields.expiresAt ?? now + 30 * DAY,
    fields.hidden ? now : null,
    now,
    now,
  )
  return id
}

/** The conversation of `other` about a listing of `owner`. */
function conversation(db: Db, now: number, listingId: string, owner: { id: string }, other: { id: string }): string {
  const id = newId(now)
  prepared(db, 'INSERT INTO exchange_conversations (id, listing_id, owner_flat_id, other_flat_id, created_at) VALUES (?, ?, ?, ?, ?)').run(
    id,
    listingId,
    owner.id,
    other.id,
    now,
  )
  return id
}

function setStatus(db: Db, listingId: string, status: string) {
  prepared(db, 'UPDATE exchange_listings SET status = ? WHERE id = ?').run(status, listingId)
}

t.test('a loan from record to return: both households see it, reminded the day before, late, returned, thanked', async (t) => {
  const s = await setup(t)
  const drill = listing(s.db, s.clock.now, s.A)
  const conv = conversation(s.db, s.clock.now, drill, s.A, s.B)
  // Due Friday 16 January at 18:00 in Paris.
  const dueAt = Date.UTC(2026, 0, 16, 17, 0)
  const recorded = await s.A.api.post('/exchange/loans', { conversationId: conv, item: '  Perceuse   + mèches ', dueAt })
  t.equal(recorded.statusCode, 201)
  const loan = recorded.json()
  t.match(loan, {
    listingId: drill,
    listingTitle: 'Perceuse',
    conversationId: conv,
    lender: { id: s.A.id, label: 'A-12', name: 'Amina' },
    borrower: { id: s.B.id, label: 'B-3', name: 'Bilal' },
    item: 'Perceuse + mèches',
    dueAt,
    status: 'proposed',
    late: false,
    dueTomorrow: false,
    side: 'lender',
    createdAt: s.clock.now,
    confirmedAt: null,
    returnedAt: null,
  })
  t.same(loanCounts(s.db, s.B.id, s.clock.now), { dueTomorrow: 0, late: 0, toConfirm: 1 }, 'the borrower has one to confirm')
  t.same(loanCounts(s.db, s.A.id, s.clock.now), { dueTomorrow: 0, late: 0, toConfirm: 0 })

  const confirmed = await s.B.api.post(`/exchange/loans/${loan.id}/confirm`)
  t.equal(confirmed.statusCode, 200)
  t.match(confirmed.json(), { status: 'active', side: 'borrower', confirmedAt: s.clock.now })
  const mine = (await s.A.api.get('/exchange/loans')).json()
  t.same(mine.lent.map((l: { id: string }) => l.id), [loan.id])
  t.same(mine.borrowed, [])
  const theirs = (await s.B.api.get('/exchange/loans')).json()
  t.same(theirs.borrowed.map((l: { id: string; status: string }) => [l.id, l.status]), [[loan.id, 'active']])
  t.same(theirs.lent, [])
  t.same((await s.C.api.get('/exchange/loans')).json(), { lent: [], borrowed: [] }, 'no one else sees it')

  // Thursday 11:00: due tomorrow, for both.
  s.clock.advance(DAY)
  t.equal((await s.B.api.get('/exchange/loans')).json().borrowed[0].dueTomorrow, true)
  t.equal((await s.A.api.get('/exchange/loans')).json().lent[0].dueTomorrow, true)
  t.same(loanCounts(s.db, s.B.id, s.clock.now), { dueTomorrow: 1, late: 0, toConfirm: 0 })
  t.same(loanCounts(s.db, s.A.id, s.clock.now), { dueTomorrow: 1, late: 0, toConfirm: 0 })
  t.same(loanCounts(s.db, s.C.id, s.clock.now), { dueTomorrow: 0, late: 0, toConfirm: 0 })

  // Friday 11:00: due today, neither tomorrow nor late yet.
  s.clock.advance(DAY)
  t.match((await s.B.api.get('/exchange/loans')).json().borrowed[0], { dueTomorrow: false, late: false })

  // Friday 18:00 and one second: late, shown to both sides.
  s.clock.now = dueAt + 1000
  t.match((await s.B.api.get('/exchange/loans')).json().borrowed[0], { dueTomorrow: false, late: true })
  t.match((await s.A.api.get('/exchange/loans')).json().lent[0], { late: true })
  t.same(loanCounts(s.db, s.A.id, s.clock.now), { dueTomorrow: 0, late: 1, toConfirm: 0 })
  t.same(loanCounts(s.db, s.B.id, s.clock.now), { dueTomorrow: 0, late: 1, toConfirm: 0 })

  // Thanks only once it came back.
  const early = await s.B.api.post('/exchange/thanks', { listingId: drill, toFlatId: s.A.id, word: 'Merci !' })
  t.equal(early.statusCode, 409)
  t.equal(early.json().code, 'PALIER_EXCHANGE_NOT_DONE')

  s.clock.advance(HOUR)
  const returned = await s.A.api.post(`/exchange/loans/${loan.id}/returned`)
  t.equal(returned.statusCode, 200)
  t.match(returned.json(), { status: 'returned', late: false, returnedAt: s.clock.now })
  t.same(loanCounts(s.db, s.A.id, s.clock.now), { dueTomorrow: 0, late: 0, toConfirm: 0 })

  const thanks = await s.B.api.post('/exchange/thanks', { listingId: drill, toFlatId: s.A.id, word: ' Merci  beaucoup ! ' })
  t.equal(thanks.statusCode, 201)
  t.match(thanks.json(), { listingId: drill, from: { id: s.B.id }, to: { id: s.A.id, label: 'A-12' }, word: 'Merci beaucoup !', createdAt: s.clock.now })
  const profile = await s.C.api.get(`/exchange/households/${s.A.id}`)
  t.equal(profile.statusCode, 200)
  t.match(profile.json(), { household: { id: s.A.id, label: 'A-12', name: 'Amina' }, thanksReceived: 1, recentThanks: [{ word: 'Merci beaucoup !', at: s.clock.now }] })
  t.same(
    profile.json().openListings.map((l: { id: string; mine: boolean }) => [l.id, l.mine]),
    [[drill, false]],
  )
})

t.test('"tomorrow" is the next calendar day in Paris, around midnight and summer time', async (t) => {
  const active = (dueAt: number) => ({ status: 'active' as const, due_at: dueAt })
  // 23:59 in Paris on 28 February is 22:59 UTC; 00:01 on 1 March is still 28 February in UTC.
  const lateFeb28 = Date.UTC(2026, 1, 28, 22, 59)
  const earlyMar1 = Date.UTC(2026, 1, 28, 23, 1)
  t.equal(parisDay(lateFeb28), '2026-02-28')
  t.equal(parisDay(earlyMar1), '2026-03-01')
  const mar1Late = Date.UTC(2026, 2, 1, 22, 59) // 23:59 on 1 March in Paris
  const mar2Early = Date.UTC(2026, 2, 1, 23, 30) // 00:30 on 2 March in Paris, 1 March in UTC
  t.equal(isDueTomorrow(active(mar1Late), lateFeb28), true, 'due 1 March 23:59, seen 28 February 23:59')
  t.equal(isDueTomorrow(active(mar2Early), lateFeb28), false, 'due 2 March 00:30, seen 28 February 23:59')
  t.equal(isDueTomorrow(active(mar2Early), earlyMar1), true, 'due 2 March 00:30, seen 1 March 00:01')
  t.equal(isDueTomorrow(active(mar1Late), earlyMar1), false, 'due later the same day')
  // Clocks go forward on 29 March 2026: 23:30 that day in Paris is 21:30 UTC.
  t.equal(isDueTomorrow(active(Date.UTC(2026, 2, 29, 21, 30)), Date.UTC(2026, 2, 27, 23, 30)), true, 'across the change to summer time')
  t.equal(isDueTomorrow(active(Date.UTC(2026, 2, 29, 22, 30)), Date.UTC(2026, 2, 27, 23, 30)), false, '00:30 on 30 March is the day after')
  t.equal(isDueTomorrow({ status: 'proposed', due_at: mar1Late }, lateFeb28), false, 'only active loans')

  // The same through the counts and the list, just after midnight.
  const s = await setup(t, lateFeb28 - DAY)
  const drill = listing(s.db, s.clock.now, s.A)
  const conv = conversation(s.db, s.clock.now, drill, s.A, s.B)
  const loan = (await s.A.api.post('/exchange/loans', { conversationId: conv, item: 'Perceuse', dueAt: mar2Early })).json()
  t.equal((await s.B.api.post(`/exchange/loans/${loan.id}/confirm`)).statusCode, 200)
  s.clock.now = lateFeb28
  t.same(loanCounts(s.db, s.B.id, s.clock.now), { dueTomorrow: 0, late: 0, toConfirm: 0 })
  t.equal((await s.B.api.get('/exchange/loans')).json().borrowed[0].dueTomorrow, false)
  s.clock.now = earlyMar1
  t.same(loanCounts(s.db, s.B.id, s.clock.now), { dueTomorrow: 1, late: 0, toConfirm: 0 })
  t.equal((await s.B.api.get('/exchange/loans')).json().borrowed[0].dueTomorrow, true)
})

t.test('rights: only the two households see or touch a loan, and each does its own step', async (t) => {
  const s = await setup(t)
  const drill = listing(s.db, s.clock.now, s.A)
  const conv = conversation(s.db, s.clock.now, drill, s.A, s.B)
  const dueAt = s.clock.now + 3 * DAY

  t.equal((await s.C.api.post('/exchange/loans', { conversationId: conv, item: 'Perceuse', dueAt })).statusCode, 404, 'not their conversation')
  t.equal((await s.caretaker.post('/exchange/loans', { conversationId: conv, item: 'Perceuse', dueAt })).statusCode, 403, 'the caretaker has no household')
  const byBorrower = await s.B.api.post('/exchange/loans', { conversationId: conv, item: 'Perceuse', dueAt })
  t.equal(byBorrower.statusCode, 403, 'the lender records the loan')
  t.equal(byBorrower.json().code, 'PALIER_OTHER_HOUSEHOLD')
  for (const dueAtBad of [s.clock.now - 1, s.clock.now + 400 * DAY]) {
    const res = await s.A.api.post('/exchange/loans', { conversationId: conv, item: 'Perceuse', dueAt: dueAtBad })
    t.equal(res.statusCode, 400)
    t.equal(res.json().field, 'dueAt')
  }
  t.equal((await s.A.api.post('/exchange/loans', { conversationId: conv, item: '   ', dueAt })).statusCode, 400, 'an item of spaces')
  t.equal((await s.A.api.post('/exchange/loans', { conversationId: conv, item: 'x'.repeat(81), dueAt })).statusCode, 400)

  const loan = (await s.A.api.post('/exchange/loans', { conversationId: conv, item: 'Perceuse', dueAt })).json()
  for (const action of ['confirm', 'returned', 'cancel']) {
    const res = await s.C.api.post(`/exchange/loans/${loan.id}/${action}`)
    t.equal(res.statusCode, 404, `a third household: ${action} is 404`)
  }
  t.equal((await s.D.api.post(`/exchange/loans/${loan.id}/confirm`)).statusCode, 404, 'nor the caretaker for another household')
  const lenderConfirms = await s.A.api.post(`/exchange/loans/${loan.id}/confirm`)
  t.equal(lenderConfirms.statusCode, 403)
  t.equal(lenderConfirms.json().code, 'PALIER_OTHER_HOUSEHOLD')
  const tooSoon = await s.A.api.post(`/exchange/loans/${loan.id}/returned`)
  t.equal(tooSoon.statusCode, 409, 'not returned before it is confirmed')
  t.equal(tooSoon.json().code, 'PALIER_BAD_TRANSITION')
  t.equal((await s.B.api.post(`/exchange/loans/${loan.id}/confirm`)).statusCode, 200)
  t.equal((await s.B.api.post(`/exchange/loans/${loan.id}/confirm`)).statusCode, 409, 'confirmed once')
  const borrowerReturns = await s.B.api.post(`/exchange/loans/${loan.id}/returned`)
  t.equal(borrowerReturns.statusCode, 403, 'the lender marks it returned')
  t.equal(borrowerReturns.json().code, 'PALIER_OTHER_HOUSEHOLD')
  t.equal((await s.A.api.post(`/exchange/loans/${loan.id}/cancel`)).statusCode, 409, 'an active loan is not cancelled')
  t.equal((await s.A.api.post(`/exchange/loans/${loan.id}/returned`)).statusCode, 200)
  t.equal((await s.A.api.post(`/exchange/loans/${loan.id}/returned`)).statusCode, 409)

  // A proposed loan: cancelled by the lender, or declined by the borrower; cancelled ones leave the lists.
  const second = (await s.A.api.post('/exchange/loans', { conversationId: conv, item: 'Escabeau', dueAt })).json()
  const third = (await s.A.api.post('/exchange/loans', { conversationId: conv, item: 'Scie', dueAt })).json()
  t.equal((await s.A.api.post(`/exchange/loans/${second.id}/cancel`)).json().status, 'cancelled')
  t.equal((await s.B.api.post(`/exchange/loans/${third.id}/cancel`)).json().status, 'cancelled')
  t.equal((await s.B.api.post(`/exchange/loans/${third.id}/confirm`)).statusCode, 409)
  t.same((await s.B.api.get('/exchange/loans')).json().borrowed.map((l: { id: string }) => l.id), [loan.id])
  t.same(loanCounts(s.db, s.B.id, s.clock.now), { dueTomorrow: 0, late: 0, toConfirm: 0 })
})

t.test('which listings take a loan: lend only; on a request, the household that answered lends', async (t) => {
  const s = await setup(t)
  const gift = listing(s.db, s.clock.now, s.A, { kind: 'give', title: 'Berceau' })
  const giftConv = conversation(s.db, s.clock.now, gift, s.A, s.B)
  const dueAt = s.clock.now + 3 * DAY
  const notLend = await s.A.api.post('/exchange/loans', { conversationId: giftConv, item: 'Berceau', dueAt })
  t.equal(notLend.statusCode, 409)
  t.equal(notLend.json().code, 'PALIER_NOT_A_LOAN')

  // B asks to borrow a ladder; C answers and lends it.
  const wanted = listing(s.db, s.clock.now, s.B, { direction: 'request', title: 'Cherche escabeau' })
  const conv = conversation(s.db, s.clock.now, wanted, s.B, s.C)
  t.equal((await s.B.api.post('/exchange/loans', { conversationId: conv, item: 'Escabeau', dueAt })).statusCode, 403)
  const lent = await s.C.api.post('/exchange/loans', { conversationId: conv, item: 'Escabeau', dueAt })
  t.equal(lent.statusCode, 201)
  t.match(lent.json(), { lender: { id: s.C.id }, borrower: { id: s.B.id }, conversationId: conv })

  setStatus(s.db, wanted, 'withdrawn')
  const closed = await s.C.api.post('/exchange/loans', { conversationId: conv, item: 'Escabeau', dueAt })
  t.equal(closed.statusCode, 409)
  t.equal(closed.json().code, 'PALIER_LISTING_CLOSED')

  // The caretaker records a loan for a household without an account.
  const dTools = listing(s.db, s.clock.now, s.D, { title: 'Caisse à outils' })
  const dConv = conversation(s.db, s.clock.now, dTools, s.D, s.A)
  const forD = await s.D.api.post('/exchange/loans', { conversationId: dConv, item: 'Caisse à outils', dueAt })
  t.equal(forD.statusCode, 201)
  t.match(forD.json(), { lender: { id: s.D.id, label: 'D-1' }, borrower: { id: s.A.id } })
  t.same((await s.D.api.get('/exchange/loans')).json().lent.map((l: { id: string }) => l.id), [forD.json().id])
})

t.test('thanks: after a done exchange, from the household that received, once, a short word', async (t) => {
  const s = await setup(t)
  const lessons = listing(s.db, s.clock.now, s.A, { kind: 'help', title: 'Cours de maths' })
  conversation(s.db, s.clock.now, lessons, s.A, s.B)
  const say = (who: typeof s.A, body: object) => who.api.post('/exchange/thanks', { listingId: lessons, ...body })

  const notDone = await say(s.B, { toFlatId: s.A.id, word: 'Merci' })
  t.equal(notDone.statusCode, 409)
  t.equal(notDone.json().code, 'PALIER_EXCHANGE_NOT_DONE')
  setStatus(s.db, lessons, 'done')
  t.equal((await say(s.C, { toFlatId: s.A.id })).statusCode, 404, 'no conversation between them on it')
  const self = await say(s.A, { toFlatId: s.A.id })
  t.equal(self.statusCode, 400)
  t.equal(self.json().field, 'toFlatId')
  const giver = await say(s.A, { toFlatId: s.B.id, word: 'Merci' })
  t.equal(giver.statusCode, 403, 'the household that gave does not thank itself through the other')
  t.equal(giver.json().code, 'PALIER_OTHER_HOUSEHOLD')
  t.equal((await say(s.B, { toFlatId: s.A.id, word: 'x'.repeat(141) })).statusCode, 400, 'a word of 140 characters at most')
  const ok = await say(s.B, { toFlatId: s.A.id, word: 'é'.repeat(140) })
  t.equal(ok.statusCode, 201, '140 characters')
  const again = await say(s.B, { toFlatId: s.A.id })
  t.equal(again.statusCode, 409)
  t.equal(again.json().code, 'PALIER_ALREADY_THANKED')

  // A request done: the household that asked received. A swap: both did.
  const moving = listing(s.db, s.clock.now, s.C, { kind: 'help', direction: 'request', status: 'done', title: 'Aide déménagement' })
  conversation(s.db, s.clock.now, moving, s.C, s.A)
  t.equal((await s.A.api.post('/exchange/thanks', { listingId: moving, toFlatId: s.C.id })).statusCode, 403)
  t.equal((await s.C.api.post('/exchange/thanks', { listingId: moving, toFlatId: s.A.id })).statusCode, 201)
  const swap = listing(s.db, s.clock.now, s.C, { kind: 'swap', status: 'done', title: 'Poterie contre maths' })
  conversation(s.db, s.clock.now, swap, s.C, s.B)
  t.equal((await s.B.api.post('/exchange/thanks', { listingId: swap, toFlatId: s.C.id, word: '' })).statusCode, 201)
  t.equal((await s.C.api.post('/exchange/thanks', { listingId: swap, toFlatId: s.B.id })).statusCode, 201)

  const profile = (await s.B.api.get(`/exchange/households/${s.A.id}`)).json()
  t.equal(profile.thanksReceived, 2)
  t.same(
    profile.recentThanks.map((x: { word: string }) => x.word),
    ['', 'é'.repeat(140)],
    'newest first',
  )
})

t.test('profiles: counts, open listings only, 404 for a blocked pair or an unknown household', async (t) => {
  const s = await setup(t)
  const open = listing(s.db, s.clock.now, s.A, { title: 'Perceuse' })
  listing(s.db, s.clock.now, s.A, { title: 'Vieille', expiresAt: s.clock.now - 1 })
  listing(s.db, s.clock.now, s.A, { title: 'Cachée', hidden: true })
  listing(s.db, s.clock.now, s.A, { title: 'Finie', status: 'done' })
  const profile = await s.B.api.get(`/exchange/households/${s.A.id}`)
  t.equal(profile.statusCode, 200)
  t.same(profile.json().openListings.map((l: { id: string }) => l.id), [open])
  t.match(profile.json(), { thanksReceived: 0, recentThanks: [] })
  t.equal((await s.A.api.get(`/exchange/households/${s.A.id}`)).json().openListings[0].mine, true)
  t.equal((await s.caretaker.get(`/exchange/households/${s.A.id}`)).statusCode, 200, 'the caretaker may look')
  t.equal((await s.B.api.get('/exchange/households/no-such-flat')).statusCode, 404)

  // Blocked, either way: the profile is gone, and so are new loans and thanks between them.
  const drill = listing(s.db, s.clock.now, s.A)
  const conv = conversation(s.db, s.clock.now, drill, s.A, s.B)
  const loan = (await s.A.api.post('/exchange/loans', { conversationId: conv, item: 'Perceuse', dueAt: s.clock.now + DAY * 2 })).json()
  t.equal((await s.B.api.post(`/exchange/loans/${loan.id}/confirm`)).statusCode, 200)
  t.equal((await s.A.api.post(`/exchange/loans/${loan.id}/returned`)).statusCode, 200)
  t.ok((await s.A.api.post('/exchange/blocks', { flatId: s.B.id })).statusCode < 300)
  t.equal((await s.B.api.get(`/exchange/households/${s.A.id}`)).statusCode, 404, 'the blocked')
  t.equal((await s.A.api.get(`/exchange/households/${s.B.id}`)).statusCode, 404, 'the blocker')
  t.equal((await s.C.api.get(`/exchange/households/${s.A.id}`)).statusCode, 200, 'others still see it')
  t.equal((await s.A.api.post('/exchange/loans', { conversationId: conv, item: 'Perceuse', dueAt: s.clock.now + DAY })).statusCode, 404)
  t.equal((await s.B.api.post('/exchange/thanks', { listingId: drill, toFlatId: s.A.id })).statusCode, 404)
  // A loan is a thing lent in real life: it stays in both households' lists.
  t.same((await s.B.api.get('/exchange/loans')).json().borrowed.map((l: { id: string }) => l.id), [loan.id])
})
